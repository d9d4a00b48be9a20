import { type AuditStamp, inAuditedTransaction } from '../admin/audit.repository.js';
import type { Executor } from '../db/database.js';
import { findUpstreamByReference, listUpstreams } from '../providers/upstreams.repository.js';
import {
  type CheapServerInput,
  findCheapServer,
  insertCheapServer,
  updateCheapServer,
} from './cheap-servers.repository.js';

/**
 * The operator's changes to the cheap-number servers (`otpget cheap …`): each runs in one
 * transaction with its audit row, so the change and the row commit together or not at all.
 */

/** The operator asked for something impossible; the message says what and how to fix it. */
export class CheapServerAdminError extends Error {
  override name = 'CheapServerAdminError';
}

/** An SMS upstream by id or name (the CLI's and the routes' one lookup). */
async function resolveUpstream(db: Executor, reference: string) {
  const upstream = await findUpstreamByReference(db, reference);
  if (upstream?.kind !== 'sms') {
    const names = (await listUpstreams(db)).filter((u) => u.kind === 'sms').map((u) => u.name);
    throw new CheapServerAdminError(`no SMS upstream named "${reference}" (there are: ${names.join(', ')})`);
  }
  return upstream;
}

export type NewCheapServer = Omit<CheapServerInput, 'upstreamId' | 'upstreamCountry' | 'upstreamService'> & {
  upstreamName: string;
  upstreamCountry?: string;
  upstreamService?: string;
};

/** Adds a server; an upstream other than the SIM pool or the sandbox needs its own codes. */
export async function addCheapServer(
  db: Executor,
  stamp: AuditStamp,
  input: NewCheapServer,
): Promise<number> {
  return inAuditedTransaction(db, stamp, async (trx) => {
    const upstream = await resolveUpstream(trx, input.upstreamName);
    const local = upstream.protocol === 'sim-pool' || upstream.protocol === 'sandbox';
    if (!local && (input.upstreamCountry === undefined || input.upstreamService === undefined)) {
      throw new CheapServerAdminError(
        `upstream "${upstream.name}" needs its own --country and --service codes`,
      );
    }
    const { upstreamName: _, ...fields } = input;
    const id = await insertCheapServer(
      trx,
      {
        ...fields,
        upstreamId: upstream.id,
        upstreamCountry: input.upstreamCountry ?? '92',
        upstreamService: input.upstreamService ?? 'any',
      },
      stamp.now,
    );
    const after = await findCheapServer(trx, id);
    return { result: id, audit: { action: 'cheap.add', target: `cheap-server:${id}`, before: null, after } };
  });
}

/** Changes a server; `upstreamName` repoints it. */
export async function changeCheapServer(
  db: Executor,
  stamp: AuditStamp,
  id: number,
  changes: Partial<CheapServerInput> & { upstreamName?: string },
): Promise<void> {
  await inAuditedTransaction(db, stamp, async (trx) => {
    const { upstreamName, ...fields } = changes;
    if (upstreamName !== undefined) fields.upstreamId = (await resolveUpstream(trx, upstreamName)).id;
    const before = await findCheapServer(trx, id);
    if (!before) throw new CheapServerAdminError(`no cheap server ${id}`);
    await updateCheapServer(trx, id, fields, stamp.now);
    const after = await findCheapServer(trx, id);
    return { result: undefined, audit: { action: 'cheap.set', target: `cheap-server:${id}`, before, after } };
  });
}
