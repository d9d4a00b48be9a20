import type { AppContext } from '../app-context.js';
import { listRentalServers } from './catalog.repository.js';
import { rentalError } from './rental-errors.js';
import { listRentalMessages, markSmsWanted, type StoredRentalMessage } from './rental-messages.repository.js';
import { refreshRentalInbox } from './rental-read-through.js';
import { findRentalByOrderId, listAccountRentals, type Rental } from './rentals.repository.js';

/** How long after a customer reads an inbox the SMS pull job keeps polling the upstream often. */
export const SMS_WANTED_MS = 5 * 60_000;

/** A customer's rentals, newest first, each with its server's name. */
export async function listMyRentals(
  ctx: AppContext,
  accountId: number,
): Promise<Array<{ rental: Rental; serverName: string }>> {
  const [rentals, servers] = await Promise.all([
    listAccountRentals(ctx.db, accountId),
    listRentalServers(ctx.db),
  ]);
  const names = new Map(servers.map((s) => [s.id, s.name]));
  return rentals.map((rental) => ({
    rental,
    serverName: names.get(rental.serverId) ?? `Server ${rental.serverId}`,
  }));
}

/**
 * The messages of one of the customer's rentals. An inbox last pulled more than a few seconds ago
 * is read through from the upstream first (rental-read-through.ts: once per rental however many
 * read at once, bounded by a short timeout, falling back to what is stored). Reading also marks
 * the inbox as wanted, so the pull job polls the upstream often for a while.
 */
export async function readRentalInbox(
  ctx: AppContext,
  accountId: number,
  orderId: string,
): Promise<{ rental: Rental; serverName: string; messages: StoredRentalMessage[] }> {
  const rental = /^\d{1,30}$/.test(orderId) ? await findRentalByOrderId(ctx.db, orderId) : null;
  if (!rental || rental.accountId !== accountId || rental.status === 'failed') {
    throw rentalError({ code: 'rental_not_found' });
  }
  const now = ctx.clock.now();
  if (rental.status === 'active') {
    await markSmsWanted(ctx.db, rental.id, {
      now,
      wantedUntil: now + SMS_WANTED_MS,
      refreshBefore: now + SMS_WANTED_MS / 2,
    });
  }
  // Active rentals, and expired ones still in the pull job's grace (the claim decides which).
  if (rental.status === 'active' || rental.status === 'expired') await refreshRentalInbox(ctx, rental);
  const [messages, servers] = await Promise.all([
    listRentalMessages(ctx.db, rental.id),
    listRentalServers(ctx.db),
  ]);
  const serverName = servers.find((s) => s.id === rental.serverId)?.name ?? `Server ${rental.serverId}`;
  return { rental, serverName, messages };
}
