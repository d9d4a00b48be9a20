import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isAllowedAddress, isLocalhostName, parseNumericIPv4 } from './webhook-address.js';

/** A webhook URL and the one address that was checked for it: the only address a send may connect to. */
export interface PinnedTarget {
  url: URL;
  address: string;
}

/** One signed POST, as the delivery job builds it. */
export interface OutgoingWebhook {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/**
 * How webhooks reach the network: name resolution and the POST itself. The real one is
 * `systemWebhookNetwork`; tests inject one that records the target and never connects.
 */
export interface WebhookNetwork {
  /** Every address the host name resolves to, from one lookup. */
  resolve(host: string): Promise<string[]>;
  /** POSTs to the target's URL over a connection to `target.address` only; resolves to the status. */
  post(target: PinnedTarget, request: OutgoingWebhook): Promise<number>;
}

export type DestinationCheck = { kind: 'ok'; target: PinnedTarget } | { kind: 'refused'; problem: string };

const NOT_PUBLIC = 'the address is not a public one';

/**
 * Resolves the URL's host once and checks every answer; the first answer is pinned for the send,
 * so a second resolution (DNS rebinding) cannot move the connection elsewhere. Run when a webhook
 * is added and again before every send, since DNS can change in between.
 */
export async function checkDestination(
  network: WebhookNetwork,
  rawUrl: string,
  allowPrivate: boolean,
): Promise<DestinationCheck> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { kind: 'refused', problem: 'the address is not a URL' };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host) ? host : parseNumericIPv4(host);
  if (literal) {
    return isAllowedAddress(literal, allowPrivate)
      ? { kind: 'ok', target: { url, address: literal } }
      : { kind: 'refused', problem: NOT_PUBLIC };
  }
  if (isLocalhostName(host) && !allowPrivate) return { kind: 'refused', problem: NOT_PUBLIC };
  let answers: string[];
  try {
    answers = await network.resolve(host);
  } catch {
    return { kind: 'refused', problem: 'the host name does not resolve' };
  }
  const [first] = answers;
  if (first === undefined) return { kind: 'refused', problem: 'the host name does not resolve' };
  if (!answers.every((address) => isAllowedAddress(address, allowPrivate))) {
    return { kind: 'refused', problem: NOT_PUBLIC };
  }
  return { kind: 'ok', target: { url, address: first } };
}

/** A `lookup` that answers the pinned address whatever name it is asked for. */
function pinnedLookup(address: string): LookupFunction {
  const family = isIP(address) === 6 ? 6 : 4;
  return (_host, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/**
 * The real network: the system resolver, and node:http(s) with a `lookup` that returns the checked
 * address (TLS still verifies the certificate against the URL's host name). No redirect is followed
 * (node:http never follows one), and the receiver's body is discarded unread.
 */
export const systemWebhookNetwork: WebhookNetwork = {
  async resolve(host) {
    return (await lookup(host, { all: true, verbatim: true })).map((answer) => answer.address);
  },
  post(target, outgoing) {
    const { url } = target;
    const client = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const request = client.request(
        url,
        {
          method: 'POST',
          headers: { ...outgoing.headers, 'content-length': Buffer.byteLength(outgoing.body) },
          lookup: pinnedLookup(target.address),
          agent: false,
          signal: AbortSignal.timeout(outgoing.timeoutMs),
        },
        (response) => {
          // The status is all we use: the body is dropped unread, however long it would be.
          resolve(response.statusCode ?? 0);
          response.destroy();
        },
      );
      request.on('error', reject);
      request.end(outgoing.body);
    });
  },
};
