import type { FastifyInstance } from 'fastify';
import { smsCatalogNames } from '../catalog/catalog.repository.js';
import { listCheapServers } from '../cheap/cheap-servers.repository.js';
import type { Executor } from '../db/database.js';
import { readPositiveInt } from '../http/params.js';
import type { LineName, OrderSummary } from '../orders/product-line.js';
import { formatDateTime } from '../shared/clock.js';
import { formatPkr } from '../shared/money.js';
import { sendHtml } from './forms.js';
import { type Html, html } from './html.js';
import { renderPage } from './layout.js';
import { loadVisitor, type PortalDeps } from './visitor.js';

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
    const m = /^type:(\d+)\/country:(\d+)\/service:(\d+)$/.exec(o.item);
    return m ? [{ id: o.id, type: Number(m[1]), country: Number(m[2]), service: Number(m[3]) }] : [];
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

function tabs(current: LineName): Html {
  return html`<nav class="line-tabs" aria-label="Product lines"><ul>${LINES.map(
    (l) =>
      html`<li><a href="/dashboard/orders/${l.line}"${l.line === current ? html` aria-current="page"` : ''}>${l.title}</a></li>`,
  )}</ul></nav>`;
}

/**
 * `/dashboard/orders/<line>`: the signed-in customer's orders of one line, newest first, 20 a
 * page, filtered by state, with the number or address and the code. Buying, cancelling and
 * renewing stay on the dashboard's panels, which the page links to.
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
      const last = orders.at(-1);
      const query = (extra: string) => `?${state ? `state=${encodeURIComponent(state)}&` : ''}${extra}`;
      const body = html`<h1>Order history</h1>
${tabs(tab.line)}
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
<thead><tr><th scope="col">Time (UTC)</th><th scope="col">Order</th><th scope="col">What</th><th scope="col">${tab.line === 'email' ? 'Address' : 'Number'}</th><th scope="col">State</th><th scope="col">Code</th><th scope="col" class="num">PKR</th></tr></thead>
<tbody>${orders.map(
        (o) =>
          html`<tr data-state="${o.state}"><td>${formatDateTime(o.createdAt)}</td><td><code>${o.publicId}</code></td><td>${labels.get(o.id) ?? o.item}</td><td>${o.address ?? '—'}</td><td>${tab.states[o.state] ?? o.state}</td><td>${o.code ? html`<code>${o.code}</code>` : '—'}</td><td class="num">${formatPkr(o.price)}</td></tr>`,
      )}</tbody></table></div>`
}
<p class="pager">${before ? html`<a href="/dashboard/orders/${tab.line}${query('')}">Newest</a> ` : ''}${
        orders.length === PAGE && last
          ? html`<a href="/dashboard/orders/${tab.line}${query(`before=${last.id}`)}" rel="next">Older orders</a>`
          : ''
      }</p>
<p class="hint">Buy, cancel, complete or renew on the <a href="/dashboard">dashboard</a>.</p>
</section>`;
      return sendHtml(reply, renderPage(visitor, { title: `${tab.title}: order history`, body, wide: true }));
    },
  );
}
