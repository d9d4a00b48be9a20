import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  dummyPasswordHash,
  hashPassword,
  needsRehash,
  RECOMMENDED_SCRYPT_COST,
  verifyPassword,
} from '../../src/shared/passwords.js';

// This file never calls usePasswordCostForTests: it sees exactly what production does.
describe('password hashes', () => {
  it('hash at OWASP’s scrypt cost (N=2^17, r=8, p=1) with a salt each, and verify', async () => {
    assert.deepEqual({ ...RECOMMENDED_SCRYPT_COST }, { N: 131_072, r: 8, p: 1 });
    const a = await hashPassword('a long enough password');
    const b = await hashPassword('a long enough password');
    assert.match(a, /^scrypt\$131072\$8\$1\$[\w-]+\$[\w-]{43}$/);
    assert.notEqual(a, b, 'each hash has its own salt');
    assert.equal(await verifyPassword('a long enough password', a), true);
    assert.equal(await verifyPassword('a long enough passworD', a), false);
    assert.equal(needsRehash(a), false);
    assert.match(dummyPasswordHash(), /^scrypt\$131072\$8\$1\$/, 'unknown names cost as much as known ones');
  });

  it('still verify hashes of the old cost (N=2^14) and mark them for rehashing', async () => {
    const old = await hashPassword('an older password', { N: 16_384, r: 8, p: 1 });
    assert.match(old, /^scrypt\$16384\$8\$1\$/);
    assert.equal(await verifyPassword('an older password', old), true);
    assert.equal(await verifyPassword('an older passwort', old), false);
    assert.equal(needsRehash(old), true);
  });

  it('never match a malformed hash, nor one whose cost would take too much memory', async () => {
    const good = await hashPassword('x'.repeat(12), { N: 1024, r: 8, p: 1 });
    const [, , , , salt, key] = good.split('$');
    for (const bad of [
      'scrypt$1$1$1$x$y',
      `scrypt$1000$8$1$${salt}$${key}`, // N not a power of two
      `scrypt$1048576$8$1$${salt}$${key}`, // 1 GiB per verification
      `scrypt$1024$8$1$${salt}$${key?.slice(1)}`,
      `bcrypt$1024$8$1$${salt}$${key}`,
      '',
    ]) {
      assert.equal(await verifyPassword('x'.repeat(12), bad), false, bad);
      assert.equal(needsRehash(bad), true, bad);
    }
    assert.equal(await verifyPassword('x'.repeat(12), good), true);
  });
});
