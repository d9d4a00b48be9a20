import type { IdempotencyRefusal } from './idempotency-refusal.js';

/** The plain-text APIs' words (SMS OTP, cheap numbers): upper-case like the reference's own replies. */
export const IDEMPOTENCY_WORDS: Readonly<Record<IdempotencyRefusal, string>> = {
  different_params: 'IDEMPOTENCY_CONFLICT',
  invalid_key: 'BAD_IDEMPOTENCY_KEY',
  in_progress: 'IDEMPOTENCY_IN_PROGRESS',
};

/** The JSON APIs' `status` and `message` (rentals, temp email). */
export const IDEMPOTENCY_JSON: Readonly<Record<IdempotencyRefusal, { status: string; message: string }>> = {
  different_params: {
    status: '409',
    message: 'This idempotency key was already used with different parameters.',
  },
  invalid_key: {
    status: '400',
    message: 'Invalid idempotency key: use 1 to 128 printable ASCII characters.',
  },
  in_progress: {
    status: '409',
    message: 'The first request with this idempotency key has not finished. Retry later.',
  },
};
