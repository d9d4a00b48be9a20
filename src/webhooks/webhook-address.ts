import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * Whether an address is one a customer's webhook must not reach from our server: loopback,
 * private, link-local (cloud metadata), carrier-grade NAT, multicast and unspecified ranges.
 */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isInternalAddress(mapped[1] as string);
  if (isIP(address) === 4) {
    const [a = 0, b = 0] = address.split('.').map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  const lower = address.toLowerCase();
  return (
    lower === '::' ||
    lower === '::1' ||
    /^f[cd]/.test(lower) ||
    /^fe[89ab]/.test(lower) ||
    lower.startsWith('ff')
  );
}

/**
 * null when the URL's host resolves only to public addresses (or internal ones are allowed), else
 * why not. Checked when a webhook is added and again before each send, since DNS can change.
 */
export async function destinationProblem(url: string, allowInternal: boolean): Promise<string | null> {
  if (allowInternal) return null;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return 'the host name does not resolve';
  }
  return addresses.some(isInternalAddress) ? 'the address is not a public one' : null;
}
