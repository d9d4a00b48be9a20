import { compiledOnce } from '../../db/compiled-once.js';
import type { Executor } from '../../db/database.js';
import type { SandboxOrdersTable } from '../../db/schema.js';

export interface SandboxOrder {
  id: number;
  kind: SandboxOrdersTable['kind'];
  address: string;
  service: string;
  status: SandboxOrdersTable['status'];
  autoDeliverAt: number | null;
  expiresAt: number | null;
  createdAt: number;
}

export interface SandboxMessage {
  id: number;
  sender: string;
  text: string;
  createdAt: number;
}

/** One statement (one commit): the sandbox answers a purchase as cheaply as an instant upstream can. */
export async function insertSandboxOrder(
  db: Executor,
  values: Omit<SandboxOrder, 'id' | 'status'>,
): Promise<SandboxOrder> {
  const inserted = (await insertActiveOrder(db, values)).rows[0];
  if (inserted === undefined) throw new Error('the sandbox order was not inserted');
  return { ...values, id: inserted.id, status: 'active' };
}

/** Every sandbox purchase's insert, compiled once. */
const insertActiveOrder = compiledOnce((db, values: Omit<SandboxOrder, 'id' | 'status'>) =>
  db
    .insertInto('sandbox_orders')
    .values({
      kind: values.kind,
      address: values.address,
      service: values.service,
      status: 'active',
      auto_deliver_at: values.autoDeliverAt,
      expires_at: values.expiresAt,
      created_at: values.createdAt,
    })
    .returning('id'),
);

export async function findSandboxOrder(db: Executor, id: number): Promise<SandboxOrder | null> {
  const row = await db.selectFrom('sandbox_orders').selectAll().where('id', '=', id).executeTakeFirst();
  return row
    ? {
        id: row.id,
        kind: row.kind,
        address: row.address,
        service: row.service,
        status: row.status,
        autoDeliverAt: row.auto_deliver_at,
        expiresAt: row.expires_at,
        createdAt: row.created_at,
      }
    : null;
}

/** Compare-and-set from active; returns whether this call made the change. */
export async function closeSandboxOrder(
  db: Executor,
  id: number,
  status: 'cancelled' | 'finished',
): Promise<boolean> {
  const result = await db
    .updateTable('sandbox_orders')
    .set({ status, auto_deliver_at: null })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function extendSandboxOrder(db: Executor, id: number, expiresAt: number): Promise<void> {
  await db.updateTable('sandbox_orders').set({ expires_at: expiresAt }).where('id', '=', id).execute();
}

export async function insertSandboxMessage(
  db: Executor,
  values: { sandboxOrderId: number; sender: string; text: string; now: number },
): Promise<void> {
  await db
    .insertInto('sandbox_messages')
    .values({
      sandbox_order_id: values.sandboxOrderId,
      sender: values.sender,
      text: values.text,
      created_at: values.now,
    })
    .execute();
}

/**
 * Delivers the automatic message once its time has come. The compare-and-set on auto_deliver_at
 * makes it appear exactly once even when two pollers look at the same moment.
 */
export async function deliverDueAutoMessage(
  db: Executor,
  order: SandboxOrder,
  now: number,
  compose: (order: SandboxOrder) => { sender: string; text: string },
): Promise<void> {
  if (order.autoDeliverAt === null || order.autoDeliverAt > now || order.status !== 'active') return;
  await db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('sandbox_orders')
      .set({ auto_deliver_at: null })
      .where('id', '=', order.id)
      .where('auto_deliver_at', 'is not', null)
      .executeTakeFirst();
    if (claimed.numUpdatedRows === 0n) return;
    const message = compose(order);
    await insertSandboxMessage(trx, { sandboxOrderId: order.id, ...message, now });
  });
}

export async function listSandboxMessages(db: Executor, sandboxOrderId: number): Promise<SandboxMessage[]> {
  const rows = await db
    .selectFrom('sandbox_messages')
    .selectAll()
    .where('sandbox_order_id', '=', sandboxOrderId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, sender: r.sender, text: r.text, createdAt: r.created_at }));
}
