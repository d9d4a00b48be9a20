import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Where screenshots go (git-ignored). */
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'admin');

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Why the browser tests cannot run on this machine (no Chromium), or false when they can: the
 * `skip` option of their describe, so a run without Chromium reports them skipped with the reason.
 * `OTPGET_REQUIRE_BROWSER=1` (what `npm run test:all -- --require-browser` and CI set) makes a
 * missing Chromium a failure instead.
 */
export function chromiumMissing(): string | false {
  if (existsSync(CHROMIUM_PATH)) return false;
  const reason = `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  if (process.env.OTPGET_REQUIRE_BROWSER === '1') throw new Error(`browser tests are required: ${reason}`);
  return reason;
}

/**
 * Debian's Chromium, headless, with a throwaway profile and nothing that phones home: the tests
 * only ever talk to the test server on 127.0.0.1.
 */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // A fresh profile per run; Playwright takes the profile directory itself (not as --user-data-dir).
  const profile = mkdtempSync(join(tmpdir(), 'otpget-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns true or the time is up (for effects another cache picks up within seconds). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 8000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}
