import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { withSecurityHeaders } from '../../http/security-headers.js';
import { escapeHtml } from '../../shared/escape-html.js';

/** The console pages: server-rendered shells; public/admin/admin.js fills them from /admin/api. */
const PAGES = {
  overview: 'Overview',
  accounts: 'Accounts',
  account: 'Account',
  orders: 'Orders',
  order: 'Order',
  topups: 'Top-up requests',
  upstreams: 'Upstreams',
  prices: 'Prices',
  audit: 'Audit log',
  login: 'Sign in',
} as const;
type PageName = keyof typeof PAGES;

const NAV: [PageName, string][] = [
  ['overview', '/admin/'],
  ['accounts', '/admin/accounts'],
  ['orders', '/admin/orders'],
  ['topups', '/admin/topups'],
  ['upstreams', '/admin/upstreams'],
  ['prices', '/admin/prices'],
  ['audit', '/admin/audit'],
];

/** The repository root, found from this file in the sources (src/…) and in the build (dist/src/…). */
function packageRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the admin pages');
    dir = parent;
  }
  return dir;
}

export function renderPage(name: PageName, data: Record<string, string> = {}): string {
  const attributes = Object.entries(data)
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  const nav =
    name === 'login'
      ? ''
      : `<nav>${NAV.map(
          ([page, href]) =>
            `<a href="${href}"${page === name || (name === 'account' && page === 'accounts') || (name === 'order' && page === 'orders') ? ' class="current"' : ''}>${PAGES[page]}</a>`,
        ).join('')}<button type="button" id="logout">Sign out</button></nav>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${PAGES[name]} · otpget operator</title>
<link rel="stylesheet" href="/admin/assets/admin.css"><link rel="stylesheet" href="/admin/assets/uplot.min.css">
</head><body data-page="${name}"${attributes}>
<header><strong>otpget</strong> operator console</header>${nav}
<main><h1>${PAGES[name]}</h1><p id="message" role="status"></p><div id="content">Loading…</div></main>
${name === 'overview' ? '<script src="/admin/assets/uplot.min.js"></script>' : ''}<script src="/admin/assets/admin.js"></script>
</body></html>`;
}

/** Serves the pages and their assets (the chart library from node_modules, never from a CDN). */
export function registerAdminPages(app: FastifyInstance): void {
  const root = packageRoot();
  const require = createRequire(import.meta.url);
  const assets: Record<string, { path: string; type: string }> = {
    'admin.js': { path: join(root, 'public', 'admin', 'admin.js'), type: 'text/javascript' },
    'admin.css': { path: join(root, 'public', 'admin', 'admin.css'), type: 'text/css' },
    'uplot.min.js': { path: require.resolve('uplot/dist/uPlot.iife.min.js'), type: 'text/javascript' },
    'uplot.min.css': { path: require.resolve('uplot/dist/uPlot.min.css'), type: 'text/css' },
  };
  const cache = new Map<string, string>();

  app.get('/admin/assets/:name', async (request, reply) => {
    const name = (request.params as { name: string }).name;
    const asset = Object.hasOwn(assets, name) ? assets[name] : undefined;
    if (!asset) return reply.status(404).send({ error: 'not found' });
    let content = cache.get(name);
    if (content === undefined) {
      content = readFileSync(asset.path, 'utf8');
      cache.set(name, content);
    }
    return reply
      .type(`${asset.type}; charset=utf-8`)
      .header('x-content-type-options', 'nosniff')
      .send(content);
  });

  const html =
    (name: PageName, data?: Record<string, string>) =>
    async (_request: unknown, reply: import('fastify').FastifyReply) =>
      withSecurityHeaders(reply)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(renderPage(name, data));

  app.get('/admin', html('overview'));
  app.get('/admin/login', html('login'));
  for (const page of ['accounts', 'orders', 'topups', 'upstreams', 'prices', 'audit'] as const) {
    app.get(`/admin/${page}`, html(page));
  }
  app.get('/admin/accounts/:id', async (request, reply) => {
    const id = (request.params as { id: string }).id;
    if (!/^\d{1,15}$/.test(id)) return reply.status(404).send({ error: 'not found' });
    return html('account', { id })(request, reply);
  });
  app.get('/admin/orders/:line/:id', async (request, reply) => {
    const { line, id } = request.params as { line: string; id: string };
    if (!/^[a-z]{1,10}$/.test(line) || !/^\d{1,15}$/.test(id))
      return reply.status(404).send({ error: 'not found' });
    return html('order', { line, id })(request, reply);
  });
}
