import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AppContext } from '../app-context.js';
import type { Params } from '../http/params.js';
import type { WireReply } from '../http/wire-types.js';
import type { Job } from '../workers/worker.js';
import type { IdempotencyRefusal } from './idempotency-refusal.js';

/** Longest key accepted; UUIDs (36) and ULIDs (26) fit with room to spare. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;
/** Printable ASCII only, so a key can be logged and compared without surprises. */
const KEY_SHAPE = /^[\x21-\x7e]+$/;
/** How long a duplicate waits for the first request of its key to finish (the first may wait on an upstream). */
const DUPLICATE_WAIT_MS = 60_000;
const DUPLICATE_POLL_MS = 25;
/** A key still in progress after this long belongs to a request that died: refused at once, never re-run. */
const STALE_IN_PROGRESS_MS = 10 * 60_000;
/** Keys are remembered this long; afterwards the same key starts a new purchase. */
export const IDEMPOTENCY_RETENTION_MS = 7 * 24 * 3600_000;

export type IdempotentOutcome =
  | { kind: 'ran'; reply: WireReply }
  | { kind: 'replayed'; reply: WireReply }
  | { kind: 'refused'; reason: IdempotencyRefusal };

/**
 * The key of a request: the `Idempotency-Key` header, else the `idempotency_key` parameter.
 * null when neither is given (or both are blank); 'invalid' when it cannot be a key.
 */
export function readIdempotencyKey(
  request: { headers: IncomingHttpHeaders },
  params: Params,
): string | null | 'invalid' {
  const header = request.headers['idempotency-key'];
  const raw = (Array.isArray(header) ? header[header.length - 1] : header) ?? params.idempotency_key ?? '';
  const key = raw.trim();
  if (key === '') return null;
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !KEY_SHAPE.test(key)) return 'invalid';
  return key;
}

/**
 * What "the same request" means: endpoint, action and every parameter except the API key (a
 * rotated key is the same customer) and the idempotency key itself, in name order.
 */
export function requestHash(path: string, action: string, params: Params): string {
  const kept = Object.keys(params)
    .filter((name) => name !== 'api_key' && name !== 'idempotency_key' && name !== 'action')
    .sort()
    .map((name) => [name, params[name]]);
  return createHash('sha256')
    .update(JSON.stringify([path, action, kept]))
    .digest('hex');
}

/**
 * Runs `run` at most once per (account, key). The first request inserts an in-progress row, runs,
 * and stores the reply; a later request with the same key and hash gets the stored reply without
 * running anything (so nothing is charged again); a different hash is refused. A duplicate that
 * arrives while the first still runs polls the row until the reply is stored.
 */
export async function runIdempotent(
  ctx: AppContext,
  input: { accountId: number; key: string; hash: string },
  run: () => Promise<WireReply>,
): Promise<IdempotentOutcome> {
  const inserted = await ctx.db
    .insertInto('idempotency_keys')
    .values({
      account_id: input.accountId,
      idem_key: input.key,
      request_hash: input.hash,
      state: 'in_progress',
      reply_kind: null,
      reply_body: null,
      created_at: ctx.clock.now(),
      completed_at: null,
    })
    .onConflict((oc) => oc.columns(['account_id', 'idem_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) {
    // The reply is stored whatever it says, an error reply too: the key stands for one attempt.
    const reply = await run();
    await ctx.db
      .updateTable('idempotency_keys')
      .set({
        state: 'done',
        reply_kind: reply.kind,
        reply_body: reply.kind === 'text' ? reply.body : JSON.stringify(reply.body),
        completed_at: ctx.clock.now(),
      })
      .where('id', '=', inserted.id)
      .execute();
    return { kind: 'ran', reply };
  }
  return awaitFirstRequest(ctx, input, run);
}

/**
 * A duplicate polls the key's row until the first request stored its reply. It waits in one of the
 * account's `idempotencyWaitsPerAccount` slots; without a free one it answers `in_progress` at
 * once (the reply it would get at the deadline), so one account cannot park unbounded requests.
 */
async function awaitFirstRequest(
  ctx: AppContext,
  input: { accountId: number; key: string; hash: string },
  run: () => Promise<WireReply>,
): Promise<IdempotentOutcome> {
  const deadline = Date.now() + DUPLICATE_WAIT_MS;
  let release: (() => void) | null | undefined;
  try {
    for (;;) {
      const row = await ctx.db
        .selectFrom('idempotency_keys')
        .select(['request_hash', 'state', 'reply_kind', 'reply_body', 'created_at'])
        .where('account_id', '=', input.accountId)
        .where('idem_key', '=', input.key)
        .executeTakeFirst();
      // Removed between our insert and this read (retention cleanup): treat as a fresh key.
      if (!row) return runIdempotent(ctx, input, run);
      if (row.request_hash !== input.hash) return { kind: 'refused', reason: 'different_params' };
      if (row.state === 'done')
        return { kind: 'replayed', reply: storedReply(row.reply_kind, row.reply_body) };
      if (ctx.clock.now() - row.created_at > STALE_IN_PROGRESS_MS || Date.now() >= deadline) {
        return { kind: 'refused', reason: 'in_progress' };
      }
      release ??= ctx.waitSlots.take('idempotency', input.accountId, ctx.config.idempotencyWaitsPerAccount);
      if (!release) return { kind: 'refused', reason: 'in_progress' };
      await new Promise((resolve) => setTimeout(resolve, DUPLICATE_POLL_MS));
    }
  } finally {
    release?.();
  }
}

function storedReply(kind: string | null, body: string | null): WireReply {
  return kind === 'json'
    ? { kind: 'json', body: JSON.parse(body ?? 'null') }
    : { kind: 'text', body: body ?? '' };
}

/**
 * Forgets keys past their retention, finished or not: an `in_progress` row that old belongs to a
 * request that died, and after the retention the key may start a new purchase anyway (before it,
 * the row keeps refusing the key, so a purchase that may have been paid is never re-run). Then
 * trims each account over `idempotencyKeysPerAccount` to its newest keys, oldest finished first.
 */
export function idempotencyCleanupJob(ctx: AppContext): Job {
  return {
    name: 'idempotency-cleanup',
    intervalMs: 10 * 60_000,
    async run() {
      await ctx.db
        .deleteFrom('idempotency_keys')
        .where('created_at', '<', ctx.clock.now() - IDEMPOTENCY_RETENTION_MS)
        .execute();
      await trimKeysPerAccount(ctx, ctx.config.idempotencyKeysPerAccount);
    },
  };
}

async function trimKeysPerAccount(ctx: AppContext, cap: number): Promise<void> {
  const crowded = await ctx.db
    .selectFrom('idempotency_keys')
    .select('account_id')
    .groupBy('account_id')
    .having((eb) => eb.fn.countAll(), '>', cap)
    .execute();
  for (const { account_id: accountId } of crowded) {
    // The id of the oldest key to keep; finished keys older than it are forgotten.
    const oldestKept = await ctx.db
      .selectFrom('idempotency_keys')
      .select('id')
      .where('account_id', '=', accountId)
      .orderBy('id', 'desc')
      .offset(cap - 1)
      .limit(1)
      .executeTakeFirst();
    if (!oldestKept) continue;
    await ctx.db
      .deleteFrom('idempotency_keys')
      .where('account_id', '=', accountId)
      .where('id', '<', oldestKept.id)
      .where('state', '=', 'done')
      .execute();
  }
}
