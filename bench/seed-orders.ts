/**
 * Many live orders quickly, for the memory figure, written while no server runs. Going through
 * getNumber (or the engine's steps one order at a time) makes 100,000 orders take many minutes on
 * this machine, so the rows are written set-based, one account at a time in one transaction:
 * the sandbox upstream's orders (numbers as the sandbox makes them), the activations exactly as the
 * engine leaves a bought order (state active, upstream order id, phone, price, next poll due), one
 * `order_debit` ledger entry per order with reference `activation:<id>` and a running
 * `balance_after`, and the account's balance lowered by the same total. `otpget ledger check`
 * stays clean, which the benchmark verifies after seeding.
 */
import { sql } from 'kysely';
import pino from 'pino';
import { newActivationId } from '../src/activations/public-id.js';
import { SANDBOX_POLL_MS } from '../src/activations/timing.js';
import { createContext } from '../src/app.js';
import { resolveSmsOffer, smsCatalogRef } from '../src/catalog/sms-catalog.service.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { sandboxPhone } from '../src/providers/sandbox/sandbox-messages.js';
import type { LiveOrder, SeededAccount } from './seed.js';
import { benchEnv } from './server-process.js';
import type { SmsProduct } from './sms-product.js';

/** Rows per multi-row INSERT (activations have 20 columns; SQLite allows 32,766 parameters). */
const CHUNK = 1000;

export async function seedOrdersInProcess(
  databaseUrl: string,
  accounts: SeededAccount[],
  product: SmsProduct,
  count: number,
  onProgress: (done: number) => void = () => {},
): Promise<LiveOrder[]> {
  const config = loadConfig(benchEnv(databaseUrl));
  const database = openDatabase(databaseUrl, { poolSize: 2 });
  const { db } = database;
  const ctx = createContext({ ...config, redisUrl: null }, database, { log: pino({ level: 'silent' }) });
  const type = Number(product.type);
  const country = Number(product.country);
  const service = Number(product.service);
  const orders: LiveOrder[] = [];
  try {
    const resolved = await resolveSmsOffer(ctx, type, country, service);
    if (resolved.kind !== 'ok') throw new Error(`no offer for ${JSON.stringify(product)}: ${resolved.kind}`);
    const price = resolved.offer.pricePaisa;
    const offer = resolved.offer.routes[0];
    if (!offer) throw new Error('the offer has no route');
    if (price === null || price <= 0) throw new Error('the offer has no price');
    const upstream = await ctx.providers.upstream(offer.upstreamId);
    if (upstream.protocol !== 'sandbox') throw new Error('bulk seeding only buys from the sandbox');
    const catalogRef = smsCatalogRef(type, country, service);

    for (let a = 0; a < accounts.length && orders.length < count; a++) {
      const account = accounts[a] as SeededAccount;
      const share = Math.ceil((count - orders.length) / (accounts.length - a));
      for (let offset = 0; offset < share; offset += CHUNK) {
        const size = Math.min(CHUNK, share - offset);
        const bought = await db.transaction().execute(async (trx) => {
          const now = Date.now();
          // The sandbox's side: its orders, numbered as the sandbox numbers them.
          const sandboxRows = await trx
            .insertInto('sandbox_orders')
            .values(
              Array.from({ length: size }, (_, i) => ({
                kind: 'sms' as const,
                address: `bench-${offset + i}`,
                service: offer.upstreamService,
                status: 'active' as const,
                auto_deliver_at: null,
                expires_at: null,
                created_at: now,
              })),
            )
            .returning(['id'])
            .execute();
          const phones = sandboxRows.map((r) => ({
            id: r.id,
            phone: sandboxPhone(offer.upstreamCountry, r.id),
          }));
          if (database.dialect === 'postgres') {
            await sql`UPDATE sandbox_orders AS s SET address = v.address
              FROM (VALUES ${sql.join(phones.map((p) => sql`(${p.id}::bigint, ${p.phone})`))}) AS v(id, address)
              WHERE s.id = v.id`.execute(trx);
          } else {
            for (const p of phones) {
              await trx
                .updateTable('sandbox_orders')
                .set({ address: p.phone })
                .where('id', '=', p.id)
                .execute();
            }
          }
          // Our side: active activations as the engine leaves them after a purchase.
          const activationRows = await trx
            .insertInto('activations')
            .values(
              phones.map((p) => ({
                public_id: newActivationId('sms'),
                line: 'sms' as const,
                account_id: account.id,
                upstream_id: offer.upstreamId,
                upstream_order_id: String(p.id),
                upstream_country: offer.upstreamCountry,
                upstream_service: offer.upstreamService,
                upstream_cost_micros: null,
                catalog_ref: catalogRef,
                phone: p.phone,
                state: 'active' as const,
                price_paisa: price,
                code: null,
                sms_text: null,
                created_at: now,
                expires_at: now + config.activationTtlSeconds * 1000,
                cancel_allowed_at: now + config.cancelLockSeconds * 1000,
                next_check_at: now + SANDBOX_POLL_MS,
                lease_until: null,
                updated_at: now,
              })),
            )
            .returning(['id', 'public_id', 'phone'])
            .execute();
          // The money: one debit per order with a running balance, and the balance itself.
          const { balance } = await trx
            .selectFrom('accounts')
            .select('balance')
            .where('id', '=', account.id)
            .executeTakeFirstOrThrow();
          if (balance < price * size) throw new Error(`account ${account.id} cannot pay ${size} orders`);
          await trx
            .insertInto('ledger_entries')
            .values(
              activationRows.map((r, i) => ({
                account_id: account.id,
                amount: -price,
                balance_after: balance - price * (i + 1),
                kind: 'order_debit',
                reference: `activation:${r.id}`,
                note: null,
                created_at: now,
              })),
            )
            .execute();
          await trx
            .updateTable('accounts')
            .set({ balance: balance - price * size, updated_at: now })
            .where('id', '=', account.id)
            .execute();
          return activationRows.map((r) => ({
            apiKey: account.apiKey,
            id: r.public_id,
            phone: r.phone ?? '',
          }));
        });
        orders.push(...bought);
      }
      onProgress(orders.length);
    }
  } finally {
    await ctx.rateLimiter.close();
    await database.close();
  }
  return orders;
}
