import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.js';
import { createMailer } from '../mail/mailer.js';
import { registerPortalAssets } from './assets.js';
import { registerAuthRoutes } from './auth.routes.js';
import { cheapOrdersSection, registerCheapOrderRoutes } from './cheap-orders.routes.js';
import { type DashboardSection, registerDashboardRoutes } from './dashboard.routes.js';
import { emailsSection, registerEmailRoutes } from './emails.routes.js';
import { sendHtml } from './forms.js';
import { html } from './html.js';
import { renderPage } from './layout.js';
import { registerOrderHistoryRoutes } from './order-history.routes.js';
import { registerPasswordLinkRoutes } from './password-links.routes.js';
import { registerPortalApi } from './portal-api.js';
import { loadPortalSecret } from './portal-secret.js';
import { registerRentalRoutes, rentalsSection } from './rentals.routes.js';
import { registerSmsOrderRoutes, smsOrdersSection } from './sms-orders.routes.js';
import { registerTopupRoutes, topupSection } from './topups.routes.js';
import { loadVisitor, type PortalDeps } from './visitor.js';

/**
 * The customer portal: the home page, sign-up and log-in, the dashboard and the assets they use.
 * Returns the deps (context and signing secret) so the docs site can read the same sessions.
 */
export async function registerPortal(app: FastifyInstance, ctx: AppContext): Promise<PortalDeps> {
  const deps: PortalDeps = { ctx, secret: await loadPortalSecret(ctx.db, ctx.clock.now()) };
  registerPortalAssets(app);
  const sections: DashboardSection[] = [
    smsOrdersSection(deps),
    cheapOrdersSection(deps),
    rentalsSection(deps),
    emailsSection(deps),
    topupSection(deps),
  ];
  const mailer = createMailer(ctx.config.smtp);
  if (mailer) app.addHook('onClose', async () => mailer.close());
  registerAuthRoutes(app, deps, mailer);
  registerPasswordLinkRoutes(app, deps, mailer);
  registerTopupRoutes(app, deps);
  await registerPortalApi(app, deps, (api) => {
    registerSmsOrderRoutes(api, deps);
    registerCheapOrderRoutes(api, deps);
  });
  registerRentalRoutes(app, deps);
  registerEmailRoutes(app, deps);
  registerDashboardRoutes(app, deps, sections);
  registerOrderHistoryRoutes(app, deps);

  app.get('/', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    const body = html`<section class="hero">
<h1>OTP numbers, rentals and temp email — one wallet, one API</h1>
<p>Buy virtual numbers for verification codes, cheap 15-minute numbers, long-term rentals with an SMS inbox and
temporary email addresses, paid from a prepaid PKR wallet. Use the HTTP API or buy right here in the browser.</p>
<p class="actions">${
      visitor.account
        ? html`<a class="button" href="/dashboard">Open your dashboard</a>`
        : html`<a class="button" href="/signup">Create an account</a> <a class="button secondary" href="/login">Log in</a>`
    } <a class="button secondary" href="/docs">Read the API docs</a></p>
</section>`;
    return sendHtml(reply, renderPage(visitor, { title: 'Home', body }));
  });
  return deps;
}
