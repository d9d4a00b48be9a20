import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { after, before, it } from 'node:test';
import { promisify } from 'node:util';
import { createAccount } from '../../src/accounts/accounts.service.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { deliverSandboxMessage } from '../../src/providers/sandbox/deliver.js';
import { upstreamOrderResolvers } from '../../src/sandbox-order-resolvers.js';
import { systemClock } from '../../src/shared/clock.js';
import { otpgetNodeArgs } from '../helpers/cli-entry.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { RENTAL_EXAMPLES, type ReferenceExample } from './reference-examples.js';

const run = promisify(execFile);
const hasPhp = await run('php', ['-v']).then(
  () => true,
  () => false,
);
if (!hasPhp) console.log('# PHP examples skipped: php is not installed (apt-get install -y php-cli)');

/** The type skeleton of a JSON value: what a client's parser sees, values aside. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  }
  return typeof value;
}

/** The reference prints its replies with non-breaking spaces for indentation. */
const documentedReply = (example: ReferenceExample): unknown =>
  JSON.parse(example.reply.replaceAll('\u00a0', ' '));

/**
 * The reference's PHP, Python and cURL examples for the Rental API, unchanged except for the host,
 * the API key and the example ids, against `otpget serve` started as a customer would start it.
 */
describeEachDatabase('Rental API reference examples against a running otpget', (kind) => {
  let database: { url: string; drop(): Promise<void> };
  let child: ChildProcess;
  let baseUrl: string;
  let db: Database;
  let apiKey: string;
  let setup: { orderId: string; rentalId: string };

  before(async () => {
    database = await kind.create();
    child = spawn(process.execPath, otpgetNodeArgs('serve'), {
      env: {
        ...process.env,
        OTPGET_CLI_ENTRY: '1',
        DATABASE_URL: database.url,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    baseUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
      child.stdout?.on('data', (chunk) => {
        out += chunk;
        const match = /listening on (http:\/\/[\d.:]+)/.exec(out);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.stderr?.on('data', (chunk) => {
        out += chunk;
      });
      child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
    });
    db = openDatabase(database.url, { poolSize: 2 });
    const created = await createAccount(db.db, systemClock, { name: 'examples', openingBalance: 5_000_000 });
    apiKey = created.apiKey;
    // One rental with a message, for the examples that need an order_id and a rental_id.
    const rented = (await (
      await fetch(
        `${baseUrl}/stubs/rental-handler.php?api_key=${apiKey}&action=rentNumber&country_code=ca&provider=2&duration_hours=720`,
      )
    ).json()) as { order_id: string };
    const row = await db.db
      .selectFrom('rentals')
      .select('id')
      .where('order_id', '=', rented.order_id)
      .executeTakeFirstOrThrow();
    setup = { orderId: rented.order_id, rentalId: String(row.id) };
    await deliverSandboxMessage(db.db, upstreamOrderResolvers, {
      orderId: setup.orderId,
      text: 'Your WhatsApp code 740-279',
      sender: 'WhatsApp',
      now: systemClock.now(),
    });
    // No waiting for the worker: getRentalSMS reads the inbox through, so the examples run right
    // after the delivery and must already see the message.
  });

  after(async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    await db.close();
    await database.drop();
  });

  /**
   * The example's code with only the host, key and example ids replaced. The reference page indents
   * code with non-breaking spaces (a typesetting artefact PHP would choke on); they are plain spaces.
   */
  function localize(code: string): string {
    return code
      .replaceAll('\u00a0', ' ')
      .replaceAll('https://otpget.com', baseUrl)
      .replaceAll('YOUR_API_KEY', apiKey)
      .replaceAll('2673093356180000583', setup.orderId)
      .replaceAll('rental_id=5&', `rental_id=${setup.rentalId}&`)
      .replaceAll('"rental_id":"5"', `"rental_id":"${setup.rentalId}"`);
  }

  const example = (action: string): ReferenceExample => {
    const found = RENTAL_EXAMPLES.find((e) => e.action === action);
    assert.ok(found, action);
    return found;
  };

  const python = async (action: string) =>
    (await run('python3', ['-c', localize(example(action).python)])).stdout;
  const php = async (action: string) => (await run('php', ['-r', localize(example(action).php)])).stdout;
  const curl = async (action: string) =>
    JSON.parse((await run('sh', ['-c', localize(example(action).curl)])).stdout);

  it('covers all seven actions', () => {
    assert.deepEqual(
      RENTAL_EXAMPLES.map((e) => e.action),
      [
        'getRentalCountries',
        'getRentalPricing',
        'getAvailableRentals',
        'rentNumber',
        'getMyRentals',
        'getRentalSMS',
        'renewRental',
      ],
    );
  });

  it('cURL: every reply has the documented shape, and the catalog replies equal the reference’s', async () => {
    for (const e of RENTAL_EXAMPLES) {
      const reply = await curl(e.action);
      assert.deepEqual(shapeOf(reply), shapeOf(documentedReply(e)), `${e.action}: ${JSON.stringify(reply)}`);
    }
    assert.deepEqual(await curl('getRentalCountries'), documentedReply(example('getRentalCountries')));
    assert.deepEqual(await curl('getAvailableRentals'), documentedReply(example('getAvailableRentals')));
    const pricing = (await curl('getRentalPricing')) as { pricing: unknown[] };
    const documented = documentedReply(example('getRentalPricing')) as { pricing: unknown[] };
    assert.deepEqual(pricing.pricing.slice(0, 2), documented.pricing);
  });

  it('Python: prints what the examples promise', async () => {
    assert.equal(await python('getRentalCountries'), 'Canada ca\nUnited States of America us\n');
    assert.equal(
      await python('getRentalPricing'),
      '720h — 840.00 PKR\n4320h — 5040.00 PKR\n8640h — 10080.00 PKR\n',
    );
    assert.equal(await python('getAvailableRentals'), 'Canada 3338 available\n');
    assert.match(await python('rentNumber'), /^Phone: \d{6,15}\n$/);
    assert.match(await python('getMyRentals'), /^(\d{6,15} active\n)+$/);
    // A fresh install's sandbox also sends a WhatsApp code by itself 10 s after purchase.
    assert.match(await python('getRentalSMS'), /^Code: 740279\n(Code: \d{6}\n)?$/);
    assert.match(await python('renewRental'), /^New expiry: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n$/);
  });

  it('PHP: prints what the examples promise', { skip: hasPhp ? false : 'php is not installed' }, async () => {
    assert.equal(await php('getRentalCountries'), 'Canada (ca)\nUnited States of America (us)\n');
    assert.equal(
      await php('getRentalPricing'),
      '720h — 840.00 PKR\n4320h — 5040.00 PKR\n8640h — 10080.00 PKR\n',
    );
    assert.equal(await php('getAvailableRentals'), 'Canada: 3338 numbers\n');
    assert.match(await php('rentNumber'), /^Phone: \d{6,15}\nOrder ID: [1-9]\d{18}\n$/);
    assert.match(await php('getMyRentals'), /^(\d{6,15} \| active\n)+$/);
    assert.match(
      await php('getRentalSMS'),
      /^Code: 740279 \| Text: Your WhatsApp code 740-279\n(Code: \d{6} \| Text: Your WhatsApp code \d{3}-\d{3}\n)?$/,
    );
    assert.match(await php('renewRental'), /^New expiry: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n$/);
  });
});
