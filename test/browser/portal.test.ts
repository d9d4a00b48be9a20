import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { adjustBalance } from '../../src/accounts/accounts.service.js';
import { runOtpget } from '../helpers/cli.js';
import { sqliteKind } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { chromiumMissing, launchChromium } from './admin-browser-support.js';

/** Screenshots of the portal and docs at desktop and phone widths (git-ignored). */
const SHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'portal');
const LOCK_SECONDS = 5;
const PASSWORD = 'a long browser password';
/** The words of the focused element; run in the page. */
const FOCUSED = 'document.activeElement && document.activeElement.textContent';
/** How far the page scrolls sideways (0 when it fits the viewport); run in the page (no DOM types here). */
/** How many orders the dashboard panels list in data-orders (drawn at page load) have no card yet. */
const ORDERS_NOT_YET_DRAWN = `[...document.querySelectorAll('[data-orders]')]
  .flatMap((panel) => JSON.parse(panel.getAttribute('data-orders') || '[]'))
  .filter((id) => !document.querySelector('[data-order="' + id + '"]')).length`;
const OVERFLOW = 'document.documentElement.scrollWidth - window.innerWidth';

// One real Chromium over the real server on SQLite: the HTTP suites cover PostgreSQL.
describe('customer portal and docs in Chromium', { skip: chromiumMissing() }, () => {
  let server: TestServer;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let page: Page;
  let apiKey = '';

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await startTestServer(sqliteKind, { env: { OTPGET_CANCEL_LOCK_SECONDS: String(LOCK_SECONDS) } });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Lets the server's worker see what the sandbox received (the test drives jobs and time). */
  async function runWorker(): Promise<void> {
    server.clock.advance(3_000);
    await server.runJobs();
  }

  it('signs up from the home page, logs in, and shows the first API key once', async () => {
    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Email').fill('browser@example.com');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /at least 10 characters/);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Sign-up received' }).waitFor();
    await logIn(page);
    await page.getByRole('button', { name: 'Create API key' }).click();
    apiKey = ((await page.locator('#api-key').textContent()) ?? '').trim();
    assert.match(apiKey, /^og_[\w-]{32}$/);
    assert.equal(
      await server.get('/stubs/handler_api.php', { api_key: apiKey, action: 'getBalance' }),
      'ACCESS_BALANCE:0.00',
    );
  });

  it('buys a sandbox SMS number and sees the delivered code arrive', async () => {
    const login = await server.ctx.db
      .selectFrom('customer_logins')
      .select('account_id')
      .executeTakeFirstOrThrow();
    await adjustBalance(server.ctx.db, server.clock, {
      accountId: Number(login.account_id),
      amount: 20_000,
      reference: 'jazz-browser',
    });
    await page.goto(`${server.url}/dashboard`);
    assert.equal((await page.locator('#balance').textContent()) ?? '', '200.00');
    const order = await buy(page);
    assert.equal((await page.locator('#balance').textContent()) ?? '', '155.00');
    const delivered = await runOtpget(['sandbox', 'deliver', order, 'Your Telegram code is 58213'], {
      DATABASE_URL: server.ctx.config.databaseUrl,
    });
    assert.equal(delivered.code, 0, delivered.stderr);
    await runWorker();
    await page.locator(`[data-order="${order}"] [data-code="58213"]`).waitFor();
    await page.screenshot({ path: join(SHOTS, 'dashboard-desktop.png'), fullPage: true });
  });

  it('cancels another number after the lock and shows the refund in the statement', async () => {
    const order = await buy(page);
    const card = page.locator(`[data-order="${order}"]`);
    assert.equal(await card.getByRole('button', { name: 'Cancel and refund' }).isDisabled(), true);
    server.clock.advance((LOCK_SECONDS + 1) * 1000);
    const cancel = card.getByRole('button', { name: 'Cancel and refund' });
    await page.locator(`[data-order="${order}"] button.danger:not([disabled])`).waitFor();
    await cancel.click();
    await page.locator(`[data-order="${order}"][data-state="cancelled"]`).waitFor();
    assert.equal((await page.locator('#balance').textContent()) ?? '', '155.00');
    // The statement updates in place, and stays right after a reload.
    await page.locator('table.statement tbody tr[data-kind="order_refund"]').waitFor();
    await page.reload();
    const first = page.locator('table.statement tbody tr').first();
    assert.equal(await first.getAttribute('data-kind'), 'order_refund');
    assert.match((await first.textContent()) ?? '', /Refund.*\+45\.00.*155\.00/s);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SHOTS, 'dashboard-phone.png'), fullPage: true });
    const overflow = Number(await page.evaluate(OVERFLOW));
    assert.ok(overflow <= 0, `no sideways scrolling at phone width (overflow ${overflow}px)`);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows the SMS order history with the code, filters it by state, and fits desktop and phone', async () => {
    await page.goto(`${server.url}/dashboard`);
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.waitForURL('**/dashboard/orders/sms');
    const rows = page.locator('#history tbody tr');
    assert.equal(await rows.count(), 2, 'the delivered number and the cancelled one');
    const codes = await rows.locator('td:nth-child(6)').allTextContents();
    assert.ok(
      codes.some((code) => /^\d{4,8}$/.test(code)),
      `the delivered code is shown (${codes.join(', ')})`,
    );
    await page.screenshot({ path: join(SHOTS, 'orders-desktop.png'), fullPage: true });
    // The delivered number is finished from its row, without the dashboard.
    const done = page.locator('#history button[data-verb="complete"]');
    assert.equal(await done.count(), 1, 'the number with its code has a Done button');
    await done.click();
    await page.waitForURL('**/dashboard/orders/sms?notice=completed');
    assert.match((await page.textContent('[role="status"].alert')) ?? '', /Done\. Thanks!/);
    assert.deepEqual(
      (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-state')))).sort(),
      ['cancelled', 'finished'],
    );
    await page.selectOption('#state', 'cancelled');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL('**/dashboard/orders/sms?state=cancelled');
    assert.equal(await rows.count(), 1);
    assert.equal(await rows.first().getAttribute('data-state'), 'cancelled');
    assert.match((await rows.first().textContent()) ?? '', /Cancelled \(refunded\)/);
    await page.getByRole('link', { name: 'Temp email' }).click();
    await page.waitForURL('**/dashboard/orders/email');
    assert.match((await page.textContent('main')) ?? '', /No orders yet\./);
    await page.goto(`${server.url}/dashboard/orders/sms`);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SHOTS, 'orders-phone.png'), fullPage: true });
    const overflow = Number(await page.evaluate(OVERFLOW));
    assert.ok(overflow <= 0, `the order history fits a phone (overflow ${overflow}px)`);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('fills the key into the docs and a "try it" call reaches the real API', async () => {
    await page.goto(`${server.url}/docs/sms`);
    assert.equal(await page.locator('#docs-key').inputValue(), apiKey);
    const sample = page.locator('#getBalance pre[data-lang="cURL"]');
    // Keyboard: the code tabs follow the arrow keys.
    await page.locator('#getBalance [role="tab"]', { hasText: 'PHP' }).focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await sample.isVisible(), true);
    assert.match((await sample.textContent()) ?? '', new RegExp(`api_key=${apiKey}&action=getBalance`));
    const tryIt = page.locator('#getBalance form[data-tryit]');
    await tryIt.getByRole('button', { name: 'Send request' }).click();
    await tryIt.locator('output', { hasText: 'ACCESS_BALANCE' }).waitFor();
    assert.equal((await tryIt.locator('output').textContent()) ?? '', 'HTTP 200\nACCESS_BALANCE:155.00');
    await page.screenshot({ path: join(SHOTS, 'docs-desktop.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SHOTS, 'docs-phone.png') });
    const overflow = Number(await page.evaluate(OVERFLOW));
    assert.ok(overflow <= 0, `docs fit a phone (overflow ${overflow}px)`);
  });

  it('asks before buying, with the price; Cancel and Escape buy nothing, the keyboard can confirm', async () => {
    await page.goto(`${server.url}/dashboard`);
    const orders = await ordersShown(page);
    await chooseTelegram(page);
    await page.getByRole('button', { name: 'Buy number' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm your purchase' });
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', /Telegram — 45\.00 PKR/);
    assert.equal(await page.evaluate(FOCUSED), 'Cancel', 'Cancel has the focus');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Buy number' }).click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await page.locator('#sms-buy-message').textContent()) ?? '', 'Not bought.');
    assert.equal((await page.locator('#balance').textContent()) ?? '', '155.00', 'nothing was charged');
    assert.equal(await page.locator('[data-order]').count(), orders);
    // Keyboard only: Enter on the buy button opens the dialog, Tab moves to "Buy for …", Enter buys.
    await page.getByRole('button', { name: 'Buy number' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(FOCUSED), 'Buy for 45.00 PKR');
    await page.keyboard.press('Enter');
    await page.locator('[data-order]').nth(orders).waitFor();
    assert.equal((await page.locator('#balance').textContent()) ?? '', '110.00');
  });

  it('asks before a form purchase (temp email): Cancel stays on the dashboard, Buy sends the form', async () => {
    await page.goto(`${server.url}/dashboard`);
    const offer = page.getByLabel('Service or domain');
    const label = ((await offer.locator('option:checked').textContent()) ?? '').trim();
    const price = /(\d+\.\d\d) PKR$/.exec(label)?.[1];
    assert.ok(price, label);
    await page.getByRole('button', { name: 'Buy email' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm your purchase' });
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', new RegExp(`${price} PKR is taken from your balance`));
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(page.url(), `${server.url}/dashboard`);
    assert.equal((await page.locator('#balance').textContent()) ?? '', '110.00', 'nothing was charged');
    await page.getByRole('button', { name: 'Buy email' }).click();
    await dialog.getByRole('button', { name: `Buy for ${price} PKR` }).click();
    await page.waitForURL(/\/dashboard\/emails\/\d+$/);
  });

  it('forgets the key at logout: the docs no longer show it, and a signed-out browser keeps none', async () => {
    await page.goto(`${server.url}/docs/sms`);
    assert.equal(await page.locator('#docs-key').inputValue(), apiKey);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.goto(`${server.url}/docs/sms`);
    assert.equal(await page.locator('#docs-key').inputValue(), '');
    assert.doesNotMatch((await page.locator('#getBalance pre[data-lang="cURL"]').textContent()) ?? '', /og_/);
    assert.equal(await page.evaluate(`localStorage.getItem('otpget.apiKey')`), null);
    // Logged in again, the docs fill nothing (the key was forgotten); a rotation stores the new one.
    await page.goto(`${server.url}/login`);
    await logIn(page);
    await page.goto(`${server.url}/docs/sms`);
    assert.equal(await page.locator('#docs-key').inputValue(), '');
    await page.goto(`${server.url}/dashboard`);
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'Rotate key' }).click();
    apiKey = ((await page.locator('#api-key').textContent()) ?? '').trim();
    await page.goto(`${server.url}/docs/sms`);
    assert.equal(await page.locator('#docs-key').inputValue(), apiKey);
    // The session ends without this browser logging out (expired, or logged out elsewhere).
    await browser.context.clearCookies();
    await page.goto(`${server.url}/docs/sms`);
    assert.equal(
      await page.locator('#docs-key').inputValue(),
      '',
      'never filled in for a signed-out visitor',
    );
    assert.equal(await page.evaluate(`localStorage.getItem('otpget.apiKey')`), null, 'and dropped');
  });

  /** Logs in from the log-in page with the sign-up's address and password, onto the dashboard. */
  async function logIn(p: Page): Promise<void> {
    await p.getByRole('link', { name: 'Log in' }).first().click();
    await p.getByLabel('Email').fill('browser@example.com');
    await p.getByLabel('Password').fill(PASSWORD);
    await p.getByRole('button', { name: 'Log in' }).click();
    await p.waitForURL(`${server.url}/dashboard`);
  }

  /**
   * The number of order cards once the dashboard has drawn every order it listed at page load:
   * those cards are drawn by each order's first poll, so counting before they answer counts too
   * few (orders bought on the page since are drawn at once).
   */
  async function ordersShown(p: Page): Promise<number> {
    // A polling loop, not waitForFunction: the portal's CSP forbids the eval that one uses.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const missing = Number(await p.evaluate(ORDERS_NOT_YET_DRAWN));
      if (missing === 0) return p.locator('[data-order]').count();
      assert.ok(Date.now() < deadline, `${missing} listed orders still not drawn after 10 s`);
      await p.waitForTimeout(20);
    }
  }

  async function chooseTelegram(p: Page): Promise<void> {
    await p.locator('#sms-country option[value="61"]').waitFor({ state: 'attached' });
    await p.getByLabel('Country', { exact: true }).selectOption('61');
    await p.locator('#sms-service option[value="101"]').waitFor({ state: 'attached' });
    await p.getByLabel('Service', { exact: true }).selectOption('101');
  }

  /** Buys Telegram / Pakistan / provider 1 through the dashboard form, confirming; returns the order id. */
  async function buy(p: Page): Promise<string> {
    const before = await ordersShown(p);
    await chooseTelegram(p);
    await p.getByRole('button', { name: 'Buy number' }).click();
    await p.getByRole('dialog').getByRole('button', { name: 'Buy for 45.00 PKR' }).click();
    await p.locator('[data-order]').nth(before).waitFor();
    const id = await p.locator('[data-order]').first().getAttribute('data-order');
    assert.ok(id);
    assert.match((await p.locator('#sms-buy-message').textContent()) ?? '', /^Bought \+\d+\./);
    return id;
  }
});
