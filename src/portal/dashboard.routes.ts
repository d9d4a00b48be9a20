import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { rotateApiKey } from '../accounts/accounts.service.js';
import { readPositiveInt } from '../http/params.js';
import { formatDateTime } from '../shared/clock.js';
import { formatPkr } from '../shared/money.js';
import { listLedgerEntries, type StatementLine } from '../wallet/wallet.repository.js';
import { findLiveKeyPrefix } from './dashboard.repository.js';
import { sendCsrfRefused, sendHtml } from './forms.js';
import { type Html, html } from './html.js';
import { newKeyPanel } from './key-panel.js';
import { csrfField, renderPage } from './layout.js';
import { hasValidCsrf, loadVisitor, type PortalDeps, type Visitor } from './visitor.js';

const STATEMENT_PAGE = 25;

/** Confirmations other pages redirect here with (`?notice=<key>`): fixed texts, so a link cannot put words on the page. */
const NOTICES: Record<string, string> = {
  renewed: 'Rental renewed. The new expiry is in the table below.',
};

const KIND_LABELS: Record<string, string> = {
  topup: 'Top-up',
  order_debit: 'Purchase',
  order_refund: 'Refund',
  manual_debit: 'Adjustment',
};

/** Extra panels other portal features add to the dashboard (buying, top-up requests). */
export type DashboardSection = (
  visitor: Visitor & { account: NonNullable<Visitor['account']> },
) => Promise<Html>;

function statementTable(lines: StatementLine[]): Html {
  if (lines.length === 0) return html`<p>No movements yet.</p>`;
  return html`<div class="table-wrap"><table class="statement">
<caption class="visually-hidden">Wallet statement, newest first</caption>
<thead><tr><th scope="col">Time (UTC)</th><th scope="col">What</th><th scope="col">Reference</th><th scope="col" class="num">Amount (PKR)</th><th scope="col" class="num">Balance</th></tr></thead>
<tbody>${lines.map(
    (l) =>
      html`<tr data-kind="${l.kind}"><td>${formatDateTime(l.createdAt)}</td><td>${KIND_LABELS[l.kind] ?? l.kind}${l.note ? html` <span class="hint">${l.note}</span>` : ''}</td><td><code>${l.reference}</code></td><td class="num ${l.amount < 0 ? 'neg' : 'pos'}">${l.amount > 0 ? '+' : ''}${formatPkr(l.amount)}</td><td class="num">${formatPkr(l.balanceAfter)}</td></tr>`,
  )}</tbody></table></div>`;
}

/** The key card: a new key shown once, or the live key's prefix and rotation, or (no key yet) making the first. */
function keyPanel(visitor: Visitor, newKey: string | null, prefix: string | null): Html {
  const account = visitor.account;
  if (!account) return html``;
  if (!newKey && !prefix) {
    return html`<p>You have no API key yet. Make one to call the API; it is shown once.</p>
<form method="post" action="/dashboard/key">${csrfField(visitor)}<button type="submit">Create API key</button></form>`;
  }
  return html`${newKey ? newKeyPanel(newKey, account.id) : html`<p>Your key starts with <code>${prefix}…</code>. It was shown once when it was made; rotate it to get a new one.</p>`}
<form method="post" action="/dashboard/key">${csrfField(visitor)}
<button type="submit" class="secondary" data-confirm="Rotate the key? The old key stops working at once.">Rotate key</button></form>`;
}

/** The signed-in customer's home: balance, API key, statement, and the sections other features add. */
export function registerDashboardRoutes(
  app: FastifyInstance,
  deps: PortalDeps,
  sections: DashboardSection[],
): void {
  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    visitor: Visitor,
    newKey: string | null,
  ) => {
    const account = visitor.account;
    if (!account) return reply.redirect('/login', 303);
    const query = request.query as Record<string, string | undefined>;
    const before = readPositiveInt(query.before);
    const lines = await listLedgerEntries(deps.ctx.db, account.id, {
      limit: STATEMENT_PAGE,
      ...(before ? { beforeId: before } : {}),
    });
    const prefix = await findLiveKeyPrefix(deps.ctx.db, account.id);
    const extra = await Promise.all(sections.map((section) => section({ ...visitor, account })));
    const last = lines[lines.length - 1];
    const body = html`<h1>Dashboard</h1>
${query.notice && NOTICES[query.notice] ? html`<p class="alert success" role="status">${NOTICES[query.notice]}</p>` : ''}
${query.topup === 'sent' ? html`<p class="alert success" role="status">Your top-up request was sent. Your balance goes up once the operator confirms the payment.</p>` : ''}
${account.status === 'blocked' ? html`<p class="alert error" role="alert">Your account is blocked. Contact support.</p>` : ''}
<div class="grid">
<section class="card" aria-labelledby="balance-h">
<h2 id="balance-h">Balance</h2>
<p class="balance"><span id="balance">${formatPkr(account.balance)}</span> PKR</p>
<p class="hint">Signed in as ${visitor.email}</p>
</section>
<section class="card" aria-labelledby="key-h" data-account="${account.id}" data-key-prefix="${prefix ?? ''}" id="key-card">
<h2 id="key-h">API key</h2>
${keyPanel(visitor, newKey, prefix)}
</section>
</div>
${extra}
<section class="card" aria-labelledby="statement-h">
<h2 id="statement-h">Statement</h2>
${statementTable(lines)}
${lines.length === STATEMENT_PAGE && last ? html`<p><a href="/dashboard?before=${last.id}#statement-h">Older entries</a></p>` : ''}
</section>`;
    return sendHtml(
      reply,
      renderPage(visitor, { title: 'Dashboard', body, scripts: ['/assets/portal.js'], wide: true }),
    );
  };

  app.get('/dashboard', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    return render(request, reply, visitor, null);
  });

  app.post('/dashboard/key', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    if (!visitor.account) return reply.redirect('/login', 303);
    if (!hasValidCsrf(deps, visitor, request)) return sendCsrfRefused(reply, visitor);
    const apiKey = await rotateApiKey(deps.ctx.db, deps.ctx.clock, visitor.account.id);
    // The old key must stop working now in this process, not when its cached answer expires.
    deps.ctx.auth.forget();
    return render(request, reply, visitor, apiKey);
  });
}
