import { randomBytes } from 'node:crypto';

const LOWEST = 10n ** 18n;
const SPAN = 9n * 10n ** 18n;
/** Largest multiple of SPAN below 2^64: values above it are redrawn so every id is equally likely. */
const ACCEPT_BELOW = (2n ** 64n / SPAN) * SPAN;

/**
 * A public rental order id: 19 random decimal digits ("2673093356180000583"), like the reference's.
 * About 2^63 possibilities, so an order id cannot be guessed; the row id stays internal.
 */
export function newRentalOrderId(): string {
  for (;;) {
    const value = randomBytes(8).readBigUInt64BE();
    if (value < ACCEPT_BELOW) return String(LOWEST + (value % SPAN));
  }
}
