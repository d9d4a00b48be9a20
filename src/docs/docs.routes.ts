import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WireEndpoint } from '../http/wire-types.js';
import { findLiveKeyPrefix } from '../portal/dashboard.repository.js';
import { sendHtml } from '../portal/forms.js';
import { type Html, html } from '../portal/html.js';
import { renderPage } from '../portal/layout.js';
import { loadVisitor, type PortalDeps, type Visitor } from '../portal/visitor.js';
import { type ApiDoc, apiCatalog, findApiDoc } from './api-catalog.js';
import { apiPageBody, type LiveActions } from './api-page.js';
import { formatsBody, overviewBody, sandboxBody } from './guide-pages.js';

/** The base URL examples use: the address this visitor reached otpget at. */
function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

function docsNav(current: string): Html {
  const link = (href: string, label: string, id: string) =>
    html`<li><a href="${href}" ${current === id ? html`aria-current="page"` : ''}>${label}</a></li>`;
  return html`<nav class="docs-nav" aria-label="Documentation"><ul>
${link('/docs', 'Overview', 'overview')}
${link('/docs/formats', 'Response formats', 'formats')}
${link('/docs/sandbox', 'Sandbox', 'sandbox')}
</ul><ul>${apiCatalog.map((api: ApiDoc) => link(`/docs/${api.id}`, api.title, api.id))}</ul></nav>`;
}

/**
 * The key box at the top of every docs page: the docs script fills in a key this browser
 * remembers (from when it was made or rotated, while signed in) and swaps it into every sample and "try it" call.
 */
async function keyBox(deps: PortalDeps, visitor: Visitor): Promise<Html> {
  const prefix = visitor.account ? await findLiveKeyPrefix(deps.ctx.db, visitor.account.id) : null;
  return html`<div class="card key-box" data-account="${visitor.account?.id ?? ''}" data-key-prefix="${prefix ?? ''}">
<label for="docs-key">Your API key</label>
<input id="docs-key" autocomplete="off" spellcheck="false" placeholder="og_…">
<p class="hint">${
    visitor.account
      ? prefix
        ? html`Signed in: your key starts with <code>${prefix}</code>. It is filled in when this browser saw it made or rotated; otherwise paste it (or <a href="/dashboard">rotate it</a>). Logging out forgets it here.`
        : html`Signed in, with no API key yet: <a href="/dashboard">make one on the dashboard</a>.`
      : html`<a href="/signup">Sign up</a> or <a href="/login">log in</a> to get a key; samples show <code>YOUR_API_KEY</code> until then.`
  }</p>
</div>`;
}

/** The developer docs: overview, formats, sandbox and one page per API, all rendered from the catalogue. */
export function registerDocs(
  app: FastifyInstance,
  deps: PortalDeps,
  endpoints: readonly WireEndpoint[],
): void {
  const live: LiveActions = new Map(endpoints.map((e) => [e.path, new Set(Object.keys(e.actions))]));
  const page = async (visitor: Visitor, current: string, title: string, content: Html): Promise<string> => {
    const body = html`<div class="docs-layout">${docsNav(current)}<div class="docs-content">${await keyBox(deps, visitor)}${content}</div></div>`;
    return renderPage(visitor, {
      title,
      body,
      scripts: ['/assets/portal.js', '/assets/docs.js'],
      wide: true,
    });
  };

  app.get('/docs', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    return sendHtml(
      reply,
      await page(visitor, 'overview', 'API docs', overviewBody(baseUrlOf(request), live)),
    );
  });
  app.get('/docs/formats', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    return sendHtml(reply, await page(visitor, 'formats', 'Response formats', formatsBody()));
  });
  app.get('/docs/sandbox', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    const body = sandboxBody(baseUrlOf(request), deps.ctx.config.sandboxDelayMs);
    return sendHtml(reply, await page(visitor, 'sandbox', 'Sandbox', body));
  });
  app.get<{ Params: { api: string } }>('/docs/:api', async (request, reply) => {
    const visitor = await loadVisitor(deps, request, reply);
    const api = findApiDoc(request.params.api);
    if (!api) {
      const body = html`<h1>Not found</h1><p>There is no such API page. <a href="/docs">See all APIs</a>.</p>`;
      return sendHtml(reply, renderPage(visitor, { title: 'Not found', body }), 404);
    }
    return sendHtml(
      reply,
      await page(visitor, api.id, api.title, apiPageBody(baseUrlOf(request), api, live)),
    );
  });
}
