import { OtpgetCancelledError, OtpgetNetworkError, OtpgetTimeoutError, textError } from './errors.js';
import type { CallOptions, ClientOptions, PurchaseOptions } from './transport.js';
import { backoffMs, sleep, Transport } from './transport.js';

/** A balance as the API prints it ("500.00") and in paisa (50000). */
export interface Balance {
  pkr: string;
  paisa: number;
}

/** What getStatus says about an order. */
export type OrderStatus = { state: 'waiting' } | { state: 'ok'; code: string } | { state: 'cancelled' };

/** Options of waitForCode. */
export interface WaitOptions extends CallOptions {
  /** Give up after this many ms (OtpgetTimeoutError); default 20 minutes. */
  timeoutMs?: number;
  /** Seconds each long-poll may wait on the server (1–30); default 25. */
  longPollSeconds?: number;
}

/** "500.00" → 50000, with integer arithmetic only. */
export function pkrToPaisa(pkr: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(pkr);
  if (!match) throw new OtpgetNetworkError(`not an amount: ${pkr}`);
  const paisa = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -paisa : paisa;
}

/** Parses a reply: a documented failure word throws its typed error. */
export function expectText(reply: string, pattern: RegExp): RegExpExecArray {
  const match = pattern.exec(reply);
  if (match) return match;
  throw textError(reply) ?? new OtpgetNetworkError(`unexpected reply: ${reply.slice(0, 200)}`);
}

function parseJson<T>(reply: string): T {
  const error = textError(reply);
  if (error) throw error;
  try {
    return JSON.parse(reply) as T;
  } catch {
    throw new OtpgetNetworkError(`unexpected reply: ${reply.slice(0, 200)}`);
  }
}

function parseStatus(reply: string): OrderStatus {
  if (reply === 'STATUS_WAIT_CODE') return { state: 'waiting' };
  if (reply === 'STATUS_CANCEL') return { state: 'cancelled' };
  const ok = expectText(reply, /^STATUS_OK:(.*)$/s);
  return { state: 'ok', code: ok[1] ?? '' };
}

/** What both text APIs share: balance, status polling and waiting for a code. */
abstract class TextApiClient {
  protected readonly transport: Transport;
  constructor(
    options: ClientOptions,
    protected readonly path: string,
  ) {
    this.transport = new Transport(options);
  }

  protected async read(
    action: string,
    params: Record<string, string | number | undefined>,
    options: CallOptions & { extraTimeoutMs?: number } = {},
  ): Promise<string> {
    return (await this.transport.call(this.path, action, params, { ...options, safe: true })).text;
  }

  /** Sends a call that changes state: exactly once, unless an idempotency key makes a retry safe. */
  protected async write(
    action: string,
    params: Record<string, string | number | undefined>,
    options: PurchaseOptions = {},
  ): Promise<string> {
    const { idempotencyKey, signal } = options;
    const reply = await this.transport.call(this.path, action, params, {
      safe: idempotencyKey !== undefined,
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
      ...(signal ? { signal } : {}),
    });
    return reply.text;
  }

  async getBalance(options: CallOptions = {}): Promise<Balance> {
    const match = expectText(await this.read('getBalance', {}, options), /^ACCESS_BALANCE:(-?\d+\.\d\d)$/);
    const pkr = match[1] ?? '0.00';
    return { pkr, paisa: pkrToPaisa(pkr) };
  }

  /** getStatus; with `wait` (seconds) the server answers as soon as the order changes. */
  async getStatus(id: string, options: CallOptions & { wait?: number } = {}): Promise<OrderStatus> {
    const wait = options.wait;
    const reply = await this.read(
      'getStatus',
      { id, wait },
      { ...options, extraTimeoutMs: (wait ?? 0) * 1000 },
    );
    return parseStatus(reply);
  }

  /**
   * Resolves with the code. Long-polls (`wait=`); against a server that answers at once anyway
   * (no long-poll), falls back to polling with backoff from 1 s up to 10 s. Throws
   * OtpgetCancelledError if the order is cancelled or expires, OtpgetTimeoutError at the deadline.
   */
  async waitForCode(id: string, options: WaitOptions = {}): Promise<string> {
    const deadline = Date.now() + (options.timeoutMs ?? 20 * 60_000);
    const longPoll = Math.min(30, Math.max(1, options.longPollSeconds ?? 25));
    let quickReplies = 0;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new OtpgetTimeoutError(`no code for ${id} before the deadline`);
      const wait = Math.max(1, Math.min(longPoll, Math.floor(left / 1000)));
      const started = Date.now();
      const status = await this.getStatus(id, {
        wait,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (status.state === 'ok') return status.code;
      if (status.state === 'cancelled') throw new OtpgetCancelledError(`order ${id} was cancelled`);
      // A waiting reply well before the wait ran out: the server does not long-poll; back off.
      if (Date.now() - started < wait * 500) {
        await sleep(
          Math.min(backoffMs(2 + quickReplies, 10_000), Math.max(0, deadline - Date.now())),
          options.signal,
        );
        quickReplies++;
      } else {
        quickReplies = 0;
      }
    }
  }

  protected json<T>(reply: string): T {
    return parseJson<T>(reply);
  }
}

/** A number bought with getNumber. */
export interface SmsNumber {
  id: string;
  phone: string;
}

/** /stubs/handler_api.php: numbers for one SMS code. */
export class SmsClient extends TextApiClient {
  constructor(options: ClientOptions) {
    super(options, '/stubs/handler_api.php');
  }

  /** Countries per provider type: {"1": [{"id": "33", "name": "Canada"}, …], …}. */
  async getCountries(
    type?: number,
    options: CallOptions = {},
  ): Promise<Record<string, Array<{ id: string; name: string }>>> {
    return this.json(await this.read('getCountries', { type }, options));
  }

  /** Services of a country and type: {"101": "Telegram - 45 PKR", …}. */
  async getServices(
    country: number,
    type: number,
    options: CallOptions = {},
  ): Promise<Record<string, string>> {
    return this.json(await this.read('getServices', { country, type }, options));
  }

  /** Buys a number (spends balance). Never retried unless `idempotencyKey` is given. */
  async getNumber(
    order: { service: string | number; country: number; type: number },
    options: PurchaseOptions = {},
  ): Promise<SmsNumber> {
    const reply = await this.write('getNumber', order, options);
    const match = expectText(reply, /^ACCESS_NUMBER:([^:\s]+):(\d+)$/);
    return { id: match[1] ?? '', phone: match[2] ?? '' };
  }

  /** setStatus 3/6 (complete: "finished") or 8 (cancel and refund: "cancelled"). */
  async setStatus(
    id: string,
    status: 3 | 6 | 8,
    options: CallOptions = {},
  ): Promise<'finished' | 'cancelled'> {
    const reply = await this.write('setStatus', { id, status }, options);
    return expectText(reply, /^(ACCESS_FINISH|ACCESS_READY)$/)[1] === 'ACCESS_FINISH'
      ? 'finished'
      : 'cancelled';
  }

  complete(id: string, options: CallOptions = {}) {
    return this.setStatus(id, 6, options);
  }

  cancel(id: string, options: CallOptions = {}) {
    return this.setStatus(id, 8, options);
  }
}

/** A number bought with buyNumber. */
export interface CheapNumber {
  id: string;
  phone: string;
  expiresInSeconds: number;
}

/** /stubs/cheap_handler.php: 15-minute numbers with a full refund on cancel. */
export class CheapClient extends TextApiClient {
  constructor(options: ClientOptions) {
    super(options, '/stubs/cheap_handler.php');
  }

  /** Servers per type: {"1": [{"id": "1", "name": "…"}, …]}. */
  async getServers(
    type?: number,
    options: CallOptions = {},
  ): Promise<Record<string, Array<{ id: string; name: string }>>> {
    return this.json(await this.read('getServers', { type }, options));
  }

  /** Services of a server: {"1": "Random Facebook - Free — ₨0.00", …}. */
  async getServices(
    server: number,
    type: number,
    options: CallOptions = {},
  ): Promise<Record<string, string>> {
    return this.json(await this.read('getServices', { server, type }, options));
  }

  /** Buys a number (spends balance). Never retried unless `idempotencyKey` is given. */
  async buyNumber(
    order: { server: number; type: number },
    options: PurchaseOptions = {},
  ): Promise<CheapNumber> {
    const match = expectText(await this.write('buyNumber', order, options), /^([^,\s]+),(\d+),(\d+)$/);
    return { id: match[1] ?? '', phone: match[2] ?? '', expiresInSeconds: Number(match[3]) };
  }

  async setStatus(
    id: string,
    status: 3 | 6 | 8,
    options: CallOptions = {},
  ): Promise<'finished' | 'cancelled'> {
    const reply = await this.write('setStatus', { id, status }, options);
    return expectText(reply, /^(ACCESS_FINISH|ACCESS_READY)$/)[1] === 'ACCESS_FINISH'
      ? 'finished'
      : 'cancelled';
  }

  complete(id: string, options: CallOptions = {}) {
    return this.setStatus(id, 6, options);
  }

  cancel(id: string, options: CallOptions = {}) {
    return this.setStatus(id, 8, options);
  }
}
