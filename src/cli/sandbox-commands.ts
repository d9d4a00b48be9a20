import { deliverSandboxMessageAsOperator, SandboxDeliveryError } from '../providers/sandbox/deliver.js';
import { upstreamOrderResolvers } from '../sandbox-order-resolvers.js';
import {
  type Command,
  CommandError,
  cliStamp,
  parseCommandArgs,
  UsageError,
  withDatabase,
} from './cli-support.js';

export const SANDBOX_USAGE = `otpget sandbox deliver <order-id> <text> [--from SENDER]   put a message on a sandbox order (SMS, cheap, rental or email)`;

export const sandboxCommand: Command = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub !== 'deliver') throw new UsageError(SANDBOX_USAGE);
  const { values, positionals } = parseCommandArgs(rest, { from: { type: 'string' } });
  const [orderId, ...words] = positionals;
  const text = words.join(' ').trim();
  if (!orderId || !text) throw new UsageError(SANDBOX_USAGE);
  try {
    await withDatabase(({ db }) =>
      deliverSandboxMessageAsOperator(db, cliStamp(), upstreamOrderResolvers, {
        orderId,
        text,
        ...(values.from ? { sender: values.from } : {}),
      }),
    );
  } catch (error) {
    if (error instanceof SandboxDeliveryError) throw new CommandError(error.message);
    throw error;
  }
  io.out(`delivered to order ${orderId}; the server shows it on its next poll (within about a second)`);
  return 0;
};
