import { type Html, html } from '../portal/html.js';
import type { ActionDoc, ApiDoc, ErrorDoc } from './api-catalog.js';
import { codeSamples } from './code-samples.js';

/** What this server actually serves: endpoint path → action names (from the live wire modules). */
export type LiveActions = ReadonlyMap<string, ReadonlySet<string>>;

export function isServed(live: LiveActions, api: ApiDoc, action: string): boolean {
  return live.get(api.path)?.has(action) ?? false;
}

function errorRow(error: ErrorDoc, json: boolean): Html {
  return json
    ? html`<tr><td><code>"${error.status ?? ''}"</code></td><td><code>${error.reply}</code></td><td>${error.when}</td></tr>`
    : html`<tr><td><code>${error.reply}</code></td><td>${error.when}</td></tr>`;
}

export function errorTable(api: ApiDoc, keys: readonly string[]): Html {
  const json = api.format === 'json';
  const rows = keys.map((k) => api.errors[k]).filter((e): e is ErrorDoc => e !== undefined);
  return html`<div class="table-wrap"><table>
<thead><tr>${json ? html`<th scope="col">status</th><th scope="col">message</th>` : html`<th scope="col">Response</th>`}<th scope="col">When it happens</th></tr></thead>
<tbody>${rows.map((e) => errorRow(e, json))}</tbody></table></div>`;
}

function codeTabs(baseUrl: string, api: ApiDoc, action: ActionDoc): Html {
  const samples = codeSamples(baseUrl, api, action);
  const tabs = [
    ['php', 'PHP', samples.php],
    ['curl', 'cURL', samples.curl],
    ['python', 'Python', samples.python],
  ] as const;
  const id = `${api.id}-${action.name}`;
  return html`<p class="url"><code data-sample>${samples.url}</code></p>
<div class="tabs" data-tabs>
<div role="tablist" aria-label="Code samples for ${action.name}">${tabs.map(
    ([key, label], i) =>
      html`<button type="button" role="tab" class="small" id="tab-${id}-${key}" aria-controls="panel-${id}-${key}" aria-selected="${i === 0 ? 'true' : 'false'}">${label}</button>`,
  )}</div>
${tabs.map(
  ([key, label, code]) =>
    html`<pre role="tabpanel" id="panel-${id}-${key}" aria-labelledby="tab-${id}-${key}" tabindex="0" data-lang="${label}"><code data-sample>${code}</code></pre>`,
)}
</div>`;
}

function tryIt(api: ApiDoc, action: ActionDoc): Html {
  const id = `${api.id}-${action.name}`;
  return html`<form class="tryit" data-tryit data-path="${api.path}" data-action="${action.name}" ${action.spends ? html`data-spends="1"` : ''}>
<h3>Try it</h3>
${action.spends ? html`<p class="hint">This call spends from your balance.</p>` : ''}
${
  action.params.length > 0
    ? html`<div class="fields">${action.params.map(
        (p) =>
          html`<div><label for="try-${id}-${p.name}">${p.name}${p.required ? '' : html` <span class="hint">(optional)</span>`}</label>
<input id="try-${id}-${p.name}" name="${p.name}" value="${p.example}" autocomplete="off"></div>`,
      )}</div>`
    : ''
}
<button type="submit">Send request</button>
<output aria-live="polite" class="tryit-result"></output>
</form>`;
}

function actionSection(
  baseUrl: string,
  api: ApiDoc,
  action: ActionDoc,
  index: number,
  served: boolean,
): Html {
  const errorKeys = [api.common.badKey, api.common.blocked, ...action.errors];
  return html`<section class="card" id="${action.name}" aria-labelledby="h-${action.name}" data-action-doc="${action.name}" data-served="${served ? '1' : '0'}">
<h2 id="h-${action.name}">${index + 1}. ${action.title} <code>${action.name}</code>
${served ? '' : html`<span class="badge warn">not served by this server yet</span>`}</h2>
<p>${action.summary}</p>
${(action.notes ?? []).map((n) => html`<p>${n}</p>`)}
${
  action.params.length > 0
    ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Parameter</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Description</th></tr></thead>
<tbody>${action.params.map((p) => html`<tr><td><code>${p.name}</code></td><td>${p.type}</td><td>${p.required ? 'Required' : 'Optional'}</td><td>${p.description}</td></tr>`)}</tbody></table></div>`
    : html`<p class="hint">No parameters besides <code>api_key</code> and <code>action</code>.</p>`
}
${codeTabs(baseUrl, api, action)}
${action.replies.map((r) => html`<h3>${r.label}</h3><pre><code>${r.body}</code></pre>`)}
<h3>Errors</h3>
${errorTable(api, errorKeys)}
${served ? tryIt(api, action) : ''}
</section>`;
}

/** One API's page: overview table, then every action with samples, replies, errors and "try it". */
export function apiPageBody(baseUrl: string, api: ApiDoc, live: LiveActions): Html {
  return html`<h1>${api.title}</h1>
${api.intro.map((p) => html`<p>${p}</p>`)}
<p>Base URL: <code>${baseUrl}${api.path}</code></p>
<div class="table-wrap"><table>
<thead><tr><th scope="col">#</th><th scope="col">Action</th><th scope="col">Key params</th><th scope="col">Description</th></tr></thead>
<tbody>${api.actions.map(
    (a, i) =>
      html`<tr><td>${i + 1}</td><td><a href="#${a.name}"><code>${a.name}</code></a></td><td>${a.params.map((p) => p.name).join(', ')}</td><td>${a.summary}</td></tr>`,
  )}</tbody></table></div>
${api.actions.map((a, i) => actionSection(baseUrl, api, a, i, isServed(live, api, a.name)))}
<section class="card" id="errors" aria-labelledby="h-errors">
<h2 id="h-errors">Error codes</h2>
${errorTable(api, Object.keys(api.errors))}
</section>`;
}
