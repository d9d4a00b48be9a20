import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../app-context.js';
import { ANY_SITE, DEFAULT_SERVER1_DOMAIN } from '../emails/email-catalog.js';
import { listServer1Services, listServer2Domains } from '../emails/email-catalog.service.js';
import { EmailError } from '../emails/email-errors.js';
import { cancelEmailOrder, getEmailHistory, getEmailOrder } from '../emails/email-orders.service.js';
import { buyEmail, type EmailPurchaseRequest } from '../emails/email-purchase.service.js';
import { errorBody } from '../emails/email-replies.js';
import { readPositiveInt } from '../http/params.js';
import { formatDateTime } from '../shared/clock.js';
import { formatPkr } from '../shared/money.js';
import type { DashboardSection } from './dashboard.routes.js';
import { formField, sendCsrfRefused, sendHtml } from './forms.js';
import { type Html, html } from './html.js';
import { csrfField, problemList, renderPage } from './layout.js';
import { hasValidCsrf, loadVisitor, type PortalDeps, type Visitor } from './visitor.js';

/** Both servers' offers in one select: `1:<service>:<domain>` or `2:<domain>`. */
async function emailOffers(ctx: AppContext): Promise<{ value: string; label: string }[]> {
  const offers: { value: string; label: string }[] = [];
  const collect = async (load: () => Promise<void>) => {
    try {
      await load();
    } catch (error) {
      // A server that is switched off or not configured is simply not offered.
      if (!(error instanceof EmailError)) throw error;
    }
  };
  await collect(async () => {
    for (const s of await listServer1Services(ctx, DEFAULT_SERVER1_DOMAIN)) {
      offers.push({
        value: `1:${s.serviceCode}:${DEFAULT_SERVER1_DOMAIN}`,
        label: `${s.serviceName} (${DEFAULT_SERVER1_DOMAIN}) — ${formatPkr(s.price)} PKR`,
      });
    }
  });
  await collect(async () => {
    for (const d of await listServer2Domains(ctx, ANY_SITE)) {
      offers.push({ value: `2:${d.domain}`, label: `Any site @${d.domain} — ${formatPkr(d.price)} PKR` });
    }
  });
  return offers;
}

function readOffer(value: string): EmailPurchaseRequest | null {
  const one = /^1:([a-z0-9_]{1,20}):([a-z0-9.-]{3,100})$/.exec(value);
  if (one?.[1] && one[2]) return { server: 1, serviceCode: one[1], domain: one[2] };
  const two = /^2:([a-z0-9.-]{3,100})$/.exec(value);
  return two?.[1] ? { server: 2, domain: two[1], site: ANY_SITE } : null;
}

/** The email API's own sentence for a failure ("Insufficient balance. Need: …"). */
function failureMessage(error: EmailError): string {
  return String(errorBody(error.code, error.amounts).message ?? 'The email could not be bought.');
}

async function emailsPanel(
  deps: PortalDeps,
  visitor: Visitor & { account: { id: number } },
  problems: string[],
): Promise<Html> {
  const offers = await emailOffers(deps.ctx);
  const history = await getEmailHistory(deps.ctx, visitor.account.id, 1);
  return html`<section class="card" id="emails" aria-labelledby="emails-h">
<h2 id="emails-h">Buy a temporary email</h2>
${problemList(problems)}
${
  offers.length === 0
    ? html`<p>No email addresses are on sale right now.</p>`
    : html`<form method="post" action="/dashboard/emails" novalidate data-purchase="Buy" data-purchase-what="Buy a temporary email">${csrfField(visitor)}
<label for="email-offer">Service or domain</label>
<select id="email-offer" name="offer">${offers.map((o) => html`<option value="${o.value}">${o.label}</option>`)}</select>
<button type="submit">Buy email</button></form>`
}
${
  history.orders.length === 0
    ? ''
    : html`<h3>Your emails</h3><ul>${history.orders
        .slice(0, 10)
        .map(
          (o) =>
            html`<li data-email-order="${o.id}"><a href="/dashboard/emails/${o.id}">${o.email ?? 'pending…'}</a> · ${o.serviceName} · ${o.state}${o.code ? html` · code <strong>${o.code}</strong>` : ''}</li>`,
        )}</ul>`
}
</section>`;
}

/** Dashboard panel: buy a mailbox for one email code, list recent ones. */
export function emailsSection(deps: PortalDeps): DashboardSection {
  return (visitor) => emailsPanel(deps, visitor, []);
}

export function registerEmailRoutes(app: FastifyInstance, deps: PortalDeps): void {
  const { ctx } = deps;
  const refuse = async (
    reply: FastifyReply,
    visitor: Visitor & { account: { id: number } },
    message: string,
    status = 400,
  ) => {
    const body = html`${await emailsPanel(deps, visitor, [message])}<p><a href="/dashboard">Back to your dashboard</a></p>`;
    return sendHtml(reply, renderPage(visitor, { title: 'Buy an email', body }), status);
  };

  app.post('/dashboard/emails', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    const account = visitor.account;
    if (!account) return reply.redirect('/login', 303);
    if (!hasValidCsrf(deps, visitor, request)) return sendCsrfRefused(reply, visitor);
    const offer = readOffer(formField(request, 'offer'));
    if (!offer) return refuse(reply, { ...visitor, account }, 'Choose a service or a domain.');
    try {
      const { order } = await buyEmail(ctx, account.id, offer);
      return reply.redirect(`/dashboard/emails/${order.id}`, 303);
    } catch (error) {
      if (!(error instanceof EmailError)) throw error;
      if (error.code === 'blocked')
        return refuse(reply, { ...visitor, account }, 'Your account is blocked.', 403);
      return refuse(reply, { ...visitor, account }, failureMessage(error));
    }
  });

  const orderPage = async (
    reply: FastifyReply,
    visitor: Visitor & { account: { id: number } },
    id: number | null,
    note: string | null,
  ) => {
    try {
      if (id === null) throw new EmailError('not_found');
      const { order, messages } = await getEmailOrder(ctx, visitor.account.id, id);
      const open = order.state === 'pending' || order.state === 'waiting';
      const body = html`<h1>${order.email ?? 'Email order'}</h1>
${note ? html`<p class="alert success" role="status">${note}</p>` : ''}
<p>${order.serviceName} · ${order.domain} · ${formatPkr(order.price)} PKR · <span data-email-state>${order.state}</span>${order.expiresAt ? ` · expires ${formatDateTime(order.expiresAt)} UTC` : ''}</p>
${order.code ? html`<p class="order"><span class="code" data-code="${order.code}">${order.code}</span></p>` : open ? html`<p>Waiting for the email… this page refreshes every 5 seconds.</p>` : ''}
${messages.map((m) => html`<div class="card"><p class="hint">From ${m.sender} at ${formatDateTime(m.receivedAt)} UTC</p><p>${m.text.slice(0, 2000)}</p></div>`)}
${
  order.state === 'waiting' || order.state === 'received'
    ? html`<form method="post" action="/dashboard/emails/${order.id}/cancel">${csrfField(visitor)}
<button type="submit" class="${order.state === 'waiting' ? 'danger' : 'secondary'}">${order.state === 'waiting' ? 'Cancel and refund' : 'Mark as done'}</button></form>`
    : ''
}
<p><a href="/dashboard#emails">Back to your dashboard</a></p>`;
      return sendHtml(
        reply,
        renderPage(visitor, { title: 'Email', body, ...(open ? { refreshSeconds: 5 } : {}) }),
      );
    } catch (error) {
      if (!(error instanceof EmailError)) throw error;
      const body = html`<h1>Not found</h1><p>No such email on your account. <a href="/dashboard#emails">Your emails</a></p>`;
      return sendHtml(reply, renderPage(visitor, { title: 'Not found', body }), 404);
    }
  };

  app.get<{ Params: { id: string } }>('/dashboard/emails/:id', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    const account = visitor.account;
    if (!account) return reply.redirect('/login', 303);
    return orderPage(reply, { ...visitor, account }, readPositiveInt(request.params.id), null);
  });

  // cancelEmail's rules: a waiting order is cancelled and refunded; one with a code is completed.
  app.post<{ Params: { id: string } }>('/dashboard/emails/:id/cancel', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    const account = visitor.account;
    if (!account) return reply.redirect('/login', 303);
    if (!hasValidCsrf(deps, visitor, request)) return sendCsrfRefused(reply, visitor);
    const id = readPositiveInt(request.params.id);
    let note: string;
    try {
      const outcome = await cancelEmailOrder(ctx, account.id, id ?? 0);
      note = {
        refunded: 'Cancelled. The price is back in your balance.',
        completed: 'Done: the code is kept below.',
        closed: 'This email was already closed.',
        pending: 'The purchase is still being settled; try again in a moment.',
      }[outcome.kind];
    } catch (error) {
      if (!(error instanceof EmailError)) throw error;
      if (error.code === 'not_found') return orderPage(reply, { ...visitor, account }, null, null);
      note = failureMessage(error);
    }
    return orderPage(reply, { ...visitor, account }, id, note);
  });
}
