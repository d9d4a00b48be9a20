import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { claimDue } from '../orders/leases.js';

export interface StoredRentalMessage {
  id: number;
  sender: string | null;
  text: string;
  code: string;
  receivedAt: number;
}

export interface NewRentalMessage {
  upstreamMessageId: string;
  sender: string | null;
  text: string;
  code: string;
  receivedAt: number;
}

/** Stores messages once each: a message already stored (same rental and upstream id) is skipped. */
export async function insertRentalMessages(
  db: Executor,
  rentalId: number,
  messages: NewRentalMessage[],
  now: number,
): Promise<number> {
  if (messages.length === 0) return 0;
  const inserted = await db
    .insertInto('rental_messages')
    .values(
      messages.map((m) => ({
        rental_id: rentalId,
        upstream_message_id: m.upstreamMessageId,
        sender: m.sender,
        text: m.text,
        code: m.code,
        received_at: m.receivedAt,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['rental_id', 'upstream_message_id']).doNothing())
    .returning('id')
    .execute();
  return inserted.length;
}

/** A rental's inbox, oldest first (ties in the order they were stored). */
export async function listRentalMessages(db: Executor, rentalId: number): Promise<StoredRentalMessage[]> {
  const rows = await db
    .selectFrom('rental_messages')
    .select(['id', 'sender', 'text', 'code', 'received_at'])
    .where('rental_id', '=', rentalId)
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    sender: r.sender,
    text: r.text,
    code: r.code,
    receivedAt: r.received_at,
  }));
}

/** What the SMS pull job needs of a rental it claimed. */
export interface SmsPullTarget {
  id: number;
  upstreamId: number;
  upstreamOrderId: string;
  expiryTime: number;
  smsWantedUntil: number | null;
  leaseUntil: number;
}

/**
 * Claims up to `limit` rentals whose inbox is due for a pull — active ones, and expired ones for a
 * short grace after expiry (a message that came just before the end is still fetched) — with the
 * engine's one lease claim (orders/leases.ts), so two processes never pull the same rental at once.
 * With `stale`, claims only that one rental, and only when its inbox was last pulled before
 * `stale.pulledBefore` (a customer's read-through, whatever the schedule says).
 */
export async function claimRentalsForSmsPull(
  db: Executor,
  options: {
    now: number;
    leaseMs: number;
    graceAfterExpiryMs: number;
    limit: number;
    stale?: { rentalId: number; pulledBefore: number };
  },
): Promise<SmsPullTarget[]> {
  const { now, leaseMs, graceAfterExpiryMs, limit, stale } = options;
  const pullable = sql`state in ('active', 'expired') and expiry_time > ${now - graceAfterExpiryMs}`;
  const ids = await claimDue(db, {
    table: 'rentals',
    now,
    leaseMs,
    limit,
    ...(stale === undefined
      ? { where: pullable }
      : {
          dueColumn: 'inbox_pulled_at',
          dueBefore: stale.pulledBefore,
          where: sql`id = ${stale.rentalId} and ${pullable}`,
        }),
  });
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('rentals')
    .select(['id', 'upstream_id', 'upstream_order_id', 'expiry_time', 'sms_wanted_until'])
    .where('id', 'in', ids)
    .orderBy('next_check_at')
    .execute();
  const leaseUntil = now + leaseMs;
  return rows.flatMap((r) =>
    r.upstream_order_id !== null && r.expiry_time !== null
      ? [
          {
            id: r.id,
            upstreamId: r.upstream_id,
            upstreamOrderId: r.upstream_order_id,
            expiryTime: r.expiry_time,
            smsWantedUntil: r.sms_wanted_until,
            leaseUntil,
          },
        ]
      : [],
  );
}

/** The rental behind an upstream's own order id (what a push names), if it can still receive. */
export async function findRentalByUpstreamOrder(
  db: Executor,
  upstreamId: number,
  upstreamOrderId: string,
): Promise<{ id: number; upstreamId: number } | null> {
  const row = await db
    .selectFrom('rentals')
    .select(['id', 'upstream_id'])
    .where('upstream_id', '=', upstreamId)
    .where('upstream_order_id', '=', upstreamOrderId)
    .where('state', 'in', ['active', 'expired'])
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? { id: row.id, upstreamId: row.upstream_id } : null;
}

/** Whether a rental's inbox pull is held by someone (a job or another read-through) right now. */
export async function inboxPullState(
  db: Executor,
  rentalId: number,
  now: number,
): Promise<{ pulledAt: number; leased: boolean } | null> {
  const row = await db
    .selectFrom('rentals')
    .select(['inbox_pulled_at', 'lease_until'])
    .where('id', '=', rentalId)
    .executeTakeFirst();
  if (!row) return null;
  return { pulledAt: row.inbox_pulled_at, leased: row.lease_until !== null && row.lease_until >= now };
}

/**
 * Ends this process's lease and schedules the next pull (only if the lease is still ours);
 * `pulledAt` records a successful read of the upstream inbox.
 */
export async function releaseSmsLease(
  db: Executor,
  target: SmsPullTarget,
  nextCheckAt: number,
  pulledAt: number | null,
): Promise<void> {
  await db
    .updateTable('rentals')
    .set({
      lease_until: null,
      next_check_at: nextCheckAt,
      ...(pulledAt === null ? {} : { inbox_pulled_at: pulledAt }),
    })
    .where('id', '=', target.id)
    .where('lease_until', '=', target.leaseUntil)
    .execute();
}

/**
 * A customer is reading the inbox: poll the upstream often until `wantedUntil`. Writes only when the
 * window is about to lapse, so a customer polling every second costs one write every few minutes, and
 * the first read after a quiet spell brings the next pull forward to now.
 */
export async function markSmsWanted(
  db: Executor,
  rentalId: number,
  options: { now: number; wantedUntil: number; refreshBefore: number },
): Promise<void> {
  await db
    .updateTable('rentals')
    .set((eb) => ({
      sms_wanted_until: options.wantedUntil,
      next_check_at: eb
        .case()
        .when('sms_wanted_until', 'is', null)
        .then(options.now)
        .when('sms_wanted_until', '<=', options.now)
        .then(options.now)
        .else(eb.ref('next_check_at'))
        .end(),
    }))
    .where('id', '=', rentalId)
    .where('state', '=', 'active')
    .where((eb) =>
      eb.or([eb('sms_wanted_until', 'is', null), eb('sms_wanted_until', '<', options.refreshBefore)]),
    )
    .execute();
}
