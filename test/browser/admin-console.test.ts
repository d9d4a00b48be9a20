import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { CLI_ACTOR } from '../../src/admin/audit.repository.js';
import { createOperator } from '../../src/admin/operators.service.js';
import { findUpstreamByName } from '../../src/providers/upstreams.repository.js';
import { sqliteKind } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { chromiumMissing, eventually, launchChromium, SCREENSHOTS } from './admin-browser-support.js';

// Real headless Chromium against the real server (SQLite: the pages are the same on both databases).
let server: TestServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const EMAIL = 'owner@example.com';
const PASSWORD = 'a browser-tested password';

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
const ready = () => page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });

describe('operator console in Chromium', { skip: chromiumMissing() }, () => {
  before(async () => {
    server = await startTestServer(sqliteKind);
    await createOperator(server.ctx.db, server.clock, { email: EMAIL, password: PASSWORD, actor: CLI_ACTOR });
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    // Generous: CI machines can be busy; a passing run takes a fraction of this.
    page.setDefaultTimeout(15_000);
  });
  after(async () => {
    await chromium?.close();
    await server?.close();
  });

  it('sends a visitor to the login page and signs in', async () => {
    await page.goto(`${server.url}/admin/accounts`);
    await page.waitForURL('**/admin/login');
    await shot('login');
    await page.fill('input[name=email]', EMAIL);
    await page.fill('input[name=password]', 'wrong password!');
    await page.click('button[type=submit]');
    await page.waitForSelector('#message.error');
    assert.match((await page.textContent('#message')) ?? '', /wrong email or password/);
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${server.url}/admin/`);
    await ready();
    assert.match((await page.textContent('.cards')) ?? '', /Customer balances/);
    assert.equal(await page.locator('#chart canvas').count(), 1, 'the chart library drew the per-day chart');
    await shot('overview');
  });

  it('disables an upstream and the email API answers 503 until it is enabled again', async () => {
    const emailServices = async () =>
      (
        await server.getJson<{ status: string }>('/stubs/email_handler.php', {
          api_key: key,
          action: 'getEmailServices',
        })
      ).status;
    const { apiKey: key } = await server.newAccount(0);
    assert.equal(await emailServices(), '200');

    await page.goto(`${server.url}/admin/upstreams`);
    await ready();
    await page.click('button[data-toggle="sandbox-email"]');
    await page.waitForSelector('button[data-toggle="sandbox-email"]:has-text("Disabled")');
    await shot('upstreams');
    assert.equal((await findUpstreamByName(server.ctx.db, 'sandbox-email'))?.enabled, false);
    // The provider registry re-reads upstream rows at most every 2 s.
    assert.ok(await eventually(async () => (await emailServices()) === '503'), 'email API answers 503');

    await page.click('button[data-toggle="sandbox-email"]');
    await page.waitForSelector('button[data-toggle="sandbox-email"]:has-text("Enabled")');
    assert.ok(await eventually(async () => (await emailServices()) === '200'), 'email API serves again');
  });

  it('groups the switches by line and server and narrows them to what the search names', async () => {
    await page.goto(`${server.url}/admin/upstreams`);
    await ready();
    const groups = page.locator('details.switch-group');
    const titles = await Promise.all((await groups.all()).map((box) => box.getAttribute('data-group')));
    assert.deepEqual(titles, [
      'Rental · Server 1',
      'Rental · Server 2',
      'Email · servers',
      'Email · services',
    ]);
    assert.match((await groups.first().locator('summary').textContent()) ?? '', /5 of 5 on/);

    await page.fill('#switch-search', 'germany');
    const visible = page.locator('details.switch-group:not([hidden]) tbody tr:not([hidden])');
    await page.waitForFunction(
      `document.querySelectorAll('details.switch-group:not([hidden])').length === 1`,
    );
    assert.equal(await visible.count(), 1);
    assert.match((await visible.textContent()) ?? '', /country de \(Germany\)/);
    await shot('switches-search');
    await page.click('button[data-switch="rental/countries/4"]');
    await page.waitForSelector('button[data-switch="rental/countries/4"]:has-text("Off")');
    const germany = () =>
      server.ctx.db
        .selectFrom('rental_countries')
        .select('enabled')
        .where('id', '=', 4)
        .executeTakeFirstOrThrow();
    assert.equal(Number((await germany()).enabled), 0);
    // The page re-renders after a change, and keeps the search.
    assert.equal(await page.inputValue('#switch-search'), 'germany');
    assert.equal(await visible.count(), 1);
    await page.click('button[data-switch="rental/countries/4"]');
    await page.waitForSelector('button[data-switch="rental/countries/4"]:has-text("On")');
    assert.equal(Number((await germany()).enabled), 1);
    await page.fill('#switch-search', '');
    await page.waitForFunction(
      `document.querySelectorAll('details.switch-group:not([hidden])').length === 4`,
    );
    // A server on the sandbox has no catalogue to import: the console says so and changes nothing.
    await groups.first().locator('summary').click();
    await page.click('button[data-import="rental/1"]');
    await page.waitForSelector('#message.error');
    assert.match((await page.textContent('#message')) ?? '', /publishes no rental catalogue to import/);
    assert.equal(Number((await germany()).enabled), 1);
  });

  it('changes a markup and getServices shows the new price', async () => {
    const { apiKey } = await server.newAccount(0);
    const telegram = async () =>
      (
        await server.getJson<Record<string, string>>('/stubs/handler_api.php', {
          api_key: apiKey,
          action: 'getServices',
          type: '1',
          country: '61',
        })
      )['101'];
    assert.equal(await telegram(), 'Telegram - 45 PKR');
    await page.goto(`${server.url}/admin/prices`);
    await ready();
    await page.fill('#rate-form input[name=currency]', 'USD');
    await page.fill('#rate-form input[name=pkr]', '280');
    await page.click('#rate-form button[type=submit]');
    await page.waitForSelector('#rates-table td:has-text("USD")');
    await page.fill('#markup-form input[name=scope]', 'sms');
    await page.fill('#markup-form input[name=percent]', '50');
    await page.click('#markup-form button[type=submit]');
    await page.waitForSelector('#markups-table td:has-text("50")');
    assert.equal(await telegram(), 'Telegram - 67.50 PKR');
    await page.fill('#preview-form input[name=cost]', '0.10');
    await page.fill('#preview-form input[name=scopes]', 'sms');
    await page.click('#preview-form button[type=submit]');
    // 0.10 USD × 280 = 28.00 PKR, +50 % = 42.00 PKR.
    await page.waitForSelector('#preview-result:has-text("42.00 PKR")');
    assert.equal(await page.locator('#route-entries-table th').count(), 3);
    // Type 1 runs on the sandbox, which publishes no catalogue: the import says so.
    await page.click('#import-form button[type=submit]');
    await page.waitForSelector('#message.error');
    assert.match((await page.textContent('#message')) ?? '', /publishes no catalogue to import/);
    await shot('prices');
  });

  it('approves a customer top-up and the balance changes', async () => {
    const customer = await server.newAccount(1_000);
    const submitted = await fetch(`${server.url}/api/topups`, {
      method: 'POST',
      body: new URLSearchParams({
        api_key: customer.apiKey,
        amount: '750',
        method: 'easypaisa',
        payment_reference: 'EP-BROWSER-1',
      }),
    });
    assert.equal(submitted.status, 201);
    const id = ((await submitted.json()) as { topup: { id: number } }).topup.id;

    await page.goto(`${server.url}/admin/topups`);
    await ready();
    await shot('topups');
    await page.click(`button[data-approve="${id}"]`);
    await page.waitForSelector('#message.ok');
    assert.match((await page.textContent('#message')) ?? '', /balance 760\.00 PKR/);
    const balance = await server.get('/stubs/handler_api.php', {
      api_key: customer.apiKey,
      action: 'getBalance',
    });
    assert.equal(balance, 'ACCESS_BALANCE:760.00');

    await page.goto(`${server.url}/admin/accounts/${customer.id}`);
    await ready();
    assert.equal(await page.textContent('#account-balance'), '760.00');
    assert.equal(await page.locator(`#ledger-table td:has-text("topup-request:${id}")`).count(), 1);
    await shot('account');
    await page.goto(`${server.url}/admin/accounts`);
    await ready();
    await shot('accounts');
    const bought = await server.getJson<{ email_id: string }>('/stubs/email_handler.php', {
      api_key: customer.apiKey,
      action: 'buyEmail',
      service_id: 'ig',
    });
    await page.goto(`${server.url}/admin/orders?account=${customer.id}`);
    await ready();
    await shot('orders');
    await page.click(`a[href="/admin/orders/email/${bought.email_id}"]`);
    await ready();
    await page.fill('#refund-form input[name="reason"]', 'mailbox never received the letter');
    await page.click('#refund');
    await page.waitForSelector('#message.ok');
    await page.waitForSelector('#timeline-table td:has-text("order_refund")');
    await page.waitForSelector('#timeline-table td:has-text("upstream buyEmail")');
    await shot('order');
    await page.goto(`${server.url}/admin/upstreams`);
    await ready();
    await page.click('button[data-calls="sandbox-email"]');
    await page.waitForSelector('#calls-table td:has-text("buyEmail")');
    await shot('upstream-calls');
    assert.equal(
      await server.get('/stubs/handler_api.php', { api_key: customer.apiKey, action: 'getBalance' }),
      'ACCESS_BALANCE:760.00',
    );
    await page.goto(`${server.url}/admin/audit`);
    await ready();
    assert.ok((await page.locator('#audit-table td:has-text("topup.approve")').count()) >= 1);
    await shot('audit');
  });
});
