import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { browserDiagnostics, edited, ROOT } from '../helpers/browser-typecheck.js';

const at = (path: string) => resolve(ROOT, path);

/**
 * The browser scripts against the JSON contracts they call, as `npm run typecheck` checks them:
 * clean as they are, and failing where a contract change breaks what a script uses. The four
 * breakages are tried in one program (a type check of the scripts costs seconds).
 */
describe('the browser scripts and their API contracts', () => {
  it('type-check as they are', () => {
    assert.deepEqual(browserDiagnostics(), []);
  });

  it('fail the type check where a renamed reply field or route is used', () => {
    const problems = browserDiagnostics({
      ...edited(at('src/admin/contract/records.ts'), ['  balance: Paisa,', '  balanceNow: Paisa,']),
      ...edited(at('src/admin/contract/routes.ts'), [
        "'GET /upstreams/:id/calls'",
        "'GET /upstreams/:id/log'",
      ]),
      ...edited(
        at('src/portal/portal-contract.ts'),
        ["'GET /portal/api/sms/countries'", "'GET /portal/api/sms/country-list'"],
        [
          "  waiting: Type.Boolean({ description: 'still waiting",
          "  pending: Type.Boolean({ description: 'still waiting",
        ],
      ),
    });
    const expect = (script: string, text: string) =>
      assert.ok(
        problems.some((p) => p.includes(script) && p.includes(text)),
        `${script}: ${text}\n${problems.join('\n')}`,
      );
    expect('admin.js', "Property 'balance' does not exist");
    expect('admin.js', '"GET /upstreams/:id/calls"');
    expect('portal.js', '"GET /portal/api/sms/countries"');
    expect('portal.js', "Property 'waiting' does not exist");
  });
});
