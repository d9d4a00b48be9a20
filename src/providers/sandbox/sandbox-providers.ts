import type { Executor } from '../../db/database.js';
import type { GroupCommit } from '../../db/group-commit.js';
import type { Clock } from '../../shared/clock.js';
import {
  type DomainOffer,
  type EmailActivationState,
  type EmailProvider,
  type EmailPurchase,
  type EmailPurchaseRequest,
  type RentalProvider,
  type RentalPurchase,
  type RentalPurchaseRequest,
  type SmsActivationState,
  type SmsProvider,
  type SmsPurchase,
  type SmsPurchaseRequest,
  UpstreamError,
  type UpstreamMessage,
} from '../types.js';
import {
  closeSandboxOrder,
  deliverDueAutoMessage,
  extendSandboxOrder,
  findSandboxOrder,
  insertSandboxOrder,
  listSandboxMessages,
  type SandboxOrder,
} from './sandbox.repository.js';
import {
  sandboxCode,
  sandboxEmail,
  sandboxEmailHtml,
  sandboxPhone,
  sandboxSmsText,
} from './sandbox-messages.js';

export interface SandboxOptions {
  db: Executor;
  /** Orders are written with the purchase path's other writes (one commit per turn on SQLite). */
  groupCommit: GroupCommit;
  clock: Clock;
  /** Delay before the automatic message; null turns automatic delivery off (manual delivery still works). */
  autoDeliveryDelayMs: number | null;
}

/**
 * The built-in upstream behind every product line that has no real upstream configured. It keeps
 * its state in the database (sandbox_* tables), so `otpget sandbox deliver` from another process
 * reaches a running server, and it behaves like an upstream: orders, messages, cancel, expiry.
 */
class SandboxBase {
  constructor(protected readonly options: SandboxOptions) {}

  protected async open(
    kind: SandboxOrder['kind'],
    service: string,
    expiresAt: number | null,
    address: string,
  ) {
    const now = this.options.clock.now();
    const delay = this.options.autoDeliveryDelayMs;
    return this.options.groupCommit.statement((db) =>
      insertSandboxOrder(db, {
        kind,
        service,
        createdAt: now,
        autoDeliverAt: delay === null ? null : now + delay,
        expiresAt,
        address,
      }),
    );
  }

  protected async load(upstreamOrderId: string): Promise<SandboxOrder> {
    const id = Number(upstreamOrderId);
    const order = Number.isSafeInteger(id) ? await findSandboxOrder(this.options.db, id) : null;
    if (!order) throw new UpstreamError('not_found', 'NO_ACTIVATION');
    return order;
  }

  protected async messages(
    order: SandboxOrder,
    compose: (o: SandboxOrder) => { sender: string; text: string },
  ) {
    await deliverDueAutoMessage(this.options.db, order, this.options.clock.now(), compose);
    const rows = await listSandboxMessages(this.options.db, order.id);
    return rows.map(
      (m): UpstreamMessage => ({
        id: `sandbox-${m.id}`,
        text: m.text,
        sender: m.sender,
        receivedAt: m.createdAt,
      }),
    );
  }
}

function composeSms(order: SandboxOrder) {
  return { sender: order.service, text: sandboxSmsText(order.service, sandboxCode(order.id)) };
}

export class SandboxSmsProvider extends SandboxBase implements SmsProvider {
  async buyNumber(request: SmsPurchaseRequest): Promise<SmsPurchase> {
    const order = await this.open('sms', request.service, null, sandboxPhone(request.country));
    return { upstreamOrderId: String(order.id), phone: order.address };
  }

  async getActivation(upstreamOrderId: string): Promise<SmsActivationState> {
    const order = await this.load(upstreamOrderId);
    const messages = await this.messages(order, composeSms);
    if (order.status === 'cancelled') return { state: 'cancelled' };
    if (order.status === 'finished') return { state: 'finished', messages };
    return messages.length > 0 ? { state: 'received', messages } : { state: 'waiting' };
  }

  async cancel(upstreamOrderId: string): Promise<boolean> {
    const order = await this.load(upstreamOrderId);
    const messages = await this.messages(order, composeSms);
    // Like real upstreams: once a code came, the number is paid for and cannot be cancelled.
    if (messages.length > 0) return false;
    return (await closeSandboxOrder(this.options.db, order.id, 'cancelled')) || order.status === 'cancelled';
  }

  async finish(upstreamOrderId: string): Promise<void> {
    const order = await this.load(upstreamOrderId);
    await closeSandboxOrder(this.options.db, order.id, 'finished');
  }
}

export class SandboxRentalProvider extends SandboxBase implements RentalProvider {
  async rentNumber(request: RentalPurchaseRequest): Promise<RentalPurchase> {
    const expiresAt = this.options.clock.now() + request.hours * 3_600_000;
    const order = await this.open(
      'rental',
      request.service ?? 'any',
      expiresAt,
      sandboxPhone(request.country),
    );
    return { upstreamOrderId: String(order.id), phone: order.address, expiresAt };
  }

  async getMessages(upstreamOrderId: string): Promise<UpstreamMessage[]> {
    const order = await this.load(upstreamOrderId);
    return this.messages(order, (o) => ({
      sender: 'WhatsApp',
      text: `Your WhatsApp code ${sandboxCode(o.id).replace(/^(\d{3})/, '$1-')}`,
    }));
  }

  async extend(upstreamOrderId: string, hours: number): Promise<{ expiresAt: number }> {
    const order = await this.load(upstreamOrderId);
    if (order.status !== 'active') throw new UpstreamError('bad_request', 'RENT_ENDED');
    const expiresAt = (order.expiresAt ?? this.options.clock.now()) + hours * 3_600_000;
    await extendSandboxOrder(this.options.db, order.id, expiresAt);
    return { expiresAt };
  }

  async cancel(upstreamOrderId: string): Promise<boolean> {
    const order = await this.load(upstreamOrderId);
    return closeSandboxOrder(this.options.db, order.id, 'cancelled');
  }

  async getAvailability(): Promise<number> {
    return 3338;
  }
}

export class SandboxEmailProvider extends SandboxBase implements EmailProvider {
  async buyEmail(request: EmailPurchaseRequest): Promise<EmailPurchase> {
    const order = await this.open('email', request.site, null, sandboxEmail(request.domain));
    return { upstreamOrderId: String(order.id), email: order.address };
  }

  async getActivation(upstreamOrderId: string): Promise<EmailActivationState> {
    const order = await this.load(upstreamOrderId);
    const messages = await this.messages(order, (o) => ({
      sender: `no-reply@${o.service}`,
      text: sandboxEmailHtml(o.service, sandboxCode(o.id)),
    }));
    if (messages.length > 0) return { state: 'received', messages };
    return order.status === 'cancelled' ? { state: 'cancelled' } : { state: 'waiting' };
  }

  async cancel(upstreamOrderId: string): Promise<boolean> {
    const order = await this.load(upstreamOrderId);
    const state = await this.getActivation(upstreamOrderId);
    if (state.state === 'received') return false;
    return (await closeSandboxOrder(this.options.db, order.id, 'cancelled')) || order.status === 'cancelled';
  }

  async getDomains(): Promise<DomainOffer[]> {
    return [];
  }
}
