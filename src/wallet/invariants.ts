import type { ProductLines } from '../orders/product-line.js';
import { balancesMatchLedger, type InvariantCheck, noNegativeBalances } from './ledger-check.js';

/**
 * The checks `otpget ledger check` runs: the wallet's own (every balance equals its entries, none
 * went negative), then each registered product line's order and money checks.
 */
export function ledgerInvariants<Ctx>(lines: ProductLines<Ctx>): InvariantCheck[] {
  return [balancesMatchLedger, noNegativeBalances, ...lines.invariants()];
}
