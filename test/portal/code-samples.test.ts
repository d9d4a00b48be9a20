import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { apiCatalog } from '../../src/docs/api-catalog.js';
import { smsActivateCompatDocs } from '../../src/docs/catalog/sms-activate-compat-api.js';
import { codeSamples } from '../../src/docs/code-samples.js';
import { sqliteKind } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** The reference's cURL example of each action, verbatim (its first example where it gives two). */
const REFERENCE_CURL = [
  'https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=getBalance',
  'https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=getCountries&type=1',
  'https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=getServices&country=61&type=1',
  'https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=getNumber&service=101&country=61&type=1',
  'https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=getStatus&id=abc123xyz',
  'https://otpget.com/stubs/handler_api.php?api_key=YOUR_API_KEY&action=setStatus&id=abc123xyz&status=8',
  'https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=getBalance',
  'https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=getServers&type=1',
  'https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=getServices&server=1&type=1',
  'https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=buyNumber&server=1&type=1',
  'https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=getStatus&id=ORD_6830abc123_741',
  'https://otpget.com/stubs/cheap_handler.php?api_key=YOUR_API_KEY&action=setStatus&id=ORD_6830abc123_741&status=8',
  'https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=getRentalCountries&provider=2',
  'https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=getRentalPricing&country_code=ca&provider=2',
  'https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=getAvailableRentals&country_code=ca&provider=2',
  'https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=rentNumber&country_code=ca&provider=2&duration_hours=720',
  'https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=getMyRentals',
  'https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=getRentalSMS&order_id=2673093356180000583',
  'https://otpget.com/stubs/rental-handler.php?api_key=YOUR_API_KEY&action=renewRental&rental_id=5&duration_hours=720',
  'https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=getEmailServices&server=1&domain=gmail.com',
  'https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=buyEmail&server=1&service_id=ig&domain=gmail.com',
  'https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=getEmailCode&email_id=7291834',
  'https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=cancelEmail&email_id=7291834',
  'https://otpget.com/stubs/email_handler.php?api_key=YOUR_API_KEY&action=getEmailHistory&page=1',
].map((url) => `curl "${url}"`);

describe('docs code samples', () => {
  it("give each action's cURL example exactly as the reference prints it", () => {
    // The SMS-Activate-compatible actions are otpget's own additions: the reference has no example for them.
    const generated = apiCatalog.flatMap((api) =>
      api.actions
        .filter((a) => !smsActivateCompatDocs.some((compat) => compat.name === a.name))
        .map((a) => codeSamples('https://otpget.com', api, a).curl),
    );
    assert.deepEqual(generated, REFERENCE_CURL);
  });

  describe('the Python sample, run by python3 with requests', () => {
    const python = spawnSync('python3', ['-c', 'import requests'], { encoding: 'utf8' });
    const skip = python.status === 0 ? false : 'python3 with the requests module is not installed here';
    let server: TestServer;
    before(async () => {
      if (!skip) server = await startTestServer(sqliteKind);
    });
    after(async () => {
      if (!skip) await server.close();
    });

    it('prints the live reply for getBalance and a JSON action', { skip }, async () => {
      const { apiKey } = await server.newAccount(50_000);
      const cases: [string, string, RegExp][] = [
        ['sms', 'getBalance', /^ACCESS_BALANCE:500\.00$/],
        ['rental', 'getMyRentals', /^\{'status': '200', 'total': 0, 'rentals': \[\]\}$/],
      ];
      for (const [apiId, actionName, expected] of cases) {
        const api = apiCatalog.find((a) => a.id === apiId);
        const action = api?.actions.find((a) => a.name === actionName);
        assert.ok(api && action);
        const code = codeSamples(server.url, api, action).python.replace('YOUR_API_KEY', apiKey);
        // Asynchronously: the server answering python runs in this very process.
        const run = await promisify(execFile)('python3', ['-c', code], { encoding: 'utf8', timeout: 20_000 });
        assert.match(run.stdout.trim(), expected);
      }
    });
  });
});
