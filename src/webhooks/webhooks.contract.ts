import { type Static, type TSchema, Type } from '@sinclair/typebox';

/**
 * What `/api/webhooks` answers, action by action: the route's handler is typed by these, and the
 * tests check every reply against the schema of its action. Every reply is HTTP 200 with a
 * string `status` ("200" or an error code, like the reference's JSON APIs) and string ids.
 */
const Message = Type.Object({ status: Type.String(), message: Type.String() });
const Ok = Type.Literal('200');

export const WEBHOOK_REPLIES = {
  list: Type.Object({
    status: Ok,
    webhooks: Type.Array(Type.Object({ id: Type.String(), url: Type.String(), created_at: Type.String() })),
  }),
  add: Type.Union([
    Type.Object({
      status: Ok,
      message: Type.String(),
      id: Type.String(),
      url: Type.String(),
      secret: Type.String({ description: 'the signing secret, shown only in this reply' }),
    }),
    Message,
  ]),
  remove: Message,
  test: Type.Union([
    Type.Object({
      status: Ok,
      delivered: Type.Boolean(),
      delivery_id: Type.String(),
      message: Type.String(),
    }),
    Message,
  ]),
  deliveries: Type.Object({
    status: Ok,
    deliveries: Type.Array(
      Type.Object({
        id: Type.String(),
        webhook_id: Type.String(),
        event: Type.String(),
        state: Type.String(),
        attempts: Type.Integer(),
        response_status: Type.Union([Type.Integer(), Type.Null()]),
        error: Type.String(),
        created_at: Type.String(),
        delivered_at: Type.String({ description: 'empty until delivered' }),
        next_attempt_at: Type.String({ description: 'empty unless pending' }),
      }),
    ),
  }),
  /** A refusal before or instead of an action: bad key, blocked, too many requests, bad input. */
  refused: Message,
} satisfies Record<string, TSchema>;

export type WebhookAction = Exclude<keyof typeof WEBHOOK_REPLIES, 'refused'>;
export type WebhookReply = Static<(typeof WEBHOOK_REPLIES)[keyof typeof WEBHOOK_REPLIES]>;
