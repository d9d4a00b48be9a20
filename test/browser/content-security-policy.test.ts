import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { adjustBalance } from '../../src/accounts/accounts.service.js';
import { OPERATOR_PASSWORD, signedInOperator } from '../admin/admin-client.js';
import { sqliteKind } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { chromiumMissing, launchChromium } from './admin-browser-support.js';

/**
 * The pages run under a strict Content-Security-Policy (no inline script or style, same-origin
 * only). A violation does not fail a page loudly, it silently drops a script or a style, so
 * this test records every `securitypolicyviolation` event while the pages and their scripts run.
 */
describe('pages under the Content-Security-Policy in Chromium', { skip: chromiumMissing() }, () => {
  let server: TestServer;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;

  before(async () => {
    server = await startTestServer(sqliteKind);
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
    await page.addInitScript(`
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
      });
    `);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function violations(): Promise<string[]> {
    return (await page.evaluate('window.__violations')) as string[];
  }

  it('runs the portal, the dashboard scripts and a docs "try it" call without a violation', async () => {
    for (const path of ['/', '/signup', '/login', '/docs', '/docs/formats']) {
      await page.goto(`${server.url}${path}`);
      assert.deepEqual(await violations(), [], path);
    }
    await page.goto(`${server.url}/signup`);
    await page.getByLabel('Email').fill('csp@example.com');
    await page.getByLabel('Password').fill('a long browser password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Sign-up received' }).waitFor();
    assert.deepEqual(await violations(), [], 'sign-up received page');
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill('csp@example.com');
    await page.getByLabel('Password').fill('a long browser password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${server.url}/dashboard`);
    await page.getByRole('button', { name: 'Create API key' }).click();
    await page.locator('#api-key').waitFor();
    assert.deepEqual(await violations(), [], 'first key page');
    const account = Number(
      (await server.ctx.db.selectFrom('customer_logins').select('account_id').executeTakeFirstOrThrow())
        .account_id,
    );
    await adjustBalance(server.ctx.db, server.clock, {
      accountId: account,
      amount: 15_500,
      reference: 'csp',
    });
    await page.goto(`${server.url}/dashboard`);
    // The dashboard script fills the country list from /portal/api: proof that it ran.
    await page.locator('#sms-country option[value="61"]').waitFor({ state: 'attached' });
    assert.deepEqual(await violations(), [], 'dashboard');
    await page.goto(`${server.url}/docs/sms`);
    const tryIt = page.locator('#getBalance form[data-tryit]');
    await tryIt.getByRole('button', { name: 'Send request' }).click();
    await tryIt.locator('output', { hasText: 'ACCESS_BALANCE' }).waitFor();
    assert.deepEqual(await violations(), [], 'docs try it');
  });

  it('runs the operator console with its chart without a violation', async () => {
    const { email } = await signedInOperator(server, 'csp-boss@example.com');
    await page.goto(`${server.url}/admin/login`);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', OPERATOR_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${server.url}/admin/`);
    // The chart is drawn by uPlot, which sizes its nodes through the style property.
    await page.locator('#chart canvas').waitFor();
    assert.deepEqual(await violations(), [], 'console overview');
  });
});
