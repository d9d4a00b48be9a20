/**
 * Points SMS provider type 1 at the fake SMS-Activate upstream the way an operator does, with the
 * `otpget provider` and `otpget catalog` commands: the type buys from the upstream (protocol
 * sms-activate, its URL and key), and one offer maps our country/service ids to the upstream's
 * codes with a fixed customer price.
 */
import { runOtpget } from './seed.js';
import type { SmsProduct } from './sms-product.js';

export type FakeUpstreamSetup =
  | { kind: 'ok'; product: SmsProduct; upstreamCountry: string; upstreamService: string }
  | { kind: 'pending'; reason: string };

const TYPE = '1';
const COUNTRY_ID = '9901';
const SERVICE_ID = '9902';
const UPSTREAM_COUNTRY = '0';
const UPSTREAM_SERVICE = 'tg';

export async function configureFakeUpstream(
  databaseUrl: string,
  fake: { url: string; apiKey: string },
): Promise<FakeUpstreamSetup> {
  const steps = [
    ['provider', 'set', TYPE, '--protocol', 'sms-activate', '--url', fake.url, '--key', fake.apiKey],
    ['catalog', 'country', COUNTRY_ID, 'Benchland'],
    ['catalog', 'service', SERVICE_ID, 'Benchgram'],
    [
      'catalog',
      'offer',
      TYPE,
      COUNTRY_ID,
      SERVICE_ID,
      '--upstream-country',
      UPSTREAM_COUNTRY,
      '--upstream-service',
      UPSTREAM_SERVICE,
      '--cost',
      '0.10',
      '--price',
      '10',
      '--enable',
    ],
  ];
  for (const args of steps) {
    const result = await runOtpget(databaseUrl, args);
    if (result.code === 2 && /unknown command/.test(result.stderr)) {
      return { kind: 'pending', reason: `no "otpget ${args[0]}" command yet` };
    }
    if (result.code !== 0) {
      throw new Error(`otpget ${args.join(' ')} failed (${result.code}): ${result.stderr || result.stdout}`);
    }
  }
  return {
    kind: 'ok',
    product: { service: SERVICE_ID, country: COUNTRY_ID, type: TYPE },
    upstreamCountry: UPSTREAM_COUNTRY,
    upstreamService: UPSTREAM_SERVICE,
  };
}

/**
 * Turns upstream push on for the fake's upstream (`otpget upstream push-url`) and returns the URL
 * the fake should POST to on `serverUrl` (the command prints it behind OTPGET_PUBLIC_URL, which
 * the bench server does not set).
 */
export async function enableFakeUpstreamPush(databaseUrl: string, serverUrl: string): Promise<string> {
  const result = await runOtpget(databaseUrl, ['upstream', 'push-url', `sms-type-${TYPE}`]);
  const path = /\/webhooks\/upstream\/\d+\/[A-Za-z0-9_-]+/.exec(result.stdout)?.[0];
  if (result.code !== 0 || !path) throw new Error(`otpget upstream push-url failed: ${result.stderr}`);
  return `${serverUrl}${path}`;
}
