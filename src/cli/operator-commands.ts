import { randomBytes } from 'node:crypto';
import {
  createOperator,
  listOperators,
  OperatorError,
  setOperatorPassword,
  setOperatorStatus,
} from '../admin/operators.service.js';
import { systemClock } from '../shared/clock.js';
import {
  type CliIo,
  CommandError,
  cliActor,
  commandGroup,
  parseCommandArgs,
  UsageError,
  withDatabase,
} from './cli-support.js';

export const OPERATOR_USAGE = `otpget operator <command>
  create <email> [--password-stdin]                        console user; prints a generated password once
  set-password <email> [--password-stdin]                  new password (ends its sessions); prints it if generated
  disable <email> | enable <email>                         refuse or allow the user's console logins
  list                                                     console users`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** A password from stdin (kept out of the process list and shell history), or a generated one. */
async function choosePassword(
  fromStdin: boolean | undefined,
): Promise<{ password: string; generated: boolean }> {
  if (fromStdin) return { password: await readStdin(), generated: false };
  return { password: randomBytes(15).toString('base64url'), generated: true };
}

function oneEmail(positionals: string[]): string {
  const [email, extra] = positionals;
  if (!email) throw new UsageError('an email is required');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  return email;
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof OperatorError) throw new CommandError(error.message);
    throw error;
  }
}

async function create(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { 'password-stdin': { type: 'boolean' } });
  const email = oneEmail(positionals);
  const { password, generated } = await choosePassword(values['password-stdin']);
  const operator = await guarded(() =>
    withDatabase(({ db }) => createOperator(db, systemClock, { email, password, actor: cliActor() })),
  );
  io.out(`operator ${operator.email} created (id ${operator.id}); sign in at /admin/login`);
  if (generated) io.out(`password (shown once, store it now): ${password}`);
  return 0;
}

async function setPassword(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { 'password-stdin': { type: 'boolean' } });
  const email = oneEmail(positionals);
  const { password, generated } = await choosePassword(values['password-stdin']);
  await guarded(() =>
    withDatabase(({ db }) => setOperatorPassword(db, systemClock, { email, password, actor: cliActor() })),
  );
  io.out(`password of ${email} changed; its sessions are signed out`);
  if (generated) io.out(`password (shown once, store it now): ${password}`);
  return 0;
}

async function setStatus(args: string[], io: CliIo, status: 'active' | 'disabled'): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  const email = oneEmail(positionals);
  await guarded(() =>
    withDatabase(({ db }) => setOperatorStatus(db, systemClock, { email, status, actor: cliActor() })),
  );
  io.out(`operator ${email} ${status === 'active' ? 'enabled' : 'disabled'}`);
  return 0;
}

async function list(args: string[], io: CliIo): Promise<number> {
  parseCommandArgs(args, {});
  const operators = await withDatabase(({ db }) => listOperators(db));
  if (operators.length === 0) io.out('no operators yet: otpget operator create <email>');
  for (const o of operators) io.out(`${o.id}\t${o.email}\t${o.status}`);
  return 0;
}

export const operatorCommand = commandGroup('operator', OPERATOR_USAGE, {
  create,
  'set-password': setPassword,
  disable: (args, io) => setStatus(args, io, 'disabled'),
  enable: (args, io) => setStatus(args, io, 'active'),
  list,
});
