import type { InvariantCheck, LedgerProblem } from '../wallet/ledger-check.js';
import { renewalReference, rentalReference } from './rentals.repository.js';

const HOUR_MS = 3_600_000;
/** Longer than the reconciler's wait plus a few of its runs: a purchase pending this long is stuck. */
const STUCK_PENDING_MS = 60 * 60_000;

type Entry = { account_id: number; amount: number; kind: string; reference: string };

/** Debits and refunds of the rental line, keyed by reference. */
async function rentalLedger(db: Parameters<InvariantCheck>[0]) {
  const rows: Entry[] = await db
    .selectFrom('ledger_entries')
    .select(['account_id', 'amount', 'kind', 'reference'])
    .where('kind', 'in', ['order_debit', 'order_refund'])
    .where((eb) => eb.or([eb('reference', 'like', 'rental:%'), eb('reference', 'like', 'rental-renewal:%')]))
    .execute();
  const byReference = new Map<string, { debit?: Entry; refund?: Entry }>();
  for (const row of rows) {
    const slot = byReference.get(row.reference) ?? {};
    if (row.kind === 'order_debit') slot.debit = row;
    else slot.refund = row;
    byReference.set(row.reference, slot);
  }
  return byReference;
}

/** One paid order's money: debited exactly its price to its owner, refunded exactly once iff it failed. */
function checkOrderMoney(
  problems: LedgerProblem[],
  label: string,
  order: { accountId: number; pricePaisa: number; refunded: boolean; pending: boolean },
  money: { debit?: Entry; refund?: Entry } | undefined,
): void {
  const { debit, refund } = money ?? {};
  if (!debit || debit.amount !== -order.pricePaisa || debit.account_id !== order.accountId) {
    problems.push({
      accountId: order.accountId,
      message: `${label}: expected a debit of ${order.pricePaisa} paisa, found ${debit ? debit.amount : 'none'}`,
    });
  }
  if (order.refunded && (!refund || refund.amount !== order.pricePaisa)) {
    problems.push({ accountId: order.accountId, message: `${label} failed but was not refunded its price` });
  }
  if (!order.refunded && refund) {
    problems.push({
      accountId: order.accountId,
      message: `${label} was refunded although it is ${order.pending ? 'pending' : 'delivered'}`,
    });
  }
}

/**
 * Every rental and every renewal was debited exactly its price once; failed ones were refunded
 * exactly once and no other one was; no rental ledger entry lacks its order.
 */
export const rentalMoneySettled: InvariantCheck = async (db) => {
  const problems: LedgerProblem[] = [];
  const ledger = await rentalLedger(db);
  const seen = new Set<string>();
  const rentals = await db
    .selectFrom('rentals')
    .select(['id', 'account_id', 'price_paisa', 'state'])
    .execute();
  for (const r of rentals) {
    const reference = rentalReference(r.id);
    seen.add(reference);
    checkOrderMoney(
      problems,
      `rental ${r.id}`,
      {
        accountId: r.account_id,
        pricePaisa: r.price_paisa,
        refunded: r.state === 'failed',
        pending: r.state === 'pending',
      },
      ledger.get(reference),
    );
  }
  const renewals = await db
    .selectFrom('rental_renewals')
    .select(['rental_id', 'seq', 'account_id', 'price_paisa', 'state'])
    .execute();
  for (const r of renewals) {
    const reference = renewalReference(r.rental_id, r.seq);
    seen.add(reference);
    checkOrderMoney(
      problems,
      `renewal ${r.seq} of rental ${r.rental_id}`,
      {
        accountId: r.account_id,
        pricePaisa: r.price_paisa,
        refunded: r.state === 'failed',
        pending: r.state === 'pending',
      },
      ledger.get(reference),
    );
  }
  for (const [reference, money] of ledger) {
    if (!seen.has(reference)) {
      const entry = money.debit ?? money.refund;
      problems.push({
        ...(entry ? { accountId: entry.account_id } : {}),
        message: `ledger entries for ${reference} have no rental or renewal`,
      });
    }
  }
  return problems;
};

/**
 * A delivered rental's expiry is its first expiry plus the hours of its completed renewals: each
 * successful renewal extended it exactly once, and nothing else did.
 */
export const rentalExpiryMatchesRenewals: InvariantCheck = async (db) => {
  const rentals = await db
    .selectFrom('rentals')
    .select(['id', 'account_id', 'expiry_time', 'first_expiry_time'])
    .where('state', 'in', ['active', 'expired'])
    .execute();
  const done = await db
    .selectFrom('rental_renewals')
    .select(['rental_id', 'duration_hours', 'new_expiry'])
    .where('state', '=', 'done')
    .execute();
  const added = new Map<number, number>();
  const problems: LedgerProblem[] = [];
  for (const renewal of done) {
    added.set(renewal.rental_id, (added.get(renewal.rental_id) ?? 0) + renewal.duration_hours * HOUR_MS);
    if (renewal.new_expiry === null) {
      problems.push({ message: `a completed renewal of rental ${renewal.rental_id} has no new expiry` });
    }
  }
  for (const r of rentals) {
    const expected = (r.first_expiry_time ?? Number.NaN) + (added.get(r.id) ?? 0);
    if (r.expiry_time !== expected) {
      problems.push({
        accountId: r.account_id,
        message: `rental ${r.id}: expiry ${r.expiry_time} is not its first expiry plus its renewals (${expected})`,
      });
    }
  }
  return problems;
};

/** No purchase or renewal stays pending long: the reconciler settles them within minutes. */
export const noStuckPendingRentals: InvariantCheck = async (db) => {
  const before = Date.now() - STUCK_PENDING_MS;
  const rentals = await db
    .selectFrom('rentals')
    .select(['id', 'account_id'])
    .where('state', '=', 'pending')
    .where('created_at', '<', before)
    .limit(20)
    .execute();
  const renewals = await db
    .selectFrom('rental_renewals')
    .select(['rental_id', 'seq', 'account_id'])
    .where('state', '=', 'pending')
    .where('created_at', '<', before)
    .limit(20)
    .execute();
  return [
    ...rentals.map((r) => ({
      accountId: r.account_id,
      message: `rental ${r.id} has been pending for over an hour`,
    })),
    ...renewals.map((r) => ({
      accountId: r.account_id,
      message: `renewal ${r.seq} of rental ${r.rental_id} has been pending for over an hour`,
    })),
  ];
};

/** The rental line's invariants, in the order `otpget ledger check` reports them. */
export const rentalInvariants: InvariantCheck[] = [
  rentalMoneySettled,
  rentalExpiryMatchesRenewals,
  noStuckPendingRentals,
];
