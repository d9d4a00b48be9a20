import { CLI_ACTOR } from '../../src/admin/audit.repository.js';
import { createOperator } from '../../src/admin/operators.service.js';
import type { TestServer } from '../helpers/test-server.js';

export const OPERATOR_PASSWORD = 'correct horse battery';

/** A JSON reply: HTTP status and parsed body. */
export interface AdminReply<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** Calls the admin API with an optional bearer token and JSON body. */
export async function adminCall<T = Record<string, unknown>>(
  server: TestServer,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<AdminReply<T>> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}/admin/api${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // CSV and other non-JSON replies stay text.
  }
  return { status: response.status, body: parsed as T };
}

/** Creates an operator user (as the CLI would) and signs it in; returns the bearer token. */
export async function signedInOperator(
  server: TestServer,
  email = `op${Math.random().toString(36).slice(2, 8)}@example.com`,
): Promise<{ token: string; email: string }> {
  await createOperator(server.ctx.db, server.clock, { email, password: OPERATOR_PASSWORD, actor: CLI_ACTOR });
  const reply = await adminCall<{ token: string }>(server, null, 'POST', '/login', {
    email,
    password: OPERATOR_PASSWORD,
  });
  if (reply.status !== 200) throw new Error(`login failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return { token: reply.body.token, email };
}

export async function auditCount(server: TestServer): Promise<number> {
  const row = await server.ctx.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function lastAudit(server: TestServer) {
  return server.ctx.db
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
}
