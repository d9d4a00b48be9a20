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
import { actorOf, amountPaisa, badRequest, limitParam, notFound, text } from '../admin-http.js';
import { handle } from '../admin-route.js';
import { listTopupRequests } from '../topups.repository.js';

/** Accounts: search, create (key shown once), credit/debit, block/unblock, rotate key, statement (JSON or CSV). */
export function accountsRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    handle(api, 'GET /accounts', async ({ query: q }) => {
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

    handle(api, 'POST /accounts', async ({ body }, request) => {
      const openingBalance = parsePkr(
        body.balance === undefined || body.balance === '' ? '0' : String(body.balance),
      );
      if (openingBalance === null) throw badRequest('balance must be a PKR amount like "500" or "12.50"');
      return createAccountAsOperator(ctx, actorOf(request), {
        name: text(body.name),
        email: text(body.email),
        openingBalance,
      });
    });

    handle(api, 'GET /accounts/:id', async ({ params }) => {
      const id = Number(params.id);
      const account = await findAccount(ctx.db, id);
      if (!account) throw notFound('account');
      const [ledger, topups] = await Promise.all([
        listLedgerEntries(ctx.db, id, { limit: 20 }),
        listTopupRequests(ctx.db, { accountId: id, limit: 20 }),
      ]);
      return { account, ledger, topups };
    });

    for (const [name, sign] of [
      ['POST /accounts/:id/credit', 1],
      ['POST /accounts/:id/debit', -1],
    ] as const) {
      handle(api, name, async ({ params, body }, request) =>
        adjustAsOperator(ctx, actorOf(request), {
          accountId: Number(params.id),
          amount: sign * amountPaisa(body.amount),
          reference: text(body.reference),
          note: text(body.note),
        }),
      );
    }

    for (const [name, status] of [
      ['POST /accounts/:id/block', 'blocked'],
      ['POST /accounts/:id/unblock', 'active'],
    ] as const) {
      handle(api, name, async ({ params }, request) =>
        setStatusAsOperator(ctx, actorOf(request), Number(params.id), status),
      );
    }

    handle(api, 'POST /accounts/:id/rotate-key', async ({ params }, request) => ({
      apiKey: await rotateKeyAsOperator(ctx, actorOf(request), Number(params.id)),
    }));

    handle(api, 'GET /accounts/:id/ledger', async ({ params, query: q }, _request, reply) => {
      const id = Number(params.id);
      if (!(await findAccount(ctx.db, id))) throw notFound('account');
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
