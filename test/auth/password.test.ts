import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, verifyPassword, DEFAULT_SCRYPT_COST } from '../../src/auth/index.js';
import { isProsperError } from '../../src/errors.js';

const fast = { logN: 10, r: 8, p: 1 };

test('scrypt hash carries its cost and a per-user salt; verify accepts only the right password', async () => {
  const a = await hashPassword('correct horse', { cost: fast });
  const b = await hashPassword('correct horse', { cost: fast });
  assert.match(a, /^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.notEqual(a, b, 'fresh salt each time');
  assert.equal(await verifyPassword('correct horse', a), true);
  assert.equal(await verifyPassword('correct horse', b), true);
  assert.equal(await verifyPassword('correct horsf', a), false);
  assert.equal(await verifyPassword('', a), false);
});

test('the injected salt source makes hashing deterministic, and the default cost round-trips', async () => {
  const zeros = (n: number) => Buffer.alloc(n);
  assert.equal(await hashPassword('pw', { cost: fast, randomBytes: zeros }), await hashPassword('pw', { cost: fast, randomBytes: zeros }));
  const strong = await hashPassword('pw');
  assert.ok(strong.startsWith(`scrypt$${DEFAULT_SCRYPT_COST.logN}$`));
  assert.equal(await verifyPassword('pw', strong), true);
});

test('bad input: empty or huge passwords are refused; malformed stored hashes never verify', async () => {
  await assert.rejects(hashPassword(''), (e) => isProsperError(e, 'PROSPER_E_AUTH_PASSWORD'));
  await assert.rejects(hashPassword('x'.repeat(1025)), (e) => isProsperError(e, 'PROSPER_E_AUTH_PASSWORD'));
  const good = await hashPassword('pw', { cost: fast });
  const parts = good.split('$');
  for (const bad of ['', 'bcrypt$x', '$2a$10$abcdefghijklmnopqrstuv', parts.slice(0, 5).join('$'), [...parts.slice(0, 1), '99', ...parts.slice(2)].join('$'), [...parts.slice(0, 5), 'AAAA'].join('$')]) {
    assert.equal(await verifyPassword('pw', bad), false, bad);
  }
});
