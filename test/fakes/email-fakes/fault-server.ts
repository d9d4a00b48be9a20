/**
 * The HTTP side of the scripted email upstream fakes: a node:http server on 127.0.0.1 (random
 * port) that logs every request and can fail the next calls of an action in scripted ways.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a request asks the upstream to do, in the same words for every fake. */
export type EmailFakeAction = 'buy' | 'check' | 'cancel' | 'domains' | 'balance' | 'other';

/**
 * A scripted failure for the next call of an action:
 * - `http500`: HTTP 500 with a plain-text body; nothing happens upstream.
 * - `garbage`: HTTP 200 with a body that is not JSON; nothing happens.
 * - `html`: HTTP 200 with an HTML page (a CDN challenge); nothing happens.
 * - `timeout`: no answer at all, the connection stays open; nothing happens.
 * - `reset`: the socket is destroyed without an answer; nothing happens.
 * - `slow`: the call takes effect at once, the answer comes `slowMs` later.
 * - `lost-reply`: the call takes effect (a purchase creates its mailbox) but no answer ever comes.
 * - any other string: the upstream's own error answer with that value/title (e.g. `OUT_OF_STOCK`);
 * - a FakeReply: exactly that answer (status, body), and nothing happens upstream.
 */
export type EmailFakeFault =
  | 'http500'
  | 'garbage'
  | 'html'
  | 'timeout'
  | 'reset'
  | 'slow'
  | 'lost-reply'
  | FakeReply
  | (string & {});

/** One request as the fake received it. */
export interface EmailFakeRequest {
  action: EmailFakeAction;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
  at: number;
}

/** An answer, with the body already encoded. */
export interface FakeReply {
  status: number;
  body?: string;
  contentType?: string;
}

/** How a protocol fake handles one request: `run` applies it, `fail` answers a literal error. */
export interface FakeRoute {
  action: EmailFakeAction;
  run(): FakeReply;
  fail(value: string): FakeReply;
}

const HTML_PAGE =
  '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><h1>Checking your browser</h1></body></html>';

export class FaultServer {
  readonly requests: EmailFakeRequest[] = [];
  private readonly faults = new Map<EmailFakeAction, EmailFakeFault[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly server = createServer((req, res) => {
    this.handle(req, res).catch(() => res.destroy());
  });

  constructor(
    private readonly route: (request: EmailFakeRequest) => FakeRoute,
    private readonly slowMs: number,
  ) {}

  /** Listen on 127.0.0.1 with a random port; resolves the origin, e.g. `http://127.0.0.1:41234`. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  failNext(action: EmailFakeAction, fault: EmailFakeFault, times = 1): void {
    const queue = this.faults.get(action) ?? [];
    for (let i = 0; i < times; i++) queue.push(fault);
    this.faults.set(action, queue);
  }

  count(action: EmailFakeAction): number {
    return this.requests.filter((request) => request.action === action).length;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const request: EmailFakeRequest = {
      action: 'other',
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: parseBody(text),
      at: Date.now(),
    };
    const route = this.route(request);
    request.action = route.action;
    this.requests.push(request);

    const fault = this.faults.get(route.action)?.shift();
    if (typeof fault === 'object') return send(res, fault);
    switch (fault) {
      case undefined:
        return send(res, route.run());
      case 'http500':
        return send(res, { status: 500, body: 'Internal Server Error', contentType: 'text/plain' });
      case 'garbage':
        return send(res, { status: 200, body: 'OK|12|<<not json', contentType: 'text/plain' });
      case 'html':
        return send(res, { status: 200, body: HTML_PAGE, contentType: 'text/html' });
      case 'timeout':
        return; // never answered; the client gives up, close() drops the connection
      case 'reset':
        req.socket.destroy();
        return;
      case 'slow': {
        const reply = route.run();
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          send(res, reply);
        }, this.slowMs);
        this.timers.add(timer);
        return;
      }
      case 'lost-reply':
        route.run();
        return;
      default:
        return send(res, route.fail(fault));
    }
  }
}

function send(res: ServerResponse, reply: FakeReply): void {
  if (res.destroyed || res.writableEnded) return;
  const headers: Record<string, string> = {};
  if (reply.body !== undefined) headers['content-type'] = reply.contentType ?? 'application/json';
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A JSON number written exactly as given (prices: "0.07" must reach the client as `0.07`, not a float). */
export class RawNumber {
  constructor(readonly text: string) {}
}

/** JSON.stringify that writes RawNumber values as bare number tokens. */
export function encodeJson(value: unknown): string {
  const json = JSON.stringify(value, (_key, inner: unknown) =>
    inner instanceof RawNumber ? `\u0000RAW:${inner.text}\u0000` : inner,
  );
  return json.replace(/"\\u0000RAW:([^"\\]*)\\u0000"/g, '$1');
}
