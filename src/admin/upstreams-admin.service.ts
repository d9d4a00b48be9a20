import type { Executor } from '../db/database.js';
import { mintPushToken, revokePushToken } from '../providers/push-tokens.js';
import {
  findUpstream,
  findUpstreamByName,
  insertUpstream,
  listUpstreams,
  type Upstream,
  type UpstreamInput,
  updateUpstream,
} from '../providers/upstreams.repository.js';
import type { Clock } from '../shared/clock.js';
import { defaultAdapterFactories } from '../upstream-adapters.js';
import { type Actor, writeAudit } from './audit.repository.js';

/**
 * An upstream as the console shows it: the credential reduced to its last characters, the push
 * token only as whether one is issued (and when).
 */
export type VisibleUpstream = Omit<Upstream, 'apiKey' | 'pushTokenHash'> & {
  apiKeyHint: string | null;
  push: boolean;
};

export function visibleUpstream(u: Upstream): VisibleUpstream {
  const { apiKey, pushTokenHash, ...rest } = u;
  return { ...rest, apiKeyHint: apiKey ? `…${apiKey.slice(-4)}` : null, push: pushTokenHash !== null };
}

/** A refused upstream change; the message is safe to show. */
export class UpstreamConfigError extends Error {
  override name = 'UpstreamConfigError';
  constructor(
    readonly code: 'invalid' | 'not_found' | 'duplicate',
    message: string,
  ) {
    super(message);
  }
}

const KINDS = ['sms', 'rental', 'email'] as const;

function check(input: Partial<UpstreamInput>): void {
  if (input.name !== undefined && !/^[\w.-]{1,64}$/.test(input.name)) {
    throw new UpstreamConfigError('invalid', 'name must be 1-64 letters, digits or ._-');
  }
  if (input.kind !== undefined && !(KINDS as readonly string[]).includes(input.kind)) {
    throw new UpstreamConfigError('invalid', 'kind must be sms, rental or email');
  }
  if (input.protocol !== undefined && !/^[a-z0-9-]{1,40}$/.test(input.protocol)) {
    throw new UpstreamConfigError('invalid', 'protocol must be a lower-case adapter name');
  }
  if (input.baseUrl) {
    let url: URL;
    try {
      url = new URL(input.baseUrl);
    } catch {
      throw new UpstreamConfigError('invalid', 'base URL is not a URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new UpstreamConfigError('invalid', 'base URL must be http or https');
    }
  }
  if (input.currency !== undefined && !/^[A-Z]{3}$/.test(input.currency)) {
    throw new UpstreamConfigError('invalid', 'currency must be a three-letter code like USD');
  }
  if (
    input.timeoutMs !== undefined &&
    (!Number.isInteger(input.timeoutMs) || input.timeoutMs < 500 || input.timeoutMs > 120_000)
  ) {
    throw new UpstreamConfigError('invalid', 'timeout must be 500 to 120000 ms');
  }
}

/** Refuses a protocol this build has no adapter for, so a typo cannot take a line down at its first sale. */
function checkProtocol(kind: UpstreamInput['kind'], protocol: string): void {
  const known = Object.keys(defaultAdapterFactories()[kind]);
  if (!known.includes(protocol)) {
    throw new UpstreamConfigError(
      'invalid',
      `protocol for a ${kind} upstream must be one of ${known.join(', ')}`,
    );
  }
}

export async function listVisibleUpstreams(db: Executor): Promise<VisibleUpstream[]> {
  return (await listUpstreams(db)).map(visibleUpstream);
}

export async function addUpstream(
  db: Executor,
  clock: Clock,
  actor: Actor,
  input: UpstreamInput,
): Promise<VisibleUpstream> {
  check(input);
  checkProtocol(input.kind, input.protocol);
  if (await findUpstreamByName(db, input.name)) {
    throw new UpstreamConfigError('duplicate', `an upstream named ${input.name} exists`);
  }
  const now = clock.now();
  const id = await db.transaction().execute(async (trx) => {
    const id = await insertUpstream(trx, input, now);
    const created = await findUpstream(trx, id);
    await writeAudit(trx, {
      actor,
      action: 'upstream.create',
      target: `upstream:${id}`,
      before: null,
      after: created ? visibleUpstream(created) : null,
      now,
    });
    return id;
  });
  const created = await findUpstream(db, id);
  if (!created) throw new Error(`upstream ${id} vanished`);
  return visibleUpstream(created);
}

/**
 * Changes an upstream (enable/disable included). The provider registry re-reads the row within
 * two seconds, so every process picks the change up without a restart.
 */
export async function configureUpstream(
  db: Executor,
  clock: Clock,
  actor: Actor,
  id: number,
  changes: Partial<Omit<UpstreamInput, 'kind'>>,
): Promise<VisibleUpstream> {
  check(changes);
  const now = clock.now();
  const action =
    Object.keys(changes).length === 1 && changes.enabled !== undefined
      ? changes.enabled
        ? 'upstream.enable'
        : 'upstream.disable'
      : 'upstream.update';
  await db.transaction().execute(async (trx) => {
    const before = await findUpstream(trx, id);
    if (!before) throw new UpstreamConfigError('not_found', 'upstream not found');
    if (changes.protocol !== undefined) checkProtocol(before.kind, changes.protocol);
    if (
      changes.name !== undefined &&
      changes.name !== before.name &&
      (await findUpstreamByName(trx, changes.name))
    ) {
      throw new UpstreamConfigError('duplicate', `an upstream named ${changes.name} exists`);
    }
    await updateUpstream(trx, id, changes, now);
    const after = await findUpstream(trx, id);
    await writeAudit(trx, {
      actor,
      action,
      target: `upstream:${id}`,
      before: visibleUpstream(before),
      after: after ? visibleUpstream(after) : null,
      now,
    });
  });
  const updated = await findUpstream(db, id);
  if (!updated) throw new Error(`upstream ${id} vanished`);
  return visibleUpstream(updated);
}

/**
 * Issues a new push token for an upstream (the old one stops working) and returns it, to be shown
 * once in the push URL (providers/push-tokens.ts, `pushPath`); or, with `off`, turns push off. Audited; the token itself is never stored
 * or written to the audit row. Running servers pick the change up within two seconds.
 */
export async function setUpstreamPush(
  db: Executor,
  clock: Clock,
  actor: Actor,
  id: number,
  off: boolean,
): Promise<{ upstream: VisibleUpstream; token: string | null }> {
  const now = clock.now();
  const token = await db.transaction().execute(async (trx) => {
    const before = await findUpstream(trx, id);
    if (!before) throw new UpstreamConfigError('not_found', 'upstream not found');
    if (before.kind === 'email') {
      throw new UpstreamConfigError('invalid', 'email upstreams do not push: mailboxes are read by polling');
    }
    let token: string | null = null;
    if (off) await revokePushToken(trx, id, now);
    else token = await mintPushToken(trx, id, now);
    const after = await findUpstream(trx, id);
    await writeAudit(trx, {
      actor,
      action: off ? 'upstream.push_off' : 'upstream.push_token',
      target: `upstream:${id}`,
      before: visibleUpstream(before),
      after: after ? visibleUpstream(after) : null,
      now,
    });
    return token;
  });
  const updated = await findUpstream(db, id);
  if (!updated) throw new Error(`upstream ${id} vanished`);
  return { upstream: visibleUpstream(updated), token };
}
