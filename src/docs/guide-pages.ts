import { type Html, html } from '../portal/html.js';
import { apiCatalog } from './api-catalog.js';
import { isServed, type LiveActions } from './api-page.js';

/** /docs: authentication, the four endpoints and their actions at a glance. */
export function overviewBody(baseUrl: string, live: LiveActions): Html {
  return html`<h1>otpget API docs</h1>
<p>Four HTTP APIs — SMS OTP numbers, cheap numbers, rental numbers and temporary email — paid from one PKR
wallet. Every call is a GET (or a form POST) with your key and an action.</p>
<section class="card" aria-labelledby="h-auth">
<h2 id="h-auth">Authentication</h2>
<p>All requests must include your API key in the query string:</p>
<pre><code data-sample>?api_key=YOUR_API_KEY</code></pre>
<p>A missing or wrong key answers <code>BAD_KEY</code> (plain-text APIs) or status <code>"401"</code> (JSON
APIs); a suspended account answers <code>ACCOUNT_BLOCKED</code> or <code>"403"</code>. Parameters may also be
sent as a form or JSON POST body.</p>
</section>
${apiCatalog.map(
  (api) => html`<section class="card" aria-labelledby="h-${api.id}">
<h2 id="h-${api.id}"><a href="/docs/${api.id}">${api.title}</a></h2>
<p>Base URL: <code>${baseUrl}${api.path}</code> · ${api.format === 'json' ? 'JSON replies' : 'plain-text replies'}</p>
<ul>${api.actions.map(
    (a) =>
      html`<li><a href="/docs/${api.id}#${a.name}"><code>${a.name}</code></a> — ${a.summary}${
        isServed(live, api, a.name) ? '' : html` <span class="badge warn">not served yet</span>`
      }</li>`,
  )}</ul>
</section>`,
)}
<p>Next: <a href="/docs/formats">response formats</a>, then <a href="/docs/sandbox">test with the sandbox</a>.</p>`;
}

/** /docs/formats: which endpoint answers in text and which in JSON, and how to read each. */
export function formatsBody(): Html {
  return html`<h1>Response formats — know before you code</h1>
<p>The APIs use different response formats. Every reply is HTTP 200: read the body, not the HTTP status.</p>
<div class="table-wrap"><table>
<thead><tr><th scope="col">API</th><th scope="col">Endpoint</th><th scope="col">Format</th><th scope="col">Exceptions</th></tr></thead>
<tbody>${apiCatalog.map(
    (api) =>
      html`<tr><td><a href="/docs/${api.id}">${api.title}</a></td><td><code>${api.path}</code></td><td>${
        api.format === 'json' ? 'JSON' : 'Plain text'
      }</td><td>${
        (api.jsonActions ?? []).length > 0
          ? html`${(api.jsonActions ?? []).map((a, i) => html`${i > 0 ? ', ' : ''}<code>${a}</code>`)} return JSON`
          : '—'
      }</td></tr>`,
  )}</tbody></table></div>
<section class="card" aria-labelledby="h-text">
<h2 id="h-text">Plain text (SMS OTP and Cheap Numbers)</h2>
<p>One line: a word, or a word and values separated by <code>:</code> (or <code>,</code> for a cheap number
purchase). Compare whole strings, or the prefix up to the colon.</p>
<pre><code>ACCESS_BALANCE:500.00
ACCESS_NUMBER:abc123:9230012345
ORD_abc,923001234,900
STATUS_OK:847293
STATUS_WAIT_CODE
BAD_KEY</code></pre>
</section>
<section class="card" aria-labelledby="h-json">
<h2 id="h-json">JSON (Rental and Email)</h2>
<p>An object with <code>status</code> and <code>message</code> and the action's data fields. The status is a
<strong>string</strong>: check <code>status === "200"</code> for success. Email replies also use
<code>"202"</code> (still waiting — keep polling) and <code>"300"</code> (cancelled).</p>
<pre><code>{"status": "200",
 "message": "...",
 ... data fields}</code></pre>
<p>Money appears as the reference types it: strings such as <code>"840.00"</code> on the rental API, numbers
such as <code>120.00</code> on the email API. Amounts are PKR.</p>
</section>`;
}

/** /docs/sandbox: how a fresh install answers without any upstream, and how to drive it. */
export function sandboxBody(baseUrl: string, delayMs: number | null): Html {
  return html`<h1>Sandbox</h1>
<p>With no upstream provider configured, otpget serves every API from its built-in <strong>sandbox</strong>: purchases
work end to end, numbers and mailboxes are made up, and codes arrive the way real ones would — so you can build and
test your integration before spending real money.</p>
<section class="card" aria-labelledby="h-auto">
<h2 id="h-auto">Automatic codes</h2>
<p>A sandbox order receives one message by itself <code>OTPGET_SANDBOX_DELAY_MS</code> milliseconds after purchase.
On this server that is ${delayMs === null ? html`<strong>off</strong> (codes arrive only when delivered by hand)` : html`<strong>${delayMs} ms</strong>`}.
Poll <code>getStatus</code> (or <code>getEmailCode</code> / <code>getRentalSMS</code>) as you would in production.</p>
</section>
<section class="card" aria-labelledby="h-deliver">
<h2 id="h-deliver">Deliver a message by hand</h2>
<p>The operator (or you, on your own install) can put any text on a sandbox order with the command line; the
server picks it up within about a second, from any process sharing the database:</p>
<pre><code>otpget sandbox deliver &lt;order-id&gt; "Your WhatsApp code is 740-279"</code></pre>
<p><code>&lt;order-id&gt;</code> is the id the API gave you (the <code>ACCESS_NUMBER</code> id, the cheap
<code>order_id</code>, the rental <code>order_id</code> or the <code>email_id</code>). The code is extracted from
the text just like a real message, so try awkward texts too.</p>
</section>
<section class="card" aria-labelledby="h-flow">
<h2 id="h-flow">A full round trip</h2>
<pre><code data-sample>curl "${baseUrl}/stubs/handler_api.php?api_key=YOUR_API_KEY&amp;action=getNumber&amp;service=101&amp;country=61&amp;type=1"
# ACCESS_NUMBER:42:923001234567
otpget sandbox deliver 42 "Your code is 847293"
curl "${baseUrl}/stubs/handler_api.php?api_key=YOUR_API_KEY&amp;action=getStatus&amp;id=42"
# STATUS_OK:847293</code></pre>
<p>Service and country ids depend on the catalogue configured on this server: list them with
<code>getCountries</code> and <code>getServices</code> first.</p>
</section>`;
}
