import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/** The checkout's root: the nearest folder with a package.json above this module (src/ or dist/src/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('otpget: package.json not found above the portal module');
    dir = parent;
  }
  return dir;
}

/**
 * Serves the portal's stylesheet and scripts from src/portal/assets, read once at start: no build
 * step, no CDN, so an offline install looks the same. Only the listed files are served.
 */
export function registerPortalAssets(app: FastifyInstance): void {
  const folder = join(packageRoot(), 'src', 'portal', 'assets');
  for (const name of ['otpget.css', 'portal.js', 'docs.js']) {
    const body = readFileSync(join(folder, name));
    const type = TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';
    app.get(`/assets/${name}`, async (_request, reply) =>
      reply
        .type(type)
        .header('cache-control', 'public, max-age=300')
        .header('x-content-type-options', 'nosniff')
        .send(body),
    );
  }
}
