import { type Static, type TSchema, Type } from '@sinclair/typebox';

/**
 * What `/api/topups` answers: the handlers are typed by these and the tests check every reply
 * against them. Amounts are PKR strings ("500.00"), times ISO 8601; a refusal is
 * `{"status":"error","error"}` with its HTTP status (401, 403, 400, 409, 429).
 */
const Topup = Type.Object({
  id: Type.Integer(),
  amount: Type.String({ description: 'PKR, two decimals' }),
  method: Type.String({ description: 'jazzcash, easypaisa or bank' }),
  payment_reference: Type.String(),
  state: Type.String({ description: 'pending, approved or rejected' }),
  created_at: Type.String(),
});

export const TOPUP_REPLIES = {
  submitted: Type.Object({ status: Type.Literal('ok'), topup: Topup }),
  listed: Type.Object({ status: Type.Literal('ok'), topups: Type.Array(Topup) }),
  refused: Type.Object({ status: Type.Literal('error'), error: Type.String() }),
} satisfies Record<string, TSchema>;

export type TopupReply<K extends keyof typeof TOPUP_REPLIES> = Static<(typeof TOPUP_REPLIES)[K]>;
