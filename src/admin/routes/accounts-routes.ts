import type { FastifyInstance } from 'fastify';
import { findAccount, listAccounts } from '../../accounts/accounts.repository.js';
import type { AppContext } from '../../app-context.js';
import { parsePkr } from '../../shared/money.js';
import { listLedgerEntries } from '../../wallet/wallet.repository.js';
import {
  adjustAsOperator,
  createAccountAsOperator,
  rotateKeyAsOperator,
  setStatusAsOperator,
  statementCsv,
} from '../accounts-admin.service.js';
import {
  actorOf,
  amountPaisa,
  badRequest,
  body,
  idParam,
  limitParam,
  notFound,
  optionalString,
  query,
} from '../admin-http.js';
import { listTopupRequests } from '../topups.repository.js';

/** Accounts: search, create (key shown once), credit/debit, block/unblock, rotate key, statement (JSON or CSV). */
export function accountsRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    api.get('/accounts', async (request) => {
      const q = query(request);
      const search = q.search?.trim();
      const limit = limitParam(q.limit, 50, 500);
      const offset = q.offset && /^\d{1,9}$/.test(q.offset) ? Number(q.offset) : 0;
      // A number searches by account id too.
      if (search && /^\d{1,15}$/.test(search)) {
        const byId = await findAccount(ctx.db, Number(search));
        const byText = await listAccounts(ctx.db, { limit, offset, search });
        return { accounts: [...(byId ? [byId] : []), ...byText.filter((a) => a.id !== byId?.id)] };
      }
      return { accounts: await listAccounts(ctx.db, { limit, offset, ...(search ? { search } : {}) }) };
    });

    api.post('/accounts', async (request, reply) => {
      const input = body(request);
      const balanceText = input.balance === undefined || input.balance === '' ? '0' : String(input.balance);
      const openingBalance = parsePkr(balanceText);
      if (openingBalance === null) throw badRequest('balance must be a PKR amount like "500" or "12.50"');
      const created = await createAccountAsOperator(ctx, actorOf(request), {
        name: optionalString(input, 'name', 200),
        email: optionalString(input, 'email', 200),
        openingBalance,
      });
      return reply.status(201).send({ account: created.account, apiKey: created.apiKey });
    });

    api.get('/accounts/:id', async (request) => {
      const id = idParam(request);
      const account = await findAccount(ctx.db, id);
      if (!account) throw notFound('account');
      const [ledger, topups] = await Promise.all([
        listLedgerEntries(ctx.db, id, { limit: 20 }),
        listTopupRequests(ctx.db, { accountId: id, limit: 20 }),
      ]);
      return { account, ledger, topups };
    });

    for (const [path, sign] of [
      ['credit', 1],
      ['debit', -1],
    ] as const) {
      api.post(`/accounts/:id/${path}`, async (request) => {
        const input = body(request);
        const result = await adjustAsOperator(ctx, actorOf(request), {
          accountId: idParam(request),
          amount: sign * amountPaisa(input),
          reference: optionalString(input, 'reference', 120),
          note: optionalString(input, 'note', 500),
        });
        return result;
      });
    }

    for (const [path, status] of [
      ['block', 'blocked'],
      ['unblock', 'active'],
    ] as const) {
      api.post(`/accounts/:id/${path}`, async (request) => {
        return setStatusAsOperator(ctx, actorOf(request), idParam(request), status);
      });
    }

    api.post('/accounts/:id/rotate-key', async (request) => {
      return { apiKey: await rotateKeyAsOperator(ctx, actorOf(request), idParam(request)) };
    });

    api.get('/accounts/:id/ledger', async (request, reply) => {
      const id = idParam(request);
      if (!(await findAccount(ctx.db, id))) throw notFound('account');
      const q = query(request);
      if (q.format === 'csv') {
        const lines = await listLedgerEntries(ctx.db, id, { limit: 100_000 });
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="account-${id}-statement.csv"`)
          .send(statementCsv(lines));
      }
      const beforeId = q.before && /^\d{1,15}$/.test(q.before) ? Number(q.before) : undefined;
      const lines = await listLedgerEntries(ctx.db, id, {
        limit: limitParam(q.limit, 100, 1000),
        ...(beforeId !== undefined ? { beforeId } : {}),
      });
      return { entries: lines };
    });
  };
}
