import { findOrder, orderTimeline, searchOrders } from '../admin/orders.repository.js';
import { OrderRefundError, refundOrder } from '../admin/orders.service.js';
import type { AppContext } from '../app-context.js';
import type { OrderSummary } from '../orders/product-line.js';
import { formatPkr } from '../shared/money.js';
import { withCliContext } from './cli-context.js';
import {
  type CliIo,
  CommandError,
  cliActor,
  commandGroup,
  parseCommandArgs,
  UsageError,
} from './cli-support.js';

export const ORDER_USAGE = `otpget order <command>                       orders of every line (sms, cheap, rental, email)
  find <id|number|email> [--account ID] [--json]             search by public id, row id, phone or email
  find --account ID [--json]                                 an account's orders, newest first
  show <order> [--json]                                      one order and its timeline (upstream calls included)
  refund <order> --reason TEXT                               refund any order not in an end state, once
  <order> is <line>/<row id> (as the console names it, e.g. sms/12) or a public id, phone or email`;

function describe(o: OrderSummary): string {
  return [
    `${o.line}/${o.id}`,
    o.publicId,
    `account ${o.accountId}`,
    o.state,
    `${formatPkr(o.price)} PKR`,
    o.address ?? '-',
    o.item,
    o.code ?? '',
    new Date(o.createdAt).toISOString(),
  ].join('\t');
}

/** `<line>/<id>`, or anything the search finds exactly one order for. */
async function resolveOrder(ctx: AppContext, reference: string | undefined): Promise<OrderSummary> {
  if (reference === undefined || reference.trim() === '') throw new UsageError('an order is required');
  const named = /^([a-z]+)\/(\d{1,15})$/.exec(reference);
  if (named) {
    const line = named[1] as string;
    if (!ctx.lines.find(line)) throw new UsageError(`line must be one of ${ctx.lines.names.join(', ')}`);
    const order = await findOrder(ctx.lines, ctx.db, line, Number(named[2]));
    if (!order) throw new CommandError(`order ${reference} not found`);
    return order;
  }
  const found = await searchOrders(ctx.lines, ctx.db, { text: reference.slice(0, 200), limit: 10 });
  if (found.length === 0) throw new CommandError(`no order matches "${reference}"`);
  if (found.length > 1) {
    throw new CommandError(
      `"${reference}" matches ${found.length} orders; name one as <line>/<id>: ${found
        .map((o) => `${o.line}/${o.id}`)
        .join(', ')}`,
    );
  }
  return found[0] as OrderSummary;
}

async function find(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    account: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const text = positionals[0];
  if (values.account !== undefined && !/^\d{1,15}$/.test(values.account)) {
    throw new UsageError(`--account must be a whole number, got "${values.account}"`);
  }
  if (text === undefined && values.account === undefined) {
    throw new UsageError('give an id, number or email, or --account ID');
  }
  const orders = await withCliContext((ctx) =>
    searchOrders(ctx.lines, ctx.db, {
      ...(text !== undefined ? { text: text.slice(0, 200) } : {}),
      ...(values.account !== undefined ? { accountId: Number(values.account) } : {}),
      limit: 200,
    }),
  );
  if (values.json) io.out(JSON.stringify(orders));
  else if (orders.length === 0) io.out('no orders found');
  else for (const o of orders) io.out(describe(o));
  return 0;
}

async function show(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } });
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const { order, timeline } = await withCliContext(async (ctx) => {
    const found = await resolveOrder(ctx, positionals[0]);
    return { order: found, timeline: await orderTimeline(ctx.lines, ctx.db, found) };
  });
  if (values.json) {
    io.out(JSON.stringify({ order, timeline }));
    return 0;
  }
  io.out(describe(order));
  for (const e of timeline) {
    io.out(`  ${new Date(e.at).toISOString()}\t${e.what}${e.detail ? `\t${e.detail}` : ''}`);
  }
  return 0;
}

async function refund(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { reason: { type: 'string' } });
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const reason = values.reason?.trim();
  if (!reason) throw new UsageError('--reason is required (it goes into the audit log)');
  if (reason.length > 200) throw new UsageError('--reason must be at most 200 characters');
  const after = await withCliContext(async (ctx) => {
    const order = await resolveOrder(ctx, positionals[0]);
    try {
      return await refundOrder(ctx, cliActor(), order.line, order.id, reason);
    } catch (error) {
      if (error instanceof OrderRefundError) throw new CommandError(error.message);
      throw error;
    }
  });
  io.out(
    `refunded ${formatPkr(after.price)} PKR to account ${after.accountId}; order ${after.line}/${after.id} is ${after.state}`,
  );
  return 0;
}

export const orderCommand = commandGroup('order', ORDER_USAGE, {
  find,
  show,
  refund,
});
