/**
 * The reference's PHP, Python and cURL examples for the Temp Email OTP API, run verbatim (host,
 * key and email_id substituted) against `otpget serve` on a fresh database, as a new install runs.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { runOtpget } from '../helpers/cli.js';
import { sqliteKind } from '../helpers/databases.js';
import {
  hasPhp,
  hasPythonRequests,
  runSnippet,
  type SnippetLanguage,
  startServeProcess,
} from '../helpers/snippets.js';
import { emailExamples, substitute } from './email-reference-examples.js';

const hasRequests = hasPythonRequests;
if (!hasPhp) console.log('# php is not installed: the PHP examples are skipped (apt-get install -y php-cli)');
if (!hasRequests)
  console.log('# python3 requests is missing: the Python examples are skipped (pip install requests)');

type Lang = SnippetLanguage;
// curl prints a progress meter to stderr without -s; the reference's examples leave it out.
const run = (lang: Lang, code: string) => runSnippet(lang, lang === 'curl' ? `${code} -s` : code);
const serve = startServeProcess;

// A fresh install's embedded database, as `npm start` runs it; the wire does not depend on the
// database, and every action runs on PostgreSQL in the other email suites.
describe('temp email API: the reference examples, verbatim, against `otpget serve`', () => {
  const kind = sqliteKind;
  let server: { child: ChildProcess; url: string };
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  let apiKey: string;
  const bought: Record<string, string> = {};
  const example = (name: keyof typeof emailExamples, lang: Lang, emailId?: string) =>
    run(
      lang,
      substitute(emailExamples[name][lang], { baseUrl: server.url, apiKey, ...(emailId ? { emailId } : {}) }),
    );
  const langs = (): Lang[] => [
    ...(hasPhp ? (['php'] as const) : []),
    ...(hasRequests ? (['python'] as const) : []),
    'curl',
  ];

  before(async () => {
    const database = await kind.create();
    drop = database.drop;
    env = { DATABASE_URL: database.url, LOG_LEVEL: 'silent' };
    server = await serve({
      ...env,
      HOST: '127.0.0.1',
      PORT: '0',
      OTPGET_SANDBOX_DELAY_MS: 'off',
      OTPGET_WORKER_INTERVAL_MS: '100',
    });
    const created = await runOtpget(['account', 'create', '--balance', '5000', '--json'], env);
    assert.equal(created.code, 0, created.stderr);
    apiKey = (JSON.parse(created.stdout) as { apiKey: string }).apiKey;
  });
  after(async () => {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    await drop();
  });

  it('13. getEmailServices, server 1 and server 2', async () => {
    if (hasPhp) {
      const php = await example('servicesServer1', 'php');
      assert.match(php, /^Tinder — 80\nInstagram — 120\nTelegram — 95\n/);
      assert.equal(php.trim().split('\n').length, 93);
      assert.match(
        await example('domainsServer2', 'php'),
        /^gmail\.com — 15\.6 PKR \(82000 available\)\nmail\.com — 1\.17 PKR \(990125 available\)\ngmx\.com — 1\.17 PKR \(1615245 available\)\n/,
      );
    }
    if (hasRequests) {
      assert.match(await example('servicesServer1', 'python'), /^Tinder 80\nInstagram 120\nTelegram 95\n/);
      assert.match(
        await example('domainsServer2', 'python'),
        /^gmail\.com 15\.6 PKR\nmail\.com 1\.17 PKR\ngmx\.com 1\.17 PKR\n/,
      );
    }
    const services = JSON.parse(await example('servicesServer1', 'curl'));
    assert.deepEqual([services.status, services.server, services.count], ['200', 1, 93]);
    assert.deepEqual(services.services[1], {
      service_code: 'ig',
      service_name: 'Instagram',
      price: 120,
      count: 48,
    });
    const domains = JSON.parse(await example('domainsServer2', 'curl'));
    assert.deepEqual([domains.status, domains.server, domains.count], ['200', 2, 5]);
    assert.deepEqual(domains.domains[0], { domain: 'gmail.com', price: 15.6, count: 82000 });
  });

  it('14. buyEmail, server 1 and server 2', async () => {
    const runs = langs().flatMap((lang) =>
      (['buyServer1', 'buyServer2'] as const).map((name) => ({ lang, name })),
    );
    const outputs = await Promise.all(runs.map(({ lang, name }) => example(name, lang)));
    for (const [i, { lang, name }] of runs.entries()) {
      const out = outputs[i] as string;
      let id: string;
      if (lang === 'curl') {
        const reply = JSON.parse(out);
        assert.deepEqual(
          [reply.status, reply.message, reply.service, reply.domain, reply.server],
          [
            '200',
            'Email activated successfully',
            name === 'buyServer1' ? 'Instagram' : 'Email Activation',
            'gmail.com',
            name === 'buyServer1' ? 1 : 2,
          ],
        );
        assert.equal(reply.price, name === 'buyServer1' ? 120 : 15.6);
        id = reply.email_id;
      } else {
        const match =
          lang === 'php'
            ? /^Email: \S+@gmail\.com \| ID: (\d+)$/.exec(out)
            : /^Email: \S+@gmail\.com ID: (\d+)\n$/.exec(out);
        assert.ok(match?.[1], `${lang} ${name}: ${out}`);
        id = match[1];
      }
      bought[`${lang}-${name}`] = id;
    }
  });

  it('15. getEmailCode, once `otpget sandbox deliver` put the letter there', async () => {
    const id = bought['curl-buyServer1'] as string;
    const code = JSON.parse(await example('getEmailCode', 'curl', id));
    assert.deepEqual([code.status, code.message], ['202', 'Waiting for code...']);
    const delivered = await runOtpget(['sandbox', 'deliver', id, 'Your Instagram code is 482 913'], env);
    assert.equal(delivered.code, 0, delivered.stderr);
    const deadline = Date.now() + 15_000;
    let reply = code;
    while (reply.status !== '200' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      reply = JSON.parse(await example('getEmailCode', 'curl', id));
    }
    assert.deepEqual([reply.status, reply.messages?.[0]?.code], ['200', '482913']);
    if (hasPhp) assert.equal(await example('getEmailCode', 'php', id), 'OTP: 482913');
    if (hasRequests) assert.equal(await example('getEmailCode', 'python', id), 'OTP: 482913\n');
  });

  it('16. cancelEmail: refund while waiting, the code once it came', async () => {
    for (const lang of langs()) {
      const id = bought[`${lang}-buyServer2`] as string;
      const out = await example('cancelEmail', lang, id);
      const message = lang === 'curl' ? JSON.parse(out).message : out.trim();
      assert.equal(message, 'Email activation cancelled. 15.60 PKR refunded', lang);
    }
    const withCode = bought['curl-buyServer1'] as string;
    const expected = 'Code already received. Email activation completed';
    if (hasRequests) assert.equal(await example('cancelEmail', 'python', withCode), `${expected}\n`);
    if (hasPhp)
      assert.equal(await example('cancelEmail', 'php', withCode), 'Email activation already completed');
  });

  it('17. getEmailHistory', async () => {
    const bought = langs().length * 2;
    const curl = JSON.parse(await example('getEmailHistory', 'curl'));
    assert.deepEqual([curl.status, curl.page, curl.total, curl.count], ['200', 1, bought, bought]);
    const lines = (out: string) => out.trim().split('\n');
    if (hasPhp) {
      const php = lines(await example('getEmailHistory', 'php'));
      assert.equal(php.length, bought);
      for (const line of php) assert.match(line, /^\S+@gmail\.com \| (waiting|cancelled|completed)$/);
    }
    if (hasRequests) {
      const python = lines(await example('getEmailHistory', 'python'));
      assert.equal(python.length, bought);
      assert.ok(python.includes(`${curl.history[0].email_address} ${curl.history[0].status}`));
    }
    const check = await runOtpget(['ledger', 'check'], env);
    assert.equal(check.code, 0, check.stderr);
  });
});
