import {
  type CliIo,
  cliStamp,
  commandGroup,
  parseCommandArgs,
  UsageError,
  withDatabase,
} from '../cli/cli-support.js';
import { listSimMessages } from './sim-messages.repository.js';
import { listSims } from './sims.repository.js';
import { addSim, removeSimFromPool, SimPoolError, switchSim } from './sims.service.js';

export const SIM_USAGE = `otpget sim <command>                                    the operator's own SIM cards (the sim-pool upstream)
  add <phone> [--label L] [--device ID] [--slot N]        register a SIM; --device/--slot are the SMS gateway's deviceId and simNumber
  list [--json]                                           SIMs, and the order holding each
  disable <id|phone> | enable <id|phone>                  stop or resume handing a SIM out (a live order keeps it)
  remove <id|phone>                                       take a SIM out of the pool (refused while an order holds it)
  messages [--sim ID] [--unassigned] [--limit N] [--json] inbound SMS, newest first`;

function readSlot(text: string | undefined): number | null {
  if (text === undefined) return null;
  if (!/^\d{1,2}$/.test(text))
    throw new UsageError(`--slot must be a SIM slot number like 1 or 2, got "${text}"`);
  return Number(text);
}

async function add(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    label: { type: 'string' },
    device: { type: 'string' },
    slot: { type: 'string' },
    json: { type: 'boolean' },
  });
  const [phone, extra] = positionals;
  if (!phone || extra !== undefined) throw new UsageError(SIM_USAGE);
  const simSlot = readSlot(values.slot);
  const sim = await withDatabase(({ db }) =>
    addSim(db, cliStamp(), {
      phone,
      label: values.label ?? null,
      deviceId: values.device ?? null,
      simSlot,
    }),
  );
  if (values.json) io.out(JSON.stringify(sim));
  else io.out(`SIM ${sim.id} added: ${sim.phone}${sim.deviceId ? ` on device ${sim.deviceId}` : ''}`);
  if (!sim.deviceId && !values.json)
    io.out('note: without --device, SMS from the gateway cannot be matched to this SIM');
  return 0;
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(SIM_USAGE);
  const sims = await withDatabase(({ db }) => listSims(db));
  for (const sim of sims) {
    if (values.json) {
      io.out(JSON.stringify(sim));
      continue;
    }
    const state =
      sim.liveOrderId !== null ? `busy (order ${sim.liveOrderId})` : sim.enabled ? 'free' : 'disabled';
    const where = sim.deviceId
      ? ` device ${sim.deviceId}${sim.simSlot !== null ? ` slot ${sim.simSlot}` : ''}`
      : '';
    io.out(`${sim.id}\t${sim.phone}\t${state}${where}${sim.label ? `\t${sim.label}` : ''}`);
  }
  if (sims.length === 0 && !values.json) io.out('no SIMs yet: otpget sim add <phone> --device <deviceId>');
  return 0;
}

async function toggle(args: string[], io: CliIo, enabled: boolean): Promise<number> {
  const [ref, extra] = args;
  if (!ref || extra !== undefined) throw new UsageError(SIM_USAGE);
  const sim = await withDatabase(({ db }) => switchSim(db, cliStamp(), ref, enabled));
  io.out(`SIM ${sim.id} (${sim.phone}) ${enabled ? 'enabled' : 'disabled'}`);
  return 0;
}

async function remove(args: string[], io: CliIo): Promise<number> {
  const [ref, extra] = args;
  if (!ref || extra !== undefined) throw new UsageError(SIM_USAGE);
  const sim = await withDatabase(({ db }) => removeSimFromPool(db, cliStamp(), ref));
  io.out(`SIM ${sim.id} (${sim.phone}) removed from the pool`);
  return 0;
}

async function messages(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    sim: { type: 'string' },
    unassigned: { type: 'boolean' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(SIM_USAGE);
  if (values.sim !== undefined && !/^\d{1,15}$/.test(values.sim))
    throw new UsageError('--sim must be a SIM id');
  if (values.limit !== undefined && !/^\d{1,4}$/.test(values.limit))
    throw new UsageError('--limit must be 1 to 9999');
  const rows = await withDatabase(({ db }) =>
    listSimMessages(db, {
      ...(values.sim !== undefined ? { simId: Number(values.sim) } : {}),
      unassigned: values.unassigned === true,
      limit: values.limit !== undefined ? Math.max(1, Number(values.limit)) : 50,
    }),
  );
  for (const m of rows) {
    if (values.json) io.out(JSON.stringify(m));
    else {
      const to = m.simOrderId !== null ? `order ${m.simOrderId}` : 'no order';
      io.out(
        `${new Date(m.receivedAt).toISOString()}\tSIM ${m.simId ?? '?'}\t${to}\tfrom ${m.sender}\t${m.text}`,
      );
    }
  }
  return 0;
}

/** `otpget sim …`: the operator's SIM inventory. */
export const simCommand = commandGroup(
  'sim',
  SIM_USAGE,
  {
    add,
    list,
    enable: (args, io) => toggle(args, io, true),
    disable: (args, io) => toggle(args, io, false),
    remove,
    messages,
  },
  [SimPoolError],
);
