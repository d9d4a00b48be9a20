import { issuePasswordLinkAsOperator, passwordLinkUrl } from '../admin/password-links-admin.js';
import { loadConfig } from '../config.js';
import { listOpenResetRequests } from '../portal/password-links.repository.js';
import { ISSUE_PROBLEMS } from '../portal/password-links.service.js';
import { systemClock } from '../shared/clock.js';
import {
  type CliIo,
  CommandError,
  cliActor,
  parseAccountId,
  parseCommandArgs,
  withDatabase,
} from './cli-support.js';

/** `otpget account invite` and `otpget account reset-requests` (listed in ACCOUNT_USAGE). */
export const PASSWORD_LINK_USAGE = `  invite <id> [--email E] [--json]                         one-time link to set the portal password
                                                           (invite, or reset when a login exists)
  reset-requests [--json]                                  "forgot password" requests waiting for a link`;

export async function inviteCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    email: { type: 'string' },
    json: { type: 'boolean' },
  });
  const accountId = parseAccountId(positionals[0]);
  const result = await withDatabase(({ db }) =>
    issuePasswordLinkAsOperator(db, systemClock.now(), cliActor(), {
      accountId,
      email: values.email ?? null,
    }),
  );
  if (!result.ok) {
    throw new CommandError(`account ${accountId}: ${ISSUE_PROBLEMS[result.problem]}; no link was made`);
  }
  const publicUrl = loadConfig().publicUrl;
  const url = passwordLinkUrl(publicUrl, result.path);
  const expires = new Date(result.expiresAt).toISOString();
  if (values.json) {
    io.out(
      JSON.stringify({ accountId, email: result.email, purpose: result.purpose, url, expiresAt: expires }),
    );
    return 0;
  }
  io.out(
    `${result.purpose === 'invite' ? 'invite' : 'password reset'} link for ${result.email} (account ${accountId}),`,
  );
  io.out(`works once, until ${expires}; any older link of the account no longer works:`);
  io.out(url);
  if (!publicUrl)
    io.out('(put the server address in front, or set OTPGET_PUBLIC_URL to print the full link)');
  return 0;
}

export async function resetRequestsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { json: { type: 'boolean' } });
  const requests = await withDatabase(({ db }) => listOpenResetRequests(db));
  for (const r of requests) {
    const at = new Date(r.requestedAt).toISOString();
    if (values.json) io.out(JSON.stringify({ accountId: r.accountId, email: r.email, requestedAt: at }));
    else io.out(`${at}\taccount ${r.accountId}\t${r.email}\t→ otpget account invite ${r.accountId}`);
  }
  if (!values.json && requests.length === 0) io.out('no password reset requests are waiting');
  return 0;
}
