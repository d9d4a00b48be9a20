/**
 * @otpget/sdk: typed calls for otpget's four customer APIs. Every documented failure is thrown as
 * a typed error; purchases are sent once unless an idempotency key makes a retry safe.
 */

import { EmailClient, RentalClient } from './json-api.js';
import { CheapClient, SmsClient } from './text-api.js';
import type { ClientOptions } from './transport.js';

export * from './errors.js';
export * from './json-api.js';
export * from './text-api.js';
export type { CallOptions, ClientOptions, PurchaseOptions } from './transport.js';

/** One client per API, sharing the server address and key. */
export interface Otpget {
  sms: SmsClient;
  cheap: CheapClient;
  rental: RentalClient;
  email: EmailClient;
}

export function createOtpget(options: ClientOptions): Otpget {
  return {
    sms: new SmsClient(options),
    cheap: new CheapClient(options),
    rental: new RentalClient(options),
    email: new EmailClient(options),
  };
}
