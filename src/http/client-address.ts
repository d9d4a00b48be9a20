import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/**
 * Whether the hop at `address` is one of our reverse proxies, whose X-Forwarded-For and
 * X-Forwarded-Proto are believed. `hop` counts from the socket (0) leftwards through the header.
 */
export type ProxyTrust = (address: string, hop: number) => boolean;

/** Where a request really comes from: the client's address and the protocol it used. */
export interface ClientOrigin {
  ip: string;
  protocol: 'http' | 'https';
}

const TRUST_NOBODY: ProxyTrust = () => false;

/**
 * Reads OTPGET_TRUST_PROXY: empty (trust no proxy), or a comma list of addresses, CIDR ranges and
 * the words `loopback`, `linklocal`, `uniquelocal`. Throws with the offending entry when one is
 * not an address, so a typo stops the server instead of silently trusting nobody (or everybody).
 */
export function parseTrustedProxies(raw: string | undefined): string[] {
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    try {
      proxyAddr.compile(entry);
    } catch {
      throw new Error(`"${entry}" is not an address, a CIDR range or loopback`);
    }
  }
  return entries;
}

/** The trust predicate of a proxy list; an empty list believes no forwarded header at all. */
export function compileProxyTrust(proxies: readonly string[]): ProxyTrust {
  return proxies.length === 0 ? TRUST_NOBODY : proxyAddr.compile([...proxies]);
}

/**
 * The one computation of a request's client address and protocol. Fastify gets the same
 * predicate as its `trustProxy` and reads through the same library (`request.ip`,
 * `request.protocol`); the fast lane calls this. X-Forwarded-For is walked from the right, each
 * trusted hop skipped, and the first untrusted one is the client; a sender we do not trust has
 * its headers ignored whole. X-Forwarded-Proto counts only from a trusted peer, last value wins
 * (a proxy appends, so the last is the one our proxy wrote).
 */
export function clientOf(trust: ProxyTrust, request: IncomingMessage): ClientOrigin {
  const ip = clientIp(trust, request);
  const socket = request.socket as IncomingMessage['socket'] & { encrypted?: boolean };
  const forwarded = request.headers['x-forwarded-proto'];
  if (typeof forwarded === 'string' && forwarded !== '' && trust(socket.remoteAddress ?? '', 0)) {
    return { ip, protocol: normaliseProtocol(forwarded.slice(forwarded.lastIndexOf(',') + 1)) };
  }
  return { ip, protocol: socket.encrypted ? 'https' : 'http' };
}

/**
 * Just the client address (what the fast lane's status polls need): with no trusted proxy — the
 * default — the socket's peer, without parsing X-Forwarded-For at all; otherwise the same walk.
 */
export function clientIp(trust: ProxyTrust, request: IncomingMessage): string {
  if (trust === TRUST_NOBODY) return request.socket.remoteAddress ?? '';
  return proxyAddr(request, trust);
}

/** Fastify's `request.protocol` (or a forwarded value) as one of the two protocols a cookie cares about. */
export function normaliseProtocol(value: string | undefined): 'http' | 'https' {
  return value?.trim().toLowerCase() === 'https' ? 'https' : 'http';
}

/**
 * Whether cookies must be `Secure`: the request arrived over HTTPS (directly or through a trusted
 * proxy), or the server is published at an https address (a browser then only ever sends them
 * over HTTPS, so marking them costs nothing and survives a proxy that forgets the header).
 */
export function needsSecureCookies(
  config: { publicUrl: string | null },
  protocol: string | undefined,
): boolean {
  return normaliseProtocol(protocol) === 'https' || (config.publicUrl?.startsWith('https://') ?? false);
}
