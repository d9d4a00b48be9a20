import type { FastifyInstance } from 'fastify';
import { listTopupRequests, TOPUP_METHODS, type TopupRequest } from '../admin/topups.repository.js';
import { submitTopupRequest, TopupError } from '../admin/topups.service.js';
import { formatDateTime } from '../shared/clock.js';
import { formatPkr, parsePkr } from '../shared/money.js';
import type { DashboardSection } from './dashboard.routes.js';
import { formField, sendCsrfRefused, sendHtml } from './forms.js';
import { type Html, html } from './html.js';
import { csrfField, problemList, renderPage } from './layout.js';
import { hasValidCsrf, loadVisitor, type PortalDeps, type Visitor } from './visitor.js';

const METHOD_LABELS: Record<string, string> = {
  jazzcash: 'JazzCash',
  easypaisa: 'Easypaisa',
  bank: 'Bank transfer',
};

interface TopupForm {
  amount: string;
  method: string;
  reference: string;
  note: string;
}

const EMPTY: TopupForm = { amount: '', method: 'jazzcash', reference: '', note: '' };

function topupForm(visitor: Visitor, values: TopupForm, problems: string[]): Html {
  return html`${problemList(problems)}
<form method="post" action="/dashboard/topup" novalidate>
${csrfField(visitor)}
<div class="grid">
<div><label for="topup-amount">Amount (PKR)</label>
<input id="topup-amount" name="amount" inputmode="decimal" required placeholder="500" value="${values.amount}"></div>
<div><label for="topup-method">Paid with</label>
<select id="topup-method" name="method">${TOPUP_METHODS.map(
    (m) =>
      html`<option value="${m}" ${values.method === m ? 'selected' : ''}>${METHOD_LABELS[m] ?? m}</option>`,
  )}</select></div>
</div>
<label for="topup-reference">Payment reference <span class="hint">(the transaction id of your payment)</span></label>
<input id="topup-reference" name="payment_reference" required maxlength="64" value="${values.reference}">
<label for="topup-note">Note <span class="hint">(optional)</span></label>
<input id="topup-note" name="note" maxlength="500" value="${values.note}">
<button type="submit">Send top-up request</button>
</form>`;
}

function requestList(requests: TopupRequest[]): Html {
  if (requests.length === 0) return html``;
  return html`<div class="table-wrap"><table>
<thead><tr><th scope="col">Sent (UTC)</th><th scope="col">Method</th><th scope="col">Reference</th><th scope="col" class="num">PKR</th><th scope="col">State</th></tr></thead>
<tbody>${requests.map(
    (r) =>
      html`<tr data-topup-state="${r.state}"><td>${formatDateTime(r.createdAt)}</td><td>${METHOD_LABELS[r.method] ?? r.method}</td><td><code>${r.paymentReference}</code></td><td class="num">${formatPkr(r.amount)}</td><td>${r.state}</td></tr>`,
  )}</tbody></table></div>`;
}

/** Dashboard panel: the top-up request form and the visitor's recent requests. */
export function topupSection(deps: PortalDeps): DashboardSection {
  return async (visitor) => {
    const requests = await listTopupRequests(deps.ctx.db, { accountId: visitor.account.id, limit: 10 });
    return html`<section class="card" id="topup" aria-labelledby="topup-h">
<h2 id="topup-h">Top up your wallet</h2>
<p>Pay by JazzCash, Easypaisa or bank transfer, then tell us the payment's reference. The operator credits your
wallet once the payment is confirmed.</p>
${topupForm(visitor, EMPTY, [])}
${requestList(requests)}
</section>`;
  };
}

/** Reads the form into a request, or the problems with it in the customer's words. */
function readTopupForm(values: TopupForm): { amount: number; problems: string[] } {
  const problems: string[] = [];
  const amount = parsePkr(values.amount) ?? 0;
  if (amount <= 0) problems.push('Enter the amount in PKR, like 500 or 1250.50.');
  if (!(TOPUP_METHODS as readonly string[]).includes(values.method)) problems.push('Choose how you paid.');
  if (!/^[\w./#:-]{3,64}$/.test(values.reference.trim())) {
    problems.push('Enter the payment reference: 3 to 64 letters, digits or . / # : - _');
  }
  return { amount, problems };
}

export function registerTopupRoutes(app: FastifyInstance, deps: PortalDeps): void {
  app.post('/dashboard/topup', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    const account = visitor.account;
    if (!account) return reply.redirect('/login', 303);
    if (!hasValidCsrf(deps, visitor, request)) return sendCsrfRefused(reply, visitor);
    const values: TopupForm = {
      amount: formField(request, 'amount'),
      method: formField(request, 'method'),
      reference: formField(request, 'payment_reference'),
      note: formField(request, 'note'),
    };
    const { amount, problems: formProblems } = readTopupForm(values);
    let problems = formProblems;
    if (problems.length === 0) {
      try {
        await submitTopupRequest(deps.ctx.db, deps.ctx.clock, {
          accountId: account.id,
          amount,
          method: values.method,
          paymentReference: values.reference,
          note: values.note.trim().slice(0, 500) || null,
        });
        return reply.redirect('/dashboard?topup=sent#topup', 303);
      } catch (error) {
        if (!(error instanceof TopupError)) throw error;
        problems = [
          error.code === 'duplicate'
            ? 'That payment reference was already sent. Each payment can be claimed once.'
            : `The request was refused: ${error.message}.`,
        ];
      }
    }
    const body = html`<section class="card narrow"><h1>Top up your wallet</h1>${topupForm(visitor, values, problems)}
<p><a href="/dashboard">Back to your dashboard</a></p></section>`;
    return sendHtml(reply, renderPage(visitor, { title: 'Top up', body }), 400);
  });
}
