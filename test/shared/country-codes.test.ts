import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SMS_ACTIVATE_COUNTRIES } from '../../src/providers/sms-activate/countries.js';
import { isoCodeOfCountryName } from '../../src/shared/country-codes.js';

it('names countries by their ISO code, past retired codes, accents, "&" and upstream spellings', () => {
  assert.deepEqual(
    [
      'Canada',
      'United Kingdom',
      'Germany',
      'Russia',
      'Vietnam',
      'Reunion',
      'Sao Tome and Principe',
      'Trinidad and Tobago',
      'Ivory Coast',
      'DR Congo',
      'Congo',
      'USA',
      'united states',
    ].map(isoCodeOfCountryName),
    ['ca', 'gb', 'de', 'ru', 'vn', 're', 'st', 'tt', 'ci', 'cd', 'cg', 'us', 'us'],
  );
  assert.equal(isoCodeOfCountryName('USA (virtual)'), undefined);
  assert.equal(isoCodeOfCountryName('Atlantis'), undefined);
});

it('gives every SMS-Activate country but the virtual USA its own code', () => {
  const codes = new Map<string, number>();
  for (const [id, name] of SMS_ACTIVATE_COUNTRIES) {
    const code = isoCodeOfCountryName(name);
    if (id === 12) {
      assert.equal(code, undefined);
      continue;
    }
    assert.ok(code, `${id} ${name}`);
    assert.equal(codes.get(code), undefined, `${name} and id ${codes.get(code)} share ${code}`);
    codes.set(code, id);
  }
  assert.equal(codes.size, SMS_ACTIVATE_COUNTRIES.length - 1);
});
