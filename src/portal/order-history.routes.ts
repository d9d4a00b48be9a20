import type { FastifyInstance } from 'fastify';
import { smsCatalogNames } from '../catalog/catalog.repository.js';
import { parseSmsCatalogRef } from '../catalog/sms-catalog.service.js';
import { listCheapServers } from '../cheap/cheap-servers.repository.js';
import type { Executor } from '../db/database.js';
import { readPositiveInt } from '../http/params.js';
import type { LineName, OrderSummary } from '../orders/product-line.js';
import { formatDateTime } from '../shared/clock.js';
import { formatPkr } from '../shared/money.js';
import { applyActivationVerb, VERB_OUTCOMES, type VerbOutcome } from './activation-orders.js';
import { sendCsrfRefused, sendHtml } from './forms.js';
import { type Html, html } from './html.js';
import { csrfField, renderPage } from './layout.js';
import { historyRenewForm } from './rentals.routes.js';
import { hasValidCsrf, loadVisitor, type PortalDeps, type Visitor } from './visitor.js';

const PAGE = 20;

/** The activation lines' states (SMS and cheap numbers), as the customer reads them. */
const ACTIVATION_STATES: Readonly<Record<string, string>> = {
  pending: 'Being set up',
  active: 'Waiting for the code',
  code_received: 'Code received',
  finished: 'Completed',
  cancelled: 'Cancelled (refunded)',
  expired: 'Expired (refunded)',
  failed: 'Failed (refunded)',
};

/** Each line's tab: its title, the states a customer can filter by (the line's own), and their labels. */
const LINES: ReadonlyArray<{ line: LineName; title: string; states: Readonly<Record<string, string>> }> = [
  {
    line: 'sms',
    title: 'SMS numbers',
    states: ACTIVATION_STATES,
  },
  { line: 'cheap', title: 'Cheap numbers', states: ACTIVATION_STATES },
  {
    line: 'rental',
    title: 'Rentals',
    states: { pending: 'Being set up', active: 'Active', expired: 'Expired', failed: 'Failed (refunded)' },
  },
  {
    line: 'email',
    title: 'Temp email',
    states: {
      pending: 'Being set up',
      waiting: 'Waiting for mail',
      received: 'Code received',
      completed: 'Completed',
      cancelled: 'Cancelled (refunded)',
      expired: 'Expired (refunded)',
      failed: 'Failed (refunded)',
    },
  },
];

/**
 * What the customer bought, in words: SMS orders name their catalogue entry by our ids
 * (`type:1/country:61/service:101`), cheap ones their server (`cheap:server:3`).
 */
async function itemLabels(db: Executor, orders: OrderSummary[]): Promise<Map<number, string>> {
  const sms = orders.flatMap((o) => {
    const entry = parseSmsCatalogRef(o.item);
    return entry ? [{ id: o.id, type: entry.type, country: entry.countryId, service: entry.serviceId }] : [];
  });
  const cheap = orders.some((o) => o.item.startsWith('cheap:server:'))
    ? new Map(
        (await listCheapServers(db, { includeDisabled: true })).map((s) => [`cheap:server:${s.id}`, s.name]),
      )
    : new Map<string, string>();
  const names = await smsCatalogNames(
    db,
    sms.map((s) => s.country),
    sms.map((s) => s.service),
  );
  const labels = new Map(orders.map((o) => [o.id, cheap.get(o.item) ?? o.item]));
  for (const s of sms) {
    const service = names.services.get(s.service) ?? `service ${s.service}`;
    const country = names.countries.get(s.country) ?? `country ${s.country}`;
    labels.set(s.id, `${service}, ${country} (provider ${s.type})`);
  }
  return labels;
}

/**
 * What the customer can do with an order from its row: cancel a number still waiting for its code
 * or complete one that has it (the same engine as the dashboard's buttons), open a rental's inbox
 * and renew it (the dashboard's renew form, coming back here), open an email order's page (its
 * code, cancel while waiting).
 */
function actions(visitor: Visitor, line: LineName, o: OrderSummary, renew: Html | null): Html {
  const verb = (name: 'cancel' | 'complete', label: string) =>
    html`<form method="post" action="/dashboard/orders/${line}/${o.publicId}/${name}" class="inline">${csrfField(visitor)}<button type="submit" class="secondary" data-verb="${name}">${label}</button></form>`;
  if (line === 'sms' || line === 'cheap') {
    if (o.state === 'active') return verb('cancel', 'Cancel');
    if (o.state === 'code_received') return verb('complete', 'Done');
    return html``;
  }
  if (line === 'rental' && o.state === 'active') {
    return html`<a href="/dashboard/rentals/${o.publicId}">Messages</a>${renew ?? ''}`;
  }
  if (line === 'email') return html`<a href="/dashboard/emails/${o.publicId}">Open</a>`;
  return html``;
}

function tabs(current: LineName): Html {
  return html`<nav class="line-tabs" aria-label="Product lines"><ul>${LINES.map(
    (l) =>
      html`<li><a href="/dashboard/orders/${l.line}"${l.line === current ? html` aria-current="page"` : ''}>${l.title}</a></li>`,
  )}</ul></nav>`;
}

/**
 * `/dashboard/orders/<line>`: the signed-in customer's orders of one line, newest first, 20 a
 * page, filtered by state, with the number or address and the code, and what can be done with
 * each (cancel, complete, renew, open). Buying stays on the dashboard.
 */
export function registerOrderHistoryRoutes(app: FastifyInstance, deps: PortalDeps): void {
  app.get<{ Params: { line: string }; Querystring: Record<string, string | undefined> }>(
    '/dashboard/orders/:line',
    async (request, reply) => {
      const visitor = await loadVisitor(deps, request, reply);
      const account = visitor.account;
      if (!account) return reply.redirect('/login', 303);
      const tab = LINES.find((l) => l.line === request.params.line);
      const line = tab && deps.ctx.lines.find(tab.line);
      if (!tab || !line) return reply.redirect('/dashboard/orders/sms', 303);
      const state =
        request.query.state && Object.hasOwn(tab.states, request.query.state) ? request.query.state : '';
      const before = readPositiveInt(request.query.before);
      const orders = await line.searchOrders(deps.ctx.db, {
        accountId: account.id,
        ...(state ? { state } : {}),
        ...(before ? { beforeId: before } : {}),
        limit: PAGE,
      });
      const labels = await itemLabels(deps.ctx.db, orders);
      const renewForms = new Map<number, Html | null>();
      if (tab.line === 'rental') {
        for (const o of orders.filter((r) => r.state === 'active'))
          renewForms.set(o.id, await historyRenewForm(deps, visitor, account.id, o.id));
      }
      const last = orders.at(-1);
      const query = (extra: string) => `?${state ? `state=${encodeURIComponent(state)}&` : ''}${extra}`;
      const addressLabel = tab.line === 'email' ? 'Address' : 'Number';
      const notice = request.query.notice;
      const outcome =
        notice === 'renewed'
          ? { status: 200, message: 'Rental renewed. The new expiry is in the table below.' }
          : notice && Object.hasOwn(VERB_OUTCOMES, notice)
            ? VERB_OUTCOMES[notice as VerbOutcome]
            : null;
      const body = html`<h1>Order history</h1>
${tabs(tab.line)}
${outcome ? html`<p class="alert ${outcome.status === 200 ? 'success' : 'error'}" role="status">${outcome.message}</p>` : ''}
<section class="card" aria-labelledby="history-h">
<h2 id="history-h">${tab.title}</h2>
<form method="get" class="filter" action="/dashboard/orders/${tab.line}">
<label for="state">State</label>
<select id="state" name="state"><option value="">All states</option>${Object.entries(tab.states).map(
        ([value, label]) =>
          html`<option value="${value}"${value === state ? html` selected` : ''}>${label}</option>`,
      )}</select>
<button type="submit" class="secondary">Show</button>
</form>
${
  orders.length === 0
    ? html`<p data-empty>${before ? 'No older orders.' : state ? 'No orders in that state.' : 'No orders yet.'}</p>`
    : html`<div class="table-wrap"><table class="history" id="history">
<caption class="visually-hidden">${tab.title}, newest first</caption>
<thead><tr><th scope="col">Time (UTC)</th><th scope="col">Order</th><th scope="col">What</th><th scope="col">${addressLabel}</th><th scope="col">State</th><th scope="col">Code</th><th scope="col" class="num">PKR</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>${orders.map(
        (o) =>
          html`<tr data-state="${o.state}"><td data-label="Time (UTC)">${formatDateTime(o.createdAt)}</td><td data-label="Order"><code>${o.publicId}</code></td><td data-label="What">${labels.get(o.id) ?? o.item}</td><td data-label="${addressLabel}">${o.address ?? '—'}</td><td data-label="State">${tab.states[o.state] ?? o.state}</td><td data-label="Code">${o.code ? html`<code>${o.code}</code>` : '—'}</td><td data-label="PKR" class="num">${formatPkr(o.price)}</td><td data-label="">${actions(visitor, tab.line, o, renewForms.get(o.id) ?? null)}</td></tr>`,
      )}</tbody></table></div>`
}
<p class="pager">${before ? html`<a href="/dashboard/orders/${tab.line}${query('')}">Newest</a> ` : ''}${
        orders.length === PAGE && last
          ? html`<a href="/dashboard/orders/${tab.line}${query(`before=${last.id}`)}" rel="next">Older orders</a>`
          : ''
      }</p>
<p class="hint">Buy new numbers and addresses on the <a href="/dashboard">dashboard</a>.</p>
</section>`;
      return sendHtml(reply, renderPage(visitor, { title: `${tab.title}: order history`, body, wide: true }));
    },
  );

  // The history's Cancel and Done buttons: a plain form post (works without the page's script),
  // answered by a redirect back to the same tab with the outcome as a fixed notice.
  app.post<{ Params: { line: string; id: string; verb: string } }>(
    '/dashboard/orders/:line/:id/:verb',
    async (request, reply) => {
      const visitor = await loadVisitor(deps, request, reply);
      const account = visitor.account;
      if (!account) return reply.redirect('/login', 303);
      if (!hasValidCsrf(deps, visitor, request)) return sendCsrfRefused(reply, visitor);
      const { line, id, verb } = request.params;
      if ((line !== 'sms' && line !== 'cheap') || (verb !== 'cancel' && verb !== 'complete')) {
        return reply.redirect('/dashboard/orders/sms', 303);
      }
      const outcome = await applyActivationVerb(deps.ctx, account.id, line, id, verb);
      return reply.redirect(`/dashboard/orders/${line}?notice=${outcome}`, 303);
    },
  );
}
