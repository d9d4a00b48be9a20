import assert from 'node:assert/strict';
import { it } from 'node:test';
import { classifyAddress, parseNumericIPv4 } from '../../src/webhooks/webhook-address.js';

it('reads every numeric IPv4 spelling inet_aton accepts, and nothing else', () => {
  const spellings: Array<[string, string | null]> = [
    ['127.0.0.1', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['127.0.1', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['0177.0.0.01', '127.0.0.1'],
    ['017700000001', '127.0.0.1'],
    ['169.254.43518', '169.254.169.254'],
    ['127.0.0.1.', '127.0.0.1'],
    ['256.0.0.1', null],
    ['1.2.3.4.5', null],
    ['08.0.0.1', null],
    ['example.com', null],
    ['', null],
  ];
  for (const [text, expected] of spellings) assert.equal(parseNumericIPv4(text), expected, text);
});

it('classifies public, private and special-use addresses, looking through IPv6 that carries IPv4', () => {
  const table: Array<[string, ReturnType<typeof classifyAddress>]> = [
    ['93.184.216.34', 'public'],
    ['8.8.8.8', 'public'],
    ['2606:2800:220:1::1', 'public'],
    ['::ffff:93.184.216.34', 'public'],
    ['2002:5db8:d822::1', 'public'],
    ['64:ff9b::808:808', 'public'],
    ['127.0.0.1', 'private'],
    ['10.0.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['::1', 'private'],
    ['fd00::1', 'private'],
    ['fec0::1', 'private'],
    ['::ffff:7f00:1', 'private'],
    ['[::ffff:127.0.0.1]', 'private'],
    ['::7f00:1', 'private'],
    ['2002:c0a8:101::', 'private'],
    ['::', 'reserved'],
    ['0.0.0.0', 'reserved'],
    ['169.254.169.254', 'reserved'],
    ['::ffff:a9fe:a9fe', 'reserved'],
    ['64:ff9b::a9fe:a9fe', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['203.0.113.9', 'reserved'],
    ['239.255.255.250', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['fe80::1', 'reserved'],
    ['fe80::1%eth0', 'reserved'],
    ['ff02::1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
    ['100::1', 'reserved'],
    ['not an address', 'reserved'],
  ];
  for (const [address, expected] of table) assert.equal(classifyAddress(address), expected, address);
});
