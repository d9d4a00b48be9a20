import { SmsActivateRentProvider } from './sms-activate/rent-client.js';
import type { AdapterContext, RentalProvider } from './types.js';

/** The SMS-Activate rent protocol (and its clones) for an upstream row of kind `rental`. */
export function smsActivateRentAdapter(ctx: AdapterContext): RentalProvider {
  const { upstream } = ctx;
  if (!upstream.baseUrl) throw new Error(`rental upstream "${upstream.name}" has no base URL`);
  return new SmsActivateRentProvider({
    baseUrl: upstream.baseUrl,
    apiKey: upstream.apiKey ?? '',
    timeoutMs: upstream.timeoutMs,
    now: () => ctx.clock.now(),
  });
}
