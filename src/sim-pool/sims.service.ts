import { type AuditStamp, inAuditedTransaction } from '../admin/audit.repository.js';
import type { Executor } from '../db/database.js';
import {
  findSim,
  findSimByPhone,
  insertSim,
  listDeviceSims,
  removeSim,
  type Sim,
  setSimEnabled,
} from './sims.repository.js';

/** The operator asked for something the pool cannot do (duplicate number, ambiguous slot, …). */
export class SimPoolError extends Error {
  override name = 'SimPoolError';
}

/** "+92 300-1234567" → "923001234567"; null unless 6–15 digits remain. */
export function normalizePhone(text: string): string | null {
  const digits = text
    .trim()
    .replace(/^\+/, '')
    .replace(/[\s\-().]/g, '');
  return /^\d{6,15}$/.test(digits) ? digits : null;
}

/**
 * Registers a SIM. On one gateway device either a single SIM without a slot, or every SIM with
 * its own slot: otherwise an inbound SMS could not be told apart and would reach the wrong order.
 * The operator's changes to the pool are audited in their own transaction.
 */
export async function addSim(
  db: Executor,
  stamp: AuditStamp,
  input: { phone: string; label?: string | null; deviceId?: string | null; simSlot?: number | null },
): Promise<Sim> {
  const phone = normalizePhone(input.phone);
  if (phone === null) throw new SimPoolError(`"${input.phone}" is not a phone number (6 to 15 digits)`);
  const deviceId = input.deviceId?.trim() || null;
  const simSlot = input.simSlot ?? null;
  if (simSlot !== null && deviceId === null) throw new SimPoolError('--slot needs --device');
  return inAuditedTransaction(db, stamp, async (trx) => {
    if (await findSimByPhone(trx, phone)) throw new SimPoolError(`SIM ${phone} is already in the pool`);
    if (deviceId !== null) {
      const onDevice = await listDeviceSims(trx, deviceId);
      if (onDevice.some((s) => s.simSlot === simSlot)) {
        throw new SimPoolError(
          simSlot === null
            ? `device ${deviceId} already has a SIM without a slot; give each SIM its --slot`
            : `device ${deviceId} already has a SIM in slot ${simSlot}`,
        );
      }
      if (onDevice.length > 0 && (simSlot === null || onDevice.some((s) => s.simSlot === null))) {
        throw new SimPoolError(`device ${deviceId} has several SIMs: give each one its --slot (1, 2, …)`);
      }
    }
    const id = await insertSim(
      trx,
      { phone, label: input.label?.trim() || null, deviceId, simSlot },
      stamp.now,
    );
    const sim = await findSim(trx, id);
    if (!sim) throw new Error(`SIM ${id} vanished after it was added`);
    return { result: sim, audit: { action: 'sim.add', target: `sim:${id}`, before: null, after: sim } };
  });
}

/** Finds a current SIM by id ("3") or phone ("923001234567", "+92 300 1234567"). */
export async function resolveSim(db: Executor, idOrPhone: string): Promise<Sim | null> {
  const text = idOrPhone.trim();
  if (/^\d{1,5}$/.test(text)) return findSim(db, Number(text));
  const phone = normalizePhone(text);
  return phone === null ? null : findSimByPhone(db, phone);
}

/** Stops or resumes handing a SIM out (a live order keeps it). */
export async function switchSim(
  db: Executor,
  stamp: AuditStamp,
  idOrPhone: string,
  enabled: boolean,
): Promise<Sim> {
  return inAuditedTransaction(db, stamp, async (trx) => {
    const sim = await resolveSim(trx, idOrPhone);
    if (!sim || !(await setSimEnabled(trx, sim.id, enabled, stamp.now)))
      throw new SimPoolError(`no SIM "${idOrPhone}" in the pool`);
    const audit = {
      action: enabled ? 'sim.enable' : 'sim.disable',
      target: `sim:${sim.id}`,
      before: { enabled: sim.enabled },
      after: { enabled },
    };
    return { result: sim, audit };
  });
}

export async function removeSimFromPool(db: Executor, stamp: AuditStamp, idOrPhone: string): Promise<Sim> {
  return inAuditedTransaction(db, stamp, async (trx) => {
    const sim = await resolveSim(trx, idOrPhone);
    if (!sim) throw new SimPoolError(`no SIM "${idOrPhone}" in the pool`);
    const result = await removeSim(trx, sim.id, stamp.now);
    if (result === 'busy') {
      throw new SimPoolError(
        `SIM ${sim.phone} is held by a live order; disable it now (otpget sim disable ${sim.id}) and remove it when the order ends`,
      );
    }
    if (result === 'not_found') throw new SimPoolError(`no SIM "${idOrPhone}" in the pool`);
    return {
      result: sim,
      audit: { action: 'sim.remove', target: `sim:${sim.id}`, before: sim, after: null },
    };
  });
}
