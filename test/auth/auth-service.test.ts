import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAuthService, generateInviteCode, isValidPayoutAddress, normalizeEmail, type AuthService } from '../../src/auth/index.js';
import { isProsperError } from '../../src/errors.js';
import type { Store } from '../../src/store/index.js';
import { openTestStore, type TestStore } from '../store/test-backends.js';

const FA = 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q';
const FA_B = 'FA3PuRtw2WkgkUyEFgjLbzZFyef9dwD9maLWPrNr4VhfKxDwrK8J';
const fast = { logN: 10, r: 8, p: 1 };
let clock = 1_800_000_000_000;

function service(store: Store, extra: Partial<Parameters<typeof createAuthService>[0]> = {}): AuthService {
  return createAuthService({ store, now: () => clock, scryptCost: fast, ...extra });
}

test('identity checks: emails normalised, FA addresses validated by base58check', () => {
  assert.equal(normalizeEmail('  Bob@Example.COM '), 'bob@example.com');
  for (const bad of ['', 'bob', 'a@b', 'a,b@c.d', 'a b@c.d', 'x'.repeat(250) + '@c.de', 42]) {
    assert.throws(() => normalizeEmail(bad), (e) => isProsperError(e, 'PROSPER_E_AUTH_EMAIL'), String(bad));
  }
  assert.equal(isValidPayoutAddress(FA), true);
  assert.equal(isValidPayoutAddress(FA.slice(0, -1) + 'R'), false, 'checksum');
  assert.equal(isValidPayoutAddress('Fs3E9gV6DXsYzf7Fqx1fVBQPQXV695eP3k5XbmHEZVRLkMdD9qCK'), false, 'a private key is not a payout address');
  assert.equal(isValidPayoutAddress('EC2DKSYyRcNWf7RS963VFYgMExoHRYLHVeCfQ9PGPmNzwrcmgm2r'), false);
  assert.equal(isValidPayoutAddress(undefined), false);
});

test('invite codes are 20 random bytes in base58', () => {
  const code = generateInviteCode((n) => Buffer.alloc(n, 0xff));
  assert.match(code, /^[1-9A-HJ-NP-Za-km-z]{27,28}$/);
  assert.notEqual(generateInviteCode(), generateInviteCode());
});

describe('auth service on PostgreSQL', () => {
  let t: TestStore;
  before(async () => {
    t = await openTestStore('postgres', 25);
  });
  after(async () => {
    await t.dispose();
  });

  test('authorize registers with an invite, then logs in; refusals carry codes and burn nothing', async () => {
    const auth = service(t.store);
    const [code] = await auth.createInviteCodes(1);
    const base = { username: 'Miner@Pool.io', minerId: 'rig-1' };
    assert.deepEqual(await auth.authorizeMiner(base), { ok: false, code: 'PROSPER_E_AUTH_UNKNOWN_USER', reason: 'unknown user; registering needs an invite code' });
    const noPw = await auth.authorizeMiner({ ...base, inviteCode: code, payoutAddress: FA });
    assert.equal(noPw.ok ? '' : noPw.code, 'PROSPER_E_AUTH_PASSWORD');
    const badAddr = await auth.authorizeMiner({ ...base, password: 'pw', inviteCode: code, payoutAddress: 'FAnope' });
    assert.equal(badAddr.ok ? '' : badAddr.code, 'PROSPER_E_AUTH_ADDRESS');
    const badMiner = await auth.authorizeMiner({ ...base, minerId: 'bad name!', password: 'pw', inviteCode: code, payoutAddress: FA });
    assert.equal(badMiner.ok ? '' : badMiner.code, 'PROSPER_E_AUTH_MINER');
    const badCode = await auth.authorizeMiner({ ...base, password: 'pw', inviteCode: 'not-a-code', payoutAddress: FA });
    assert.equal(badCode.ok ? '' : badCode.code, 'PROSPER_E_AUTH_INVITE');
    assert.equal((await auth.listInviteCodes()).find((c) => c.code === code)?.claimedBy, null, 'code still unused');

    const reg = await auth.authorizeMiner({ ...base, password: 'pw', inviteCode: code, payoutAddress: FA });
    assert.ok(reg.ok && reg.registered && reg.email === 'miner@pool.io');
    assert.equal((await auth.listInviteCodes()).find((c) => c.code === code)?.claimedBy, 'miner@pool.io');

    clock += 1000;
    const again = await auth.authorizeMiner({ username: 'miner@pool.io', minerId: 'rig-2' });
    assert.ok(again.ok && !again.registered && again.userId === reg.userId, 'no password: compatible login');
    const wrong = await auth.authorizeMiner({ ...base, password: 'nope' });
    assert.equal(wrong.ok ? '' : wrong.code, 'PROSPER_E_AUTH_PASSWORD');
    const strict = service(t.store, { requirePasswordForExistingUsers: true });
    const strictNo = await strict.authorizeMiner(base);
    assert.equal(strictNo.ok, false);
    assert.equal((await strict.authorizeMiner({ ...base, password: 'pw' })).ok, true);
    const other = await auth.authorizeMiner({ username: 'x@y.io', minerId: 'r', password: 'pw', inviteCode: code, payoutAddress: FA });
    assert.equal(other.ok ? '' : other.code, 'PROSPER_E_AUTH_INVITE', 'used code');
    assert.deepEqual((await t.store.listMiners(reg.userId)).map((m) => m.name), ['rig-1', 'rig-2']);

    assert.equal((await auth.login('MINER@pool.io', 'pw'))?.id, reg.userId);
    assert.equal(await auth.login('miner@pool.io', 'bad'), null);
    assert.equal(await auth.login('ghost@pool.io', 'pw'), null);
    assert.equal(await auth.login('not an email', 'pw'), null);

    await auth.setPayoutAddress(reg.userId, FA_B);
    await assert.rejects(auth.setPayoutAddress(reg.userId, 'FA123'), (e) => isProsperError(e, 'PROSPER_E_AUTH_ADDRESS'));
    assert.equal((await auth.listUsers()).find((u) => u.id === reg.userId)?.payoutAddress, FA_B);
    assert.equal(await auth.makeAdmin('Miner@pool.io'), true);
    assert.equal(await auth.makeAdmin('ghost@pool.io'), false);
    assert.equal((await auth.login('miner@pool.io', 'pw'))?.role, 'admin');
    await assert.rejects(auth.createInviteCodes(0), (e) => isProsperError(e, 'PROSPER_E_AUTH_COUNT'));
  });

  test('open registration (--rauth=false) registers unknown users without an invite, still checking what is sent', async () => {
    const auth = service(t.store, { openRegistration: true });
    const first = await auth.authorizeMiner({ username: 'open@pool.io', minerId: 'rig' });
    assert.ok(first.ok && first.registered);
    const again = await auth.authorizeMiner({ username: 'open@pool.io', minerId: 'rig2' });
    assert.ok(again.ok && !again.registered && again.userId === first.userId);
    const user = await t.store.findUserByEmail('open@pool.io');
    assert.equal(user?.payoutAddress, '');
    const withAddr = await auth.authorizeMiner({ username: 'paid@pool.io', minerId: '', payoutAddress: FA });
    assert.ok(withAddr.ok);
    assert.equal((await t.store.findUserByEmail('paid@pool.io'))?.payoutAddress, FA);
    const bad = await auth.authorizeMiner({ username: 'bad@pool.io', minerId: '', payoutAddress: 'FAnope' });
    assert.equal(bad.ok ? '' : bad.code, 'PROSPER_E_AUTH_ADDRESS');
    const notEmail = await auth.authorizeMiner({ username: 'not an email', minerId: '' });
    assert.equal(notEmail.ok ? '' : notEmail.code, 'PROSPER_E_AUTH_EMAIL');
    // The closed default still refuses the same request.
    const closed = await service(t.store).authorizeMiner({ username: 'closed@pool.io', minerId: 'rig' });
    assert.equal(closed.ok ? '' : closed.code, 'PROSPER_E_AUTH_UNKNOWN_USER');
  });

  test('100 parallel registrations with one invite code: exactly one wins', async () => {
    const auth = service(t.store);
    const [code] = await auth.createInviteCodes(1);
    // From 100 addresses: from one, the login guard would hold most of them back before the race.
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => auth.authorizeMiner({ username: `racer${i}@pool.io`, minerId: 'r', password: 'pw', inviteCode: code, payoutAddress: FA, ip: `10.0.${i}.1` })),
    );
    const winners = results.filter((r) => r.ok);
    assert.equal(winners.length, 1);
    assert.ok(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'PROSPER_E_AUTH_INVITE'));
    const users = (await auth.listUsers()).filter((u) => u.email.startsWith('racer'));
    assert.equal(users.length, 1, 'losers left no user rows');
    assert.equal((await auth.listInviteCodes()).find((c) => c.code === code)?.claimedBy, users[0].email);
  });

  test('100 parallel claims directly on the store: exactly one wins', async () => {
    await t.store.createInviteCodes(['race-direct'], new Date(clock));
    const outs = await Promise.all(
      Array.from({ length: 100 }, (_, i) => t.store.registerWithInvite({ email: `direct${i}@pool.io`, passwordHash: 'h', payoutAddress: '' }, 'race-direct', new Date(clock))),
    );
    assert.equal(outs.filter((o) => o.ok).length, 1);
    assert.equal(outs.filter((o) => !o.ok && o.reason === 'code-invalid').length, 99);
  });
});
