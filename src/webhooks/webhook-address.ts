import { BlockList, isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * What an address is, for deciding whether our server may POST to it on a customer's behalf:
 * `public` (allowed), `private` (loopback, RFC 1918, CGNAT, unique- and site-local: allowed only
 * with OTPGET_WEBHOOKS_ALLOW_PRIVATE) or `reserved` (never: link-local and cloud metadata,
 * unspecified, multicast, broadcast, benchmark, documentation and other special-use ranges).
 */
export type AddressClass = 'public' | 'private' | 'reserved';

function blockList(family: 'ipv4' | 'ipv6', ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const [network = '', prefix = ''] = range.split('/');
    list.addSubnet(network, Number(prefix), family);
  }
  return list;
}

const PRIVATE_V4 = blockList('ipv4', [
  '10.0.0.0/8',
  '100.64.0.0/10', // carrier-grade NAT: the provider's side of the network
  '127.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
]);
const RESERVED_V4 = blockList('ipv4', [
  '0.0.0.0/8',
  '169.254.0.0/16', // link-local, where cloud metadata services answer
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4', // reserved, and 255.255.255.255 broadcast
]);
const PRIVATE_V6 = blockList('ipv6', ['::1/128', 'fc00::/7', 'fec0::/10']);
/** Only global unicast (2000::/3) can be public; inside it, these special-use blocks are not. */
const GLOBAL_UNICAST_V6 = blockList('ipv6', ['2000::/3']);
const RESERVED_V6 = blockList('ipv6', [
  '2001::/23', // IETF protocol assignments: Teredo, benchmarking (2001:2::/48), ORCHID
  '2001:db8::/32',
  '3fff::/20',
]);

/**
 * The IPv4 address an IPv6 address carries and a packet to it reaches: IPv4-mapped (::ffff:0:0/96,
 * also in Node's rewritten hex form ::ffff:7f00:1), IPv4-translated (::ffff:0:0:0/96),
 * IPv4-compatible (::/96), NAT64 (64:ff9b::/96) and 6to4 (2002::/16). null when it carries none.
 */
function embeddedIPv4(parts: readonly number[]): string | null {
  const [p0, p1, p2, p3, p4, p5, p6 = 0, p7 = 0] = parts;
  const fromParts = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  const zeroUpTo4 = p0 === 0 && p1 === 0 && p2 === 0 && p3 === 0;
  if (zeroUpTo4 && p4 === 0 && p5 === 0xffff) return fromParts(p6, p7);
  // IPv4-compatible, except :: and ::1, which are the IPv6 unspecified and loopback addresses.
  if (zeroUpTo4 && p4 === 0 && p5 === 0 && (p6 !== 0 || p7 > 1)) return fromParts(p6, p7);
  if (zeroUpTo4 && p4 === 0xffff && p5 === 0) return fromParts(p6, p7);
  if (p0 === 0x64 && p1 === 0xff9b && p2 === 0 && p3 === 0 && p4 === 0 && p5 === 0) return fromParts(p6, p7);
  if (p0 === 0x2002) return fromParts(p1 ?? 0, p2 ?? 0);
  return null;
}

/**
 * An IPv4 address in any spelling inet_aton accepts (and so a resolver or `connect` would):
 * 1 to 4 parts, each decimal, 0x-hex or 0-octal, the last filling the remaining bytes
 * (`127.1`, `2130706433`, `0x7f.0.0.1`, `0177.0.0.01`). null when it is not one.
 */
export function parseNumericIPv4(text: string): string | null {
  const parts = text.replace(/\.$/, '').split('.');
  if (parts.length > 4) return null;
  const values: number[] = [];
  for (const part of parts) {
    if (!/^(0x[0-9a-f]*|0[0-7]*|[1-9][0-9]*)$/i.test(part)) return null;
    const value = /^0x/i.test(part)
      ? Number.parseInt(part.slice(2) || '0', 16)
      : Number.parseInt(part, /^0./.test(part) ? 8 : 10);
    values.push(value);
  }
  const last = values.pop() ?? 0;
  if (values.some((v) => v > 255) || last >= 256 ** (4 - values.length)) return null;
  const bytes = [...values];
  for (let i = 3 - values.length; i >= 0; i--) bytes.push(Math.floor(last / 256 ** i) % 256);
  return bytes.join('.');
}

/** Classifies one address (any IPv4 or IPv6 spelling, brackets and zone ignored); a non-address is `reserved`. */
export function classifyAddress(raw: string): AddressClass {
  const text = raw.trim().replace(/^\[|\]$/g, '');
  const v4 = isIP(text) === 4 ? text : parseNumericIPv4(text);
  if (v4) {
    if (RESERVED_V4.check(v4, 'ipv4')) return 'reserved';
    return PRIVATE_V4.check(v4, 'ipv4') ? 'private' : 'public';
  }
  const unzoned = text.replace(/%.*$/, '');
  if (!ipaddr.IPv6.isValid(unzoned)) return 'reserved';
  // A zone (`fe80::1%eth0`) only makes sense on a link: never a public destination.
  if (unzoned !== text) return 'reserved';
  const parsed = ipaddr.IPv6.parse(unzoned);
  const carried = embeddedIPv4(parsed.parts);
  if (carried) return classifyAddress(carried);
  const normal = parsed.toNormalizedString();
  if (PRIVATE_V6.check(normal, 'ipv6')) return 'private';
  if (!GLOBAL_UNICAST_V6.check(normal, 'ipv6') || RESERVED_V6.check(normal, 'ipv6')) return 'reserved';
  return 'public';
}

/** Whether our server may connect to this address for a webhook. */
export function isAllowedAddress(address: string, allowPrivate: boolean): boolean {
  const kind = classifyAddress(address);
  return kind === 'public' || (kind === 'private' && allowPrivate);
}

/** Names that mean this machine whatever DNS says (RFC 6761), with or without the trailing dot. */
export function isLocalhostName(host: string): boolean {
  const name = host.toLowerCase().replace(/\.+$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || name === 'localhost.localdomain';
}
