import { activationInvariants } from '../activations/activation-invariants.js';
import { emailOrdersSettled } from '../emails/email-invariants.js';
import { rentalInvariants } from '../rentals/rental-invariants.js';
import { noSimHeldByEndedOrder } from '../sim-pool/sim-pool-jobs.js';
import { balancesMatchLedger, type InvariantCheck, noNegativeBalances } from './ledger-check.js';

/** The checks `otpget ledger check` runs. Each product line adds its own order/money invariants here. */
export const invariantChecks: InvariantCheck[] = [
  balancesMatchLedger,
  noNegativeBalances,
  ...activationInvariants,
  emailOrdersSettled,
  ...rentalInvariants,
  noSimHeldByEndedOrder,
];
