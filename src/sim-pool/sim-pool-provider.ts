import type { Executor } from '../db/database.js';
import {
  type SmsActivationState,
  type SmsProvider,
  type SmsPurchase,
  UpstreamError,
  type UpstreamMessage,
} from '../providers/types.js';
import type { Clock } from '../shared/clock.js';
import { listOrderMessages } from './sim-messages.repository.js';
import { endSimOrder, findSimOrder, insertLiveSimOrder, type SimOrder } from './sim-orders.repository.js';
import { listFreeSims, touchSimClaimed } from './sims.repository.js';

/** How many free SIMs one purchase tries before it gives up as NO_NUMBERS under heavy contention. */
const CLAIM_ROUNDS = 5;
const CANDIDATES_PER_ROUND = 8;

/**
 * The `sim-pool` upstream: the operator's own SIM cards as an SmsProvider. A purchase claims a
 * free SIM (one live order per SIM, enforced by a unique index), the gateway webhook stores each
 * inbound SMS against the live order on its SIM, and getActivation reads those messages from the
 * database: the activation engine's ordinary poll job turns them into the order's code, with no
 * network call. Cancel and finish end the hand-out, which frees the SIM for the next buyer.
 * The request's country and service are ignored: every SIM is one pool.
 */
export class SimPoolSmsProvider implements SmsProvider {
  constructor(private readonly options: { db: Executor; clock: Clock }) {}

  async buyNumber(): Promise<SmsPurchase> {
    const { db, clock } = this.options;
    for (let round = 0; round < CLAIM_ROUNDS; round++) {
      const free = await listFreeSims(db, CANDIDATES_PER_ROUND);
      if (free.length === 0) break;
      for (const sim of free) {
        const now = clock.now();
        const orderId = await insertLiveSimOrder(db, sim.id, now);
        if (orderId === null) continue; // another buyer took this SIM a moment ago
        await touchSimClaimed(db, sim.id, now);
        return { upstreamOrderId: String(orderId), phone: sim.phone, costMicros: 0 };
      }
    }
    throw new UpstreamError('no_numbers', 'NO_NUMBERS');
  }

  async getActivation(upstreamOrderId: string): Promise<SmsActivationState> {
    const order = await this.load(upstreamOrderId);
    if (order.state === 'cancelled') return { state: 'cancelled' };
    const messages = await this.messages(order);
    if (order.state === 'finished') return { state: 'finished', messages };
    return messages.length > 0 ? { state: 'received', messages } : { state: 'waiting' };
  }

  async cancel(upstreamOrderId: string): Promise<boolean> {
    const order = await this.load(upstreamOrderId);
    if (await endSimOrder(this.options.db, order.id, 'cancelled', this.options.clock.now())) return true;
    // Already cancelled counts as done; finished, or a message attached, is a refusal.
    return (await this.load(upstreamOrderId)).state === 'cancelled';
  }

  async finish(upstreamOrderId: string): Promise<void> {
    const order = await this.load(upstreamOrderId);
    await endSimOrder(this.options.db, order.id, 'finished', this.options.clock.now());
  }

  private async load(upstreamOrderId: string): Promise<SimOrder> {
    const id = /^\d{1,15}$/.test(upstreamOrderId) ? Number(upstreamOrderId) : Number.NaN;
    const order = Number.isSafeInteger(id) ? await findSimOrder(this.options.db, id) : null;
    if (!order) throw new UpstreamError('not_found', 'NO_ACTIVATION');
    return order;
  }

  private async messages(order: SimOrder): Promise<UpstreamMessage[]> {
    const rows = await listOrderMessages(this.options.db, order.id);
    return rows.map((m) => ({
      id: `sim-${m.id}`,
      text: m.text,
      sender: m.sender,
      receivedAt: m.receivedAt,
    }));
  }
}
