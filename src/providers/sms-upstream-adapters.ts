import { SmsActivateProvider } from './sms-activate/activation-client.js';
import type { AdapterContext, SmsProvider } from './types.js';

/**
 * The SmsProvider for an `upstreams` row with protocol `sms-activate` (HeroSMS, SMSBower, Grizzly,
 * DaisySMS, 5sim's compatible endpoint, …): base URL, key and timeout come from the row, so the
 * operator changes them with `otpget provider set` and every process picks the change up.
 */
export function smsActivateSmsAdapter(ctx: AdapterContext): SmsProvider {
  const { upstream } = ctx;
  if (!upstream.baseUrl) throw new Error(`upstream "${upstream.name}" has no base URL`);
  return new SmsActivateProvider({
    baseUrl: upstream.baseUrl,
    apiKey: upstream.apiKey ?? '',
    timeoutMs: upstream.timeoutMs,
    now: () => ctx.clock.now(),
  });
}
