import type { AppContext } from '../app-context.js';
import { type EventDetails, enqueueEventDeliveries } from '../webhooks/webhooks.service.js';
import type { OrderEvent } from './event-bus.js';

/**
 * What the lines call right after they record news on an order (a code, a letter, a rental SMS),
 * only when their own compare-and-set or insert won: wakes long-polls and hands the event to the
 * customer's webhooks. Never throws: the news is already stored, and a failure here must not undo
 * or repeat the line's work.
 */
export async function announceOrderEvent(
  ctx: AppContext,
  event: OrderEvent,
  details: EventDetails,
): Promise<void> {
  try {
    await enqueueEventDeliveries(ctx, event, details);
  } catch (error) {
    ctx.log.error({ err: error, event }, 'could not store webhook deliveries for an order event');
  }
  await ctx.events.publish(event);
}

/** An activation (SMS OTP or cheap line) got its code: looked up by row id, announced by public id. */
export async function announceActivationCode(ctx: AppContext, activationId: number): Promise<void> {
  try {
    const row = await ctx.db
      .selectFrom('activations')
      .select(['public_id', 'line', 'account_id', 'phone', 'code', 'sms_text'])
      .where('id', '=', activationId)
      .executeTakeFirst();
    if (!row) return;
    await announceOrderEvent(
      ctx,
      {
        type: 'activation.code',
        accountId: row.account_id,
        line: row.line,
        orderId: row.public_id,
      },
      { phone: row.phone, code: row.code, text: row.sms_text },
    );
  } catch (error) {
    ctx.log.error({ err: error, activationId }, 'could not announce an activation code');
  }
}

/** An email order received its letters; the API names it by its row id (`email_id`). */
export async function announceEmailMessage(ctx: AppContext, emailOrderId: number): Promise<void> {
  try {
    const row = await ctx.db
      .selectFrom('email_orders')
      .select(['account_id', 'email', 'code'])
      .where('id', '=', emailOrderId)
      .executeTakeFirst();
    if (!row) return;
    const letter = await ctx.db
      .selectFrom('email_messages')
      .select(['sender', 'text', 'link'])
      .where('order_id', '=', emailOrderId)
      .orderBy('id')
      .executeTakeFirst();
    await announceOrderEvent(
      ctx,
      {
        type: 'email.message',
        accountId: row.account_id,
        line: 'email',
        orderId: String(emailOrderId),
      },
      {
        email: row.email,
        code: row.code,
        from: letter?.sender ?? null,
        link: letter?.link ?? null,
        text: letter?.text ?? null,
      },
    );
  } catch (error) {
    ctx.log.error({ err: error, emailOrderId }, 'could not announce an email message');
  }
}

/** A rental stored new SMS; the API names it by its `order_id`. */
export async function announceRentalSms(ctx: AppContext, rentalId: number): Promise<void> {
  try {
    const row = await ctx.db
      .selectFrom('rentals')
      .select(['account_id', 'order_id', 'phone'])
      .where('id', '=', rentalId)
      .executeTakeFirst();
    if (!row) return;
    const sms = await ctx.db
      .selectFrom('rental_messages')
      .select(['sender', 'text', 'code'])
      .where('rental_id', '=', rentalId)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    await announceOrderEvent(
      ctx,
      {
        type: 'rental.sms',
        accountId: row.account_id,
        line: 'rental',
        orderId: row.order_id,
      },
      { phone: row.phone, from: sms?.sender ?? null, code: sms?.code ?? null, text: sms?.text ?? null },
    );
  } catch (error) {
    ctx.log.error({ err: error, rentalId }, 'could not announce a rental SMS');
  }
}
