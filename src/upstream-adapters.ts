import { KopeechkaEmailProvider } from './providers/email/kopeechka-client.js';
import { SmsActivateEmailProvider } from './providers/email/sms-activate-email-client.js';
import { type AdapterFactories, UnknownUpstreamError } from './providers/registry.js';
import { smsActivateRentAdapter } from './providers/rental-adapters.js';
import {
  SandboxEmailProvider,
  SandboxRentalProvider,
  SandboxSmsProvider,
} from './providers/sandbox/sandbox-providers.js';
import { smsActivateSmsAdapter } from './providers/sms-upstream-adapters.js';
import type { AdapterContext } from './providers/types.js';
import type { Upstream } from './providers/upstreams.repository.js';
import { SimPoolSmsProvider } from './sim-pool/sim-pool-provider.js';

function sandboxOptions(ctx: AdapterContext) {
  return {
    db: ctx.db,
    groupCommit: ctx.groupCommit,
    clock: ctx.clock,
    autoDeliveryDelayMs: ctx.sandboxDelayMs,
  };
}

/**
 * Every upstream protocol this build has an adapter for, by kind. The one list, composed here from
 * the adapters in providers/ and the SIM pool's, so the provider registry itself names no line.
 */
export function defaultAdapterFactories(): AdapterFactories {
  return {
    sms: {
      sandbox: (ctx) => new SandboxSmsProvider(sandboxOptions(ctx)),
      'sim-pool': (ctx) => new SimPoolSmsProvider({ db: ctx.db, clock: ctx.clock }),
      'sms-activate': smsActivateSmsAdapter,
    },
    rental: {
      sandbox: (ctx) => new SandboxRentalProvider(sandboxOptions(ctx)),
      // The rent actions of the SMS-Activate protocol; both names are in use for it.
      'sms-activate': smsActivateRentAdapter,
      'sms-activate-rent': smsActivateRentAdapter,
    },
    email: {
      sandbox: (ctx) => new SandboxEmailProvider(sandboxOptions(ctx)),
      kopeechka: (ctx) =>
        new KopeechkaEmailProvider({
          baseUrl: ctx.upstream.baseUrl ?? 'https://api.kopeechka.store',
          token: ctx.upstream.apiKey ?? '',
          timeoutMs: ctx.upstream.timeoutMs,
        }),
      'sms-activate-email': (ctx) =>
        new SmsActivateEmailProvider({
          baseUrl: requireBaseUrl(ctx.upstream),
          token: ctx.upstream.apiKey ?? '',
          timeoutMs: ctx.upstream.timeoutMs,
        }),
    },
  };
}

function requireBaseUrl(upstream: Upstream): string {
  if (!upstream.baseUrl) throw new UnknownUpstreamError(`upstream "${upstream.name}" has no base URL`);
  return upstream.baseUrl;
}
