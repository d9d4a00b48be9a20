import type { AppContext } from '../app-context.js';
import type { WireReply } from '../http/wire-types.js';
import type { OrderEvent } from './event-bus.js';

/** The longest `wait` honoured, in seconds; larger values are cut to it. */
export const MAX_WAIT_SECONDS = 30;

/**
 * `wait=N`: whole seconds 1-30 (more is cut to 30). Anything else (absent, 0, "abc", "2.5") means
 * no waiting, so a client that never sends `wait` gets exactly the reference's behaviour.
 */
export function readWaitMs(value: string | undefined): number | null {
  const trimmed = value?.trim() ?? '';
  if (!/^\d{1,6}$/.test(trimmed)) return null;
  const seconds = Number(trimmed);
  if (seconds < 1) return null;
  return Math.min(seconds, MAX_WAIT_SECONDS) * 1000;
}

/**
 * Runs a status read; while its reply is the waiting reply and the deadline has not passed, waits
 * for an event about this order (or the bus's re-check interval) and reads again. The listener is
 * in place before the first read, so a code recorded between the read and the wait is not missed.
 * An account holds at most `longPollsPerAccount` waits at once; more answer at once.
 */
export async function longPoll(
  ctx: AppContext,
  target: { accountId: number; line: OrderEvent['line']; orderId: string; waitMs: number },
  read: () => Promise<WireReply>,
  isWaiting: (reply: WireReply) => boolean,
  closed?: AbortSignal,
): Promise<WireReply> {
  const release = ctx.waitSlots.take('long_poll', target.accountId, ctx.config.longPollsPerAccount);
  // Over the account's cap: no wait, the reply as it is now (the waiting reply, unless it changed).
  if (!release) return read();
  try {
    return await waitForChange(ctx, target, read, isWaiting, closed);
  } finally {
    release();
  }
}

async function waitForChange(
  ctx: AppContext,
  target: { accountId: number; line: OrderEvent['line']; orderId: string; waitMs: number },
  read: () => Promise<WireReply>,
  isWaiting: (reply: WireReply) => boolean,
  closed?: AbortSignal,
): Promise<WireReply> {
  let signalled = false;
  let wake: (() => void) | null = null;
  const unsubscribe = await ctx.events.subscribe(target.accountId, (event) => {
    if (event.line !== target.line || event.orderId !== target.orderId) return;
    signalled = true;
    wake?.();
  });
  const onClose = () => wake?.();
  closed?.addEventListener('abort', onClose);
  try {
    const deadline = Date.now() + target.waitMs;
    for (;;) {
      signalled = false;
      const reply = await read();
      const left = deadline - Date.now();
      if (!isWaiting(reply) || left <= 0 || closed?.aborted) return reply;
      if (!signalled) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(finish, Math.min(left, ctx.events.recheckMs));
          function finish() {
            clearTimeout(timer);
            wake = null;
            resolve();
          }
          wake = finish;
        });
      }
    }
  } finally {
    closed?.removeEventListener('abort', onClose);
    unsubscribe();
  }
}
