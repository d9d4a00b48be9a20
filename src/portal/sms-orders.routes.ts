import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findAccount } from '../accounts/accounts.repository.js';
import type { Activation } from '../activations/activation-types.js';
import {
  buyActivation,
  cancelActivation,
  completeActivation,
  findCustomerActivation,
} from '../activations/activations.service.js';
import { resolveSmsOffer, smsCatalogRef, smsCountries, smsServices } from '../catalog/sms-catalog.service.js';
import { readPositiveInt } from '../http/params.js';
import { UpstreamError } from '../providers/types.js';
import { formatPkr } from '../shared/money.js';
import type { DashboardSection } from './dashboard.routes.js';
import { html } from './html.js';
import { listRecentSmsActivations } from './sms-orders.repository.js';
import { hasValidCsrf, loadVisitor, type PortalDeps, type Visitor } from './visitor.js';

/** An SMS order as the dashboard script shows it: our public id, never upstream details. */
function orderView(a: Activation, now: number) {
  const open = a.state === 'pending' || a.state === 'active';
  return {
    id: a.publicId,
    phone: a.phone,
    state: a.state,
    code: a.code,
    text: a.smsText,
    price: formatPkr(a.pricePaisa),
    createdAt: a.createdAt,
    expiresAt: a.expiresAt,
    cancelAllowedAt: a.cancelAllowedAt,
    canCancel: a.state === 'active' && now >= a.cancelAllowedAt,
    canComplete: a.state === 'code_received',
    waiting: open,
  };
}

type Fail = { status: number; error: string };
const fail = (reply: FastifyReply, { status, error }: Fail) =>
  reply.status(status).send({ ok: false, error });

/** The signed-in visitor of a JSON call, or the reply already sent (401, or 403 for a bad token). */
async function jsonVisitor(
  deps: PortalDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  isWrite: boolean,
): Promise<(Visitor & { account: NonNullable<Visitor['account']> }) | null> {
  const visitor = await loadVisitor(deps, request, reply);
  const account = visitor.account;
  if (!account) {
    await fail(reply, { status: 401, error: 'Your session has ended. Log in again.' });
    return null;
  }
  if (isWrite && !hasValidCsrf(deps, visitor, request)) {
    await fail(reply, { status: 403, error: 'This page has expired. Reload it and try again.' });
    return null;
  }
  return { ...visitor, account };
}

const BUY_FAILURES: Record<string, string> = {
  bad_type: 'Choose a provider.',
  bad_country: 'Choose a country.',
  bad_service: 'Choose a service sold in that country.',
};

/** Dashboard panel: pick a provider, country and service, buy, and watch the code arrive. */
export function smsOrdersSection(deps: PortalDeps): DashboardSection {
  return async (visitor) => {
    const recent = await listRecentSmsActivations(deps.ctx.db, visitor.account.id, 10);
    return html`<section class="card" id="buy-sms" aria-labelledby="buy-sms-h" data-sms-orders="${JSON.stringify(recent.map((r) => r.publicId))}">
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
<div id="sms-orders" aria-live="polite"><p class="hint" data-empty>No numbers yet.</p></div>
</section>`;
  };
}

/** JSON routes behind the dashboard's SMS panel; they call the activation engine, never the HTTP API. */
export function registerSmsOrderRoutes(app: FastifyInstance, deps: PortalDeps): void {
  const { ctx } = deps;

  app.get('/portal/api/sms/countries', async (request, reply) => {
    if (!(await jsonVisitor(deps, request, reply, false))) return reply;
    const type = readPositiveInt((request.query as Record<string, string | undefined>).type);
    const found = await smsCountries(ctx, type ?? 'invalid');
    if (found.kind !== 'ok' || type === null)
      return fail(reply, { status: 400, error: 'That provider is not available.' });
    return { ok: true, countries: found.byType.get(type) ?? [] };
  });

  app.get('/portal/api/sms/services', async (request, reply) => {
    if (!(await jsonVisitor(deps, request, reply, false))) return reply;
    const query = request.query as Record<string, string | undefined>;
    const found = await smsServices(ctx, readPositiveInt(query.type), readPositiveInt(query.country));
    if (found.kind !== 'ok')
      return fail(reply, { status: 400, error: BUY_FAILURES[found.kind] ?? 'Not available.' });
    return {
      ok: true,
      services: found.services.map((s) => ({ id: s.id, name: s.name, price: formatPkr(s.pricePaisa) })),
    };
  });

  app.post('/portal/api/sms/orders', async (request, reply) => {
    const visitor = await jsonVisitor(deps, request, reply, true);
    if (!visitor) return reply;
    if (visitor.account.status !== 'active')
      return fail(reply, { status: 403, error: 'Your account is blocked.' });
    const body = (request.body ?? {}) as Record<string, unknown>;
    const read = (name: string) =>
      readPositiveInt(typeof body[name] === 'string' ? (body[name] as string) : undefined);
    const [type, country, service] = [read('type'), read('country'), read('service')];
    const resolved = await resolveSmsOffer(ctx, type, country, service);
    if (resolved.kind !== 'ok' || type === null || country === null || service === null) {
      return fail(reply, { status: 400, error: BUY_FAILURES[resolved.kind] ?? 'Choose a service.' });
    }
    const { offer } = resolved;
    if (offer.pricePaisa === null)
      return fail(reply, { status: 409, error: 'No numbers for this service right now.' });
    const result = await buyActivation(ctx, visitor.account.id, {
      line: 'sms',
      upstreamId: offer.upstreamId,
      upstreamCountry: offer.upstreamCountry,
      upstreamService: offer.upstreamService,
      pricePaisa: offer.pricePaisa,
      ...(offer.maxCostMicros === null ? {} : { maxCostMicros: offer.maxCostMicros }),
      ttlSeconds: ctx.config.activationTtlSeconds,
      catalogRef: smsCatalogRef(type, country, service),
    });
    const balance = formatPkr((await findAccount(ctx.db, visitor.account.id))?.balance ?? 0);
    switch (result.kind) {
      case 'ok':
        return { ok: true, order: orderView(result.activation, ctx.clock.now()), balance };
      case 'no_balance':
        return fail(reply, {
          status: 402,
          error: `Not enough balance: you have ${formatPkr(result.balancePaisa)} PKR. Top up first.`,
        });
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

  app.get<{ Params: { id: string } }>('/portal/api/sms/orders/:id', async (request, reply) => {
    const visitor = await jsonVisitor(deps, request, reply, false);
    if (!visitor) return reply;
    const order = await findCustomerActivation(ctx, visitor.account.id, 'sms', request.params.id);
    if (!order) return fail(reply, { status: 404, error: 'No such order.' });
    return { ok: true, order: orderView(order, ctx.clock.now()) };
  });

  app.post<{ Params: { id: string; verb: string } }>(
    '/portal/api/sms/orders/:id/:verb',
    async (request, reply) => {
      const visitor = await jsonVisitor(deps, request, reply, true);
      if (!visitor) return reply;
      const accountId = visitor.account.id;
      const { id, verb } = request.params;
      let message: string | null = null;
      if (verb === 'cancel') {
        try {
          const result = await cancelActivation(ctx, accountId, 'sms', id);
          message = {
            cancelled: 'Cancelled. The price is back in your balance.',
            early_cancel_denied: 'Too early to cancel: wait until the cancel time shown.',
            code_received: 'A code arrived, so the number cannot be cancelled.',
            already_changed: 'This order was already closed.',
            not_found: null,
          }[result];
          if (result === 'not_found') return fail(reply, { status: 404, error: 'No such order.' });
          if (result !== 'cancelled') return fail(reply, { status: 409, error: message ?? '' });
        } catch (error) {
          if (!(error instanceof UpstreamError)) throw error;
          return fail(reply, {
            status: 502,
            error: 'The provider could not confirm the cancel. Try again in a moment.',
          });
        }
      } else if (verb === 'complete') {
        const result = await completeActivation(ctx, accountId, 'sms', id);
        if (result === 'not_found') return fail(reply, { status: 404, error: 'No such order.' });
        if (result === 'no_sms_received')
          return fail(reply, { status: 409, error: 'No code has arrived yet.' });
        if (result === 'already_changed')
          return fail(reply, { status: 409, error: 'This order was already closed.' });
        message = 'Done. Thanks!';
      } else {
        return fail(reply, { status: 404, error: 'Unknown action.' });
      }
      const order = await findCustomerActivation(ctx, accountId, 'sms', id);
      const balance = formatPkr((await findAccount(ctx.db, accountId))?.balance ?? 0);
      return { ok: true, message, balance, order: order ? orderView(order, ctx.clock.now()) : null };
    },
  );
}
