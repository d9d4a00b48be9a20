import type { FastifyInstance } from 'fastify';
import { findAccount } from '../accounts/accounts.repository.js';
import { findCustomerActivation } from '../activations/activations.service.js';
import { buyCheapNumber, listServersByType } from '../cheap/cheap.service.js';
import { readCatalogInt } from '../http/params.js';
import { formatPkr } from '../shared/money.js';
import { BLOCKED, orderView, registerActivationOrderRoutes } from './activation-orders.js';
import { listRecentActivations } from './activation-orders.repository.js';
import type { DashboardSection } from './dashboard.routes.js';
import { html } from './html.js';
import { fail, handlePortal, visitorOf } from './portal-api.js';
import type { PortalDeps } from './visitor.js';

/** Dashboard panel: cheap 15-minute numbers, one server list, the same live order cards. */
export function cheapOrdersSection(deps: PortalDeps): DashboardSection {
  return async (visitor) => {
    const servers = [...(await listServersByType(deps.ctx)).values()].flat().filter((s) => s.upstreamEnabled);
    const recent = await listRecentActivations(deps.ctx.db, visitor.account.id, 'cheap', 10);
    return html`<section class="card" id="buy-cheap" aria-labelledby="buy-cheap-h" data-line="cheap" data-orders="${JSON.stringify(recent.map((r) => r.publicId))}">
<h2 id="buy-cheap-h">Buy a cheap number <span class="hint">(valid ${Math.round(deps.ctx.config.cheapTtlSeconds / 60)} minutes, full refund on cancel)</span></h2>
${
  servers.length === 0
    ? html`<p>No cheap-number servers are open right now.</p>`
    : html`<form data-buy="cheap" novalidate>
<label for="cheap-server">Server</label>
<select id="cheap-server" name="server">${servers.map(
        (s) =>
          html`<option value="${s.id}">${s.name} — ${s.serviceName} — ${formatPkr(s.pricePaisa)} PKR</option>`,
      )}</select>
<button type="submit">Buy cheap number</button>
<p class="form-message" role="status" aria-live="polite" data-buy-message></p>
</form>`
}
<div class="orders" data-order-list aria-live="polite"><p class="hint" data-empty>No cheap numbers yet.</p></div>
</section>`;
  };
}

/** Buying a cheap number from the dashboard, plus poll/cancel/complete shared with the SMS line. */
export function registerCheapOrderRoutes(app: FastifyInstance, deps: PortalDeps): void {
  const { ctx } = deps;
  registerActivationOrderRoutes(app, deps, 'cheap');

  handlePortal(app, 'POST /portal/api/cheap/orders', async ({ body }, request, reply) => {
    const visitor = visitorOf(request);
    const serverId = readCatalogInt(body.server);
    const all = [...(await listServersByType(ctx)).values()].flat();
    const server = all.find((s) => s.id === serverId && s.enabled && s.upstreamEnabled);
    if (!server) return fail(reply, { status: 400, error: 'Choose an open server.' });
    const result = await buyCheapNumber(ctx, visitor.account.id, server);
    if (result.kind === 'low_balance') {
      const balance = (await findAccount(ctx.db, visitor.account.id))?.balance ?? 0;
      return fail(reply, {
        status: 402,
        error: `Not enough balance: you have ${formatPkr(balance)} PKR. Top up first.`,
      });
    }
    if (result.kind === 'blocked') return fail(reply, { status: 403, error: BLOCKED });
    if (result.kind === 'no_numbers')
      return fail(reply, {
        status: 409,
        error: 'No numbers on this server right now. You were not charged.',
      });
    if (result.kind === 'database_error')
      return fail(reply, { status: 500, error: 'Something went wrong on our side. You were not charged.' });
    const order = await findCustomerActivation(ctx, visitor.account.id, 'cheap', result.orderId);
    const balance = formatPkr((await findAccount(ctx.db, visitor.account.id))?.balance ?? 0);
    return { ok: true, order: order ? orderView(order, ctx.clock.now()) : null, balance };
  });
}
