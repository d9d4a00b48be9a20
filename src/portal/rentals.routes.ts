import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../app-context.js';
import { readCatalogInt, readPositiveInt } from '../http/params.js';
import { findRentalCountryById, findRentalServer } from '../rentals/catalog.repository.js';
import { renewRental } from '../rentals/renew-rental.service.js';
import { rentNumber } from '../rentals/rent-number.service.js';
import { listCountriesOnSale, listPricing, quoteTier } from '../rentals/rental-catalog.service.js';
import { RentalError } from '../rentals/rental-errors.js';
import { failureReply } from '../rentals/rental-handler.wire.js';
import { listMyRentals, readRentalInbox } from '../rentals/rental-inbox.service.js';
import { findRental, type Rental } from '../rentals/rentals.repository.js';
import { formatDateTime } from '../shared/clock.js';
import { formatPkr } from '../shared/money.js';
import type { DashboardSection } from './dashboard.routes.js';
import { formField, sendCsrfRefused, sendHtml } from './forms.js';
import { type Html, html } from './html.js';
import { csrfField, problemList, renderPage } from './layout.js';
import { hasValidCsrf, loadVisitor, type PortalDeps, type Visitor } from './visitor.js';

const DURATIONS = [12, 24, 168, 720, 4320, 8640];

function durationLabel(hours: number): string {
  if (hours < 168) return `${hours} hours`;
  if (hours < 720) return `${hours / 24} days`;
  return hours === 8640 ? '1 year' : `${hours / 720} month${hours === 720 ? '' : 's'}`;
}

/** Every (server, country, duration) on sale with its price: the rent form's one select. */
async function rentalOffers(ctx: AppContext): Promise<{ value: string; label: string }[]> {
  const offers: { value: string; label: string }[] = [];
  for (const { country, server } of await listCountriesOnSale(ctx, 'all')) {
    try {
      const { tiers } = await listPricing(ctx, server.id, country.countryCode);
      for (const { tier, pricePaisa } of tiers) {
        offers.push({
          value: `${server.id}:${country.countryCode}:${tier.durationHours}`,
          label: `${country.name} — ${server.name} — ${durationLabel(tier.durationHours)} — ${formatPkr(pricePaisa)} PKR`,
        });
      }
    } catch (error) {
      // A country whose prices cannot be quoted right now (no exchange rate) is simply not offered.
      if (!(error instanceof RentalError)) throw error;
    }
  }
  return offers;
}

/**
 * Each renewal term with its price for this rental (null where it cannot be quoted now: the
 * renewal then answers why), so the form and its confirm step show what will be taken.
 */
async function renewalOffers(
  ctx: AppContext,
  rental: Rental,
): Promise<{ hours: number; pricePaisa: number | null }[]> {
  const [server, country] = await Promise.all([
    findRentalServer(ctx.db, rental.serverId),
    findRentalCountryById(ctx.db, rental.countryId),
  ]);
  return Promise.all(
    DURATIONS.map(async (hours) => {
      if (!server || !country) return { hours, pricePaisa: null };
      try {
        return { hours, pricePaisa: await quoteTier(ctx, server, country, hours) };
      } catch (error) {
        if (!(error instanceof RentalError)) throw error;
        return { hours, pricePaisa: null };
      }
    }),
  );
}

/**
 * The renew form of one active rental: a term with its price, sent after the confirm dialog.
 * `back` is where the renewal returns (the dashboard's rentals, or the order history).
 */
function renewForm(
  visitor: Visitor,
  rental: Rental,
  offers: { hours: number; pricePaisa: number | null }[],
  back: 'dashboard' | 'history' = 'dashboard',
): Html {
  return html`<form method="post" action="/dashboard/rentals/${rental.id}/renew" class="renew" data-purchase="Renew" data-purchase-what="Renew +${rental.phone ?? ''}">${csrfField(visitor)}${
    back === 'history' ? html`<input type="hidden" name="back" value="history">` : ''
  }
<label class="visually-hidden" for="renew-${rental.id}">Renew for</label>
<select id="renew-${rental.id}" name="duration_hours">${offers.map(
    ({ hours, pricePaisa }) =>
      html`<option value="${hours}" ${hours === rental.durationHours ? 'selected' : ''}>${durationLabel(hours)}${pricePaisa === null ? '' : ` — ${formatPkr(pricePaisa)} PKR`}</option>`,
  )}</select>
<button type="submit" class="small secondary">Renew</button></form>`;
}

/** The renew form of a customer's active rental for the order history, or null when it is not theirs or not active. */
export async function historyRenewForm(
  deps: PortalDeps,
  visitor: Visitor,
  accountId: number,
  rentalId: number,
) {
  const rental = await findRental(deps.ctx.db, rentalId);
  if (!rental || rental.accountId !== accountId || rental.status !== 'active') return null;
  return renewForm(visitor, rental, await renewalOffers(deps.ctx, rental), 'history');
}

/** The customer-facing sentence for a rental failure: the rental API's own message. */
function failureMessage(error: RentalError): string {
  const body = failureReply(error.failure).body as { message?: string };
  return body.message ?? 'The rental could not be completed.';
}

async function rentalsPanel(
  deps: PortalDeps,
  visitor: Visitor & { account: { id: number } },
  problems: string[],
): Promise<Html> {
  const offers = await rentalOffers(deps.ctx);
  const rentals = await listMyRentals(deps.ctx, visitor.account.id);
  const renewalPrices = new Map(
    await Promise.all(
      rentals
        .filter(({ rental }) => rental.status === 'active')
        .map(async ({ rental }) => [rental.id, await renewalOffers(deps.ctx, rental)] as const),
    ),
  );
  return html`<section class="card" id="rentals" aria-labelledby="rentals-h">
<h2 id="rentals-h">Rent a number</h2>
<p>Keep a number from 12 hours to a year and read every SMS it receives.</p>
${problemList(problems)}
${
  offers.length === 0
    ? html`<p>No rental numbers are on sale right now.</p>`
    : html`<form method="post" action="/dashboard/rentals" novalidate data-purchase="Rent" data-purchase-what="Rent a number">${csrfField(visitor)}
<label for="rental-offer">Country, server and duration</label>
<select id="rental-offer" name="offer">${offers.map((o) => html`<option value="${o.value}">${o.label}</option>`)}</select>
<button type="submit">Rent number</button></form>`
}
${
  rentals.length === 0
    ? ''
    : html`<h3>Your rentals</h3><div class="table-wrap"><table>
<thead><tr><th scope="col">Number</th><th scope="col">Server</th><th scope="col">Status</th><th scope="col">Expires (UTC)</th><th scope="col">Inbox</th><th scope="col">Renew</th></tr></thead>
<tbody>${rentals.map(
        ({ rental, serverName }) => html`<tr data-rental="${rental.orderId}" data-status="${rental.status}">
<td>${rental.phone ? `+${rental.phone}` : '—'}</td><td>${serverName} (${rental.countryCode})</td><td>${rental.status}</td>
<td>${rental.expiryTime ? formatDateTime(rental.expiryTime) : '—'}</td>
<td><a href="/dashboard/rentals/${rental.orderId}">Messages</a></td>
<td>${
          rental.status === 'active' ? renewForm(visitor, rental, renewalPrices.get(rental.id) ?? []) : ''
        }</td></tr>`,
      )}</tbody></table></div>`
}
</section>`;
}

/** Dashboard panel: rent a number, list rentals with their inbox link, renew. */
export function rentalsSection(deps: PortalDeps): DashboardSection {
  return (visitor) => rentalsPanel(deps, visitor, []);
}

export function registerRentalRoutes(app: FastifyInstance, deps: PortalDeps): void {
  const { ctx } = deps;
  const refuse = async (
    reply: FastifyReply,
    visitor: Visitor & { account: { id: number } },
    message: string,
  ) =>
    sendHtml(
      reply,
      renderPage(visitor, {
        title: 'Rent a number',
        body: html`${await rentalsPanel(deps, visitor, [message])}<p><a href="/dashboard">Back to your dashboard</a></p>`,
        scripts: ['/assets/portal.js'],
      }),
      400,
    );

  app.post('/dashboard/rentals', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    const account = visitor.account;
    if (!account) return reply.redirect('/login', 303);
    if (!hasValidCsrf(deps, visitor, request)) return sendCsrfRefused(reply, visitor);
    const match = /^(\d{1,6}):([a-z]{2,8}):(\d{1,5})$/.exec(formField(request, 'offer'));
    if (!match) return refuse(reply, { ...visitor, account }, 'Choose a country, server and duration.');
    try {
      const rented = await rentNumber(ctx, {
        accountId: account.id,
        providerId: Number(match[1]),
        countryCode: match[2] ?? '',
        hours: Number(match[3]),
      });
      return reply.redirect(`/dashboard/rentals/${rented.orderId}?rented=1`, 303);
    } catch (error) {
      if (!(error instanceof RentalError)) throw error;
      return refuse(reply, { ...visitor, account }, failureMessage(error));
    }
  });

  app.post<{ Params: { id: string } }>('/dashboard/rentals/:id/renew', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    const account = visitor.account;
    if (!account) return reply.redirect('/login', 303);
    if (!hasValidCsrf(deps, visitor, request)) return sendCsrfRefused(reply, visitor);
    try {
      const renewed = await renewRental(ctx, {
        accountId: account.id,
        rentalId: readPositiveInt(request.params.id),
        hours: readCatalogInt(formField(request, 'duration_hours')),
      });
      ctx.log.debug({ rentalId: renewed.rentalId }, 'rental renewed from the portal');
      return reply.redirect(
        formField(request, 'back') === 'history'
          ? '/dashboard/orders/rental?notice=renewed'
          : '/dashboard?notice=renewed#rentals',
        303,
      );
    } catch (error) {
      if (!(error instanceof RentalError)) throw error;
      return refuse(reply, { ...visitor, account }, failureMessage(error));
    }
  });

  app.get<{ Params: { orderId: string } }>('/dashboard/rentals/:orderId', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    if (!visitor.account) return reply.redirect('/login', 303);
    try {
      const { rental, serverName, messages } = await readRentalInbox(
        ctx,
        visitor.account.id,
        request.params.orderId,
      );
      const rented = (request.query as Record<string, string | undefined>).rented === '1';
      const body = html`<h1>${rental.phone ? `+${rental.phone}` : 'Rental'}</h1>
${rented ? html`<p class="alert success" role="status">Rented for ${formatPkr(rental.pricePaisa)} PKR. Messages to this number appear here.</p>` : ''}
<p>${serverName} · ${rental.countryCode} · ${rental.status} · expires ${rental.expiryTime ? `${formatDateTime(rental.expiryTime)} UTC` : '—'}</p>
<section class="card" aria-labelledby="inbox-h"><h2 id="inbox-h">Messages</h2>
${
  messages.length === 0
    ? html`<p>No messages yet. <a href="/dashboard/rentals/${rental.orderId}">Refresh</a></p>`
    : html`<div class="table-wrap"><table><thead><tr><th scope="col">Received (UTC)</th><th scope="col">From</th><th scope="col">Text</th><th scope="col">Code</th></tr></thead>
<tbody>${messages.map((m) => html`<tr data-message><td>${formatDateTime(m.receivedAt)}</td><td>${m.sender ?? '—'}</td><td>${m.text}</td><td><strong>${m.code}</strong></td></tr>`)}</tbody></table></div>
<p><a href="/dashboard/rentals/${rental.orderId}">Refresh</a></p>`
}</section>
<p><a href="/dashboard#rentals">Back to your dashboard</a></p>`;
      return sendHtml(reply, renderPage(visitor, { title: 'Rental inbox', body }));
    } catch (error) {
      if (!(error instanceof RentalError)) throw error;
      const body = html`<h1>Not found</h1><p>No such rental on your account. <a href="/dashboard#rentals">Your rentals</a></p>`;
      return sendHtml(reply, renderPage(visitor, { title: 'Not found', body }), 404);
    }
  });
}
