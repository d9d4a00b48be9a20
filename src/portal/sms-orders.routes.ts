import type { FastifyInstance } from 'fastify';
import { findAccount } from '../accounts/accounts.repository.js';
import { buyActivation } from '../activations/activations.service.js';
import { resolveSmsOffer, smsCountries, smsServices } from '../catalog/sms-catalog.service.js';
import { readCatalogInt } from '../http/params.js';
import { formatPkr } from '../shared/money.js';
import { smsActivationOffer } from '../sms/sms-routing.js';
import { BLOCKED, orderView, registerActivationOrderRoutes } from './activation-orders.js';
import { listRecentActivations } from './activation-orders.repository.js';
import type { DashboardSection } from './dashboard.routes.js';
import { html } from './html.js';
import { fail, handlePortal, visitorOf } from './portal-api.js';
import type { PortalDeps } from './visitor.js';

const BUY_FAILURES: Record<string, string> = {
  bad_type: 'Choose a provider.',
  bad_country: 'Choose a country.',
  bad_service: 'Choose a service sold in that country.',
};

/** Dashboard panel: pick a provider, country and service, buy, and watch the code arrive. */
export function smsOrdersSection(deps: PortalDeps): DashboardSection {
  return async (visitor) => {
    const recent = await listRecentActivations(deps.ctx.db, visitor.account.id, 'sms', 10);
    return html`<section class="card" id="buy-sms" aria-labelledby="buy-sms-h" data-line="sms" data-orders="${JSON.stringify(recent.map((r) => r.publicId))}">
<h2 id="buy-sms-h">Buy an SMS number</h2>
<form id="sms-buy" novalidate>
<div class="grid">
<div><label for="sms-type">Provider</label><select id="sms-type" name="type">${[1, 2, 3, 4, 5, 6].map(
      (t) => html`<option value="${t}">Provider ${t}</option>`,
    )}</select></div>
<div><label for="sms-country">Country</label><select id="sms-country" name="country" disabled><option value="">Loading…</option></select></div>
<div><label for="sms-service">Service</label><select id="sms-service" name="service" disabled><option value="">Choose a country first</option></select></div>
</div>
<button type="submit" id="sms-buy-button">Buy number</button>
<p class="form-message" role="status" aria-live="polite" id="sms-buy-message"></p>
</form>
<h3>Your numbers</h3>
<div class="orders" data-order-list aria-live="polite"><p class="hint" data-empty>No numbers yet.</p></div>
</section>`;
  };
}

/** JSON routes behind the dashboard's SMS panel; they call the activation engine, never the HTTP API. */
export function registerSmsOrderRoutes(app: FastifyInstance, deps: PortalDeps): void {
  const { ctx } = deps;
  registerActivationOrderRoutes(app, deps, 'sms');

  handlePortal(app, 'GET /portal/api/sms/countries', async ({ query }, _request, reply) => {
    const type = readCatalogInt(query.type);
    const found = await smsCountries(ctx, type ?? 'invalid');
    if (found.kind !== 'ok' || type === null)
      return fail(reply, { status: 400, error: 'That provider is not available.' });
    return { ok: true, countries: found.byType.get(type) ?? [] };
  });

  handlePortal(app, 'GET /portal/api/sms/services', async ({ query }, _request, reply) => {
    const found = await smsServices(ctx, readCatalogInt(query.type), readCatalogInt(query.country));
    if (found.kind !== 'ok')
      return fail(reply, { status: 400, error: BUY_FAILURES[found.kind] ?? 'Not available.' });
    return {
      ok: true,
      services: found.services.map((s) => ({ id: s.id, name: s.name, price: formatPkr(s.pricePaisa) })),
    };
  });

  handlePortal(app, 'POST /portal/api/sms/orders', async ({ body }, request, reply) => {
    const visitor = visitorOf(request);
    const [type, country, service] = [body.type, body.country, body.service].map(readCatalogInt) as [
      number | null,
      number | null,
      number | null,
    ];
    const resolved = await resolveSmsOffer(ctx, type, country, service);
    if (resolved.kind !== 'ok' || type === null || country === null || service === null) {
      return fail(reply, { status: 400, error: BUY_FAILURES[resolved.kind] ?? 'Choose a service.' });
    }
    const offer = await smsActivationOffer(ctx, { type, country, service }, resolved.offer);
    if (!offer) return fail(reply, { status: 409, error: 'No numbers for this service right now.' });
    const result = await buyActivation(ctx, visitor.account.id, offer);
    const balance = formatPkr((await findAccount(ctx.db, visitor.account.id))?.balance ?? 0);
    switch (result.kind) {
      case 'ok':
        return { ok: true, order: orderView(result.activation, ctx.clock.now()), balance };
      case 'no_balance':
        return fail(reply, {
          status: 402,
          error: `Not enough balance: you have ${formatPkr(result.balancePaisa)} PKR. Top up first.`,
        });
      case 'blocked':
        return fail(reply, { status: 403, error: BLOCKED });
      case 'upstream_failed':
        return fail(reply, {
          status: 502,
          error:
            result.error.kind === 'no_numbers'
              ? 'No numbers for this service right now. Try another country or provider.'
              : 'The provider could not sell a number just now. You were not charged.',
        });
      case 'outcome_unknown':
        return fail(reply, {
          status: 502,
          error:
            'The provider did not answer. The price is held and refunded within a few minutes if no number came.',
        });
      case 'database_error':
        return fail(reply, { status: 500, error: 'Something went wrong on our side. You were not charged.' });
    }
  });
}
