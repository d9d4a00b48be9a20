import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { listOpenResetRequests } from '../../portal/password-links.repository.js';
import { ISSUE_PROBLEMS } from '../../portal/password-links.service.js';
import { actorOf, badRequest, notFound, text } from '../admin-http.js';
import { handle } from '../admin-route.js';
import { issuePasswordLinkAsOperator, passwordLinkUrl } from '../password-links-admin.js';

/**
 * Portal logins for operator-made accounts: a one-time set-password link (invite, or reset when
 * the account already logs in), and the "forgot password" requests waiting for such a link.
 */
export function passwordLinksRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    handle(api, 'POST /accounts/:id/password-link', async ({ params, body }, request) => {
      const result = await issuePasswordLinkAsOperator(ctx.db, ctx.clock.now(), actorOf(request), {
        accountId: Number(params.id),
        email: text(body.email),
      });
      if (!result.ok) {
        if (result.problem === 'no_account') throw notFound('account');
        throw badRequest(ISSUE_PROBLEMS[result.problem]);
      }
      // Without OTPGET_PUBLIC_URL the link uses the address the operator reached the console at.
      const base = ctx.config.publicUrl ?? `${request.protocol}://${request.host}`;
      return {
        url: passwordLinkUrl(base, result.path),
        email: result.email,
        purpose: result.purpose,
        expiresAt: result.expiresAt,
      };
    });

    handle(api, 'GET /password-resets', async () => ({ requests: await listOpenResetRequests(ctx.db) }));
  };
}
