import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Mailer } from '../mail/mailer.js';
import { formField, sendCsrfRefused, sendHtml } from './forms.js';
import { html } from './html.js';
import { csrfField, problemList, renderPage } from './layout.js';
import { checkPasswordLink, LINK_PROBLEMS, usePasswordLink } from './password-links.service.js';
import { requestPasswordReset } from './password-reset.service.js';
import { hasValidCsrf, loadVisitor, type PortalDeps, startSession, type Visitor } from './visitor.js';

/** Pages of the one-time set-password links (operator invites, password resets) and "forgot password". */

function linkProblemPage(visitor: Visitor, message: string): string {
  const body = html`<section class="card narrow">
<h1>This link cannot be used</h1>
${problemList([message])}
<p><a href="/forgot-password">Ask for a new link</a> · <a href="/login">Log in</a></p>
</section>`;
  return renderPage(visitor, { title: 'Link not valid', body });
}

function setPasswordForm(
  visitor: Visitor,
  link: { token: string; email: string; purpose: 'invite' | 'reset' },
  problem: string | null,
): string {
  const body = html`<section class="card narrow">
<h1>${link.purpose === 'invite' ? 'Choose your password' : 'Choose a new password'}</h1>
<p>For <strong>${link.email}</strong>. You will be logged in right after.</p>
${problemList(problem ? [problem] : [])}
<form method="post" action="/set-password" novalidate>
${csrfField(visitor)}
<input type="hidden" name="token" value="${link.token}">
<label for="password">Password <span class="hint">(at least 10 characters)</span></label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="10"
  ${problem ? html`aria-invalid="true"` : ''}>
<button type="submit">Set password and log in</button>
</form>
</section>`;
  return renderPage(visitor, { title: 'Set password', body });
}

function forgotForm(visitor: Visitor, sentNote: string | null): string {
  const body = html`<section class="card narrow">
<h1>Forgot your password?</h1>
${sentNote ? html`<p class="alert" role="status">${sentNote}</p>` : ''}
<form method="post" action="/forgot-password" novalidate>
${csrfField(visitor)}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="email" required>
<button type="submit">Ask for a link</button>
</form>
<p><a href="/login">Back to log in</a></p>
</section>`;
  return renderPage(visitor, { title: 'Forgot password', body });
}

/** The link's token must not leak to other sites through the Referer header. */
function noReferrer(reply: FastifyReply): FastifyReply {
  return reply.header('referrer-policy', 'no-referrer');
}

function tokenOf(request: FastifyRequest, from: 'query' | 'form'): string {
  if (from === 'form') return formField(request, 'token').trim();
  const value = (request.query as Record<string, unknown> | undefined)?.token;
  return typeof value === 'string' ? value.trim() : '';
}

export function registerPasswordLinkRoutes(
  app: FastifyInstance,
  deps: PortalDeps,
  mailer: Mailer | null,
): void {
  const { ctx } = deps;

  app.get('/set-password', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, noReferrer(reply));
    const token = tokenOf(request, 'query');
    const link = await checkPasswordLink(ctx.db, ctx.clock.now(), token);
    if (!link.ok) {
      return sendHtml(reply, linkProblemPage(visitor, LINK_PROBLEMS[link.problem]), 400);
    }
    return sendHtml(reply, setPasswordForm(visitor, { token, ...link }, null));
  });

  app.post('/set-password', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, noReferrer(reply));
    if (!hasValidCsrf(deps, visitor, request)) return sendCsrfRefused(reply, visitor);
    const token = tokenOf(request, 'form');
    const result = await usePasswordLink(ctx.db, ctx.clock.now(), {
      token,
      password: formField(request, 'password'),
    });
    if (result.ok) {
      startSession(deps, request, reply, result);
      return reply.redirect('/dashboard', 303);
    }
    if (result.problem === 'weak_password') {
      const link = await checkPasswordLink(ctx.db, ctx.clock.now(), token);
      if (link.ok) return sendHtml(reply, setPasswordForm(visitor, { token, ...link }, result.message), 400);
    }
    return sendHtml(reply, linkProblemPage(visitor, result.message), 400);
  });

  app.get('/forgot-password', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    return sendHtml(reply, forgotForm(visitor, null));
  });

  app.post('/forgot-password', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    if (!hasValidCsrf(deps, visitor, request)) return sendCsrfRefused(reply, visitor);
    if (!(await ctx.rateLimiter.hit(`portal-forgot:${request.ip}`, 3)).allowed) {
      return sendHtml(reply, forgotForm(visitor, 'Too many requests. Wait a second and try again.'), 429);
    }
    await requestPasswordReset(ctx, mailer, formField(request, 'email'));
    // The same words whether or not the address has a login.
    const note =
      mailer && ctx.config.publicUrl
        ? 'If an account uses that address, a link to choose a new password is on its way to it. The link works once, within one hour.'
        : 'If an account uses that address, your request is now with the operator, who will give you a link to choose a new password.';
    return sendHtml(reply, forgotForm(visitor, note));
  });
}
