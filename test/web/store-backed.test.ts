import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PGlite } from '@electric-sql/pglite';
import { hashratesFromWork } from '../../src/accounting/index.js';
import { createAuthService } from '../../src/auth/index.js';
import { createSqlStore, openPglite, openPostgres, startPglite, type SqlDatabase, type Store } from '../../src/store/index.js';
import { createStoreWebData } from '../../src/web/index.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { call, FAST_SCRYPT, login, startTestServer, type TestServer } from './helpers.js';
import { FA_ADDRESS, manualClock, T0 } from './fixtures.js';

let pglite: PGlite | undefined;
after(async () => {
  await pglite?.close();
});

async function openDb(backend: 'pglite' | 'postgres'): Promise<SqlDatabase> {
  const schema = `web_${process.pid}_${randomBytes(5).toString('hex')}`;
  if (backend === 'postgres') return openPostgres({ host: '127.0.0.1', port: 5432, user: 'postgres', password: '', dbname: 'test', schema });
  pglite ??= await startPglite();
  return openPglite({ schema, instance: pglite });
}

for (const backend of ['pglite', 'postgres'] as const) {
  describe(`web over the real store (${backend})`, () => {
    test('accounts registered over Stratum log in on the web; miners, balances, admin views come from the store', async () => {
      const clock = manualClock();
      const db = await openDb(backend);
      let store: Store | undefined;
      let srv: TestServer | undefined;
      try {
        store = await createSqlStore(db);
        const auth = createAuthService({ store, now: clock.now, scryptCost: FAST_SCRYPT });
        const live = new MemoryWebData({ now: clock.now, scryptCost: FAST_SCRYPT });
        srv = await startTestServer(createStoreWebData({ store, auth, live, now: clock.now, scryptCost: FAST_SCRYPT }), clock.now);
        const base = srv.base;

        // Registration only happens through Stratum authorize with an invite code.
        const [code1, code2] = await auth.createInviteCodes(2);
        const carol = await auth.authorizeMiner({ username: 'carol@example.com', minerId: 'rig1', password: 'carol-password', inviteCode: code1, payoutAddress: FA_ADDRESS });
        assert.ok(carol.ok);
        const erin = await auth.authorizeMiner({ username: 'erin@example.com', minerId: '', password: 'erin-password', inviteCode: code2, payoutAddress: FA_ADDRESS });
        assert.ok(erin.ok);
        assert.equal(await auth.makeAdmin('erin@example.com'), true);

        // Nobody without a Stratum registration can log in; SQL-looking input is just a wrong login.
        assert.equal((await call(base, 'POST', '/api/login', { body: { email: 'dave@example.com', password: 'whatever' } })).status, 401);
        assert.equal((await call(base, 'POST', '/api/login', { body: { email: "' OR 1=1 --", password: "' OR ''='" } })).status, 401);
        assert.equal((await store.listUsers()).length, 2);

        // Work and a settled job for carol.
        await store.creditShares('b1', [
          { jobId: 7, userId: carol.userId, miner: 'rig1', target: 0xffff000000000000n, credit: 65_536n, receivedAt: new Date(T0 - 60_000) },
          { jobId: 7, userId: carol.userId, miner: 'rig1', target: 0xffff000000000000n, credit: 65_536n, receivedAt: new Date(T0 - 30_000) },
        ]);
        await store.settleJob(7, (credits) => ({
          reward: 1_000_000n, feeRateE8: 5_000_000n, fee: 50_000n, dust: 0n, totalCredit: credits[0].credit,
          payouts: [{ userId: credits[0].userId, credit: credits[0].credit, amount: 950_000n }],
        }), new Date(T0));

        // The figures of this moment, from the stored shares (as the engine takes them).
        live.recordShareWindow({ accepted: 2, rejected: 0, rates: hashratesFromWork(await store.workSince(new Date(T0 - 600_000)), 600, T0) });
        const c = await login(base, 'carol@example.com', 'carol-password');
        const me = await call(base, 'GET', '/api/me', { cookie: c.cookie });
        assert.equal(me.status, 200);
        assert.deepEqual(me.json.user, { id: String(carol.userId), email: 'carol@example.com', role: 'user', payoutAddress: FA_ADDRESS });
        assert.deepEqual(me.json.balance, { earned: '950000', paid: '0', pending: '0', owed: '950000', accruing: '0', payoutAddress: FA_ADDRESS });
        assert.equal(me.json.hashrate.value, (2 * 65_536) / 600);
        const miners = await call(base, 'GET', '/api/me/miners', { cookie: c.cookie });
        assert.equal(miners.json.miners.length, 1);
        assert.equal(miners.json.miners[0].name, 'rig1');
        assert.equal(miners.json.miners[0].hashrate.shares, 2);
        assert.equal(miners.json.miners[0].hashrate.value, (2 * 65_536) / 600, 'credited hashes over the 10-minute window');
        assert.deepEqual(miners.json.miners[0].hashrate, me.json.hashrate, 'one miner: the user figure is the miner figure');
        assert.equal(miners.json.miners[0].lastShareAt, new Date(T0 - 30_000).toISOString(), 'the last credited share');
        assert.equal(miners.json.miners[0].connected, false, 'no session open');
        // A session of rig1 opens (the engine passes the user id once authorized): connected.
        live.connect({ sessionId: 's1', email: 'carol@example.com', miner: 'rig1', agent: 'a', ip: '10.0.0.1', authorized: true, subscribed: true, target: 1n, nonce: 1 }, carol.userId);
        assert.equal((await call(base, 'GET', '/api/me/miners', { cookie: c.cookie })).json.miners[0].connected, true);
        live.disconnect('s1');
        assert.equal((await call(base, 'GET', '/api/me/miners', { cookie: c.cookie })).json.miners[0].connected, false);

        // Payout address goes to the store, validated.
        const bad = await call(base, 'POST', '/api/me/payout-address', { ...c, body: { address: 'FAxyz' } });
        assert.equal(bad.status, 400);
        assert.equal((await call(base, 'POST', '/api/me/payout-address', { ...c, body: { address: FA_ADDRESS } })).status, 200);
        assert.equal((await store.findUserByEmail('carol@example.com'))?.payoutAddress, FA_ADDRESS);

        // Password change: the current password is checked, the new hash goes to the store.
        const wrong = await call(base, 'POST', '/api/me/password', { ...c, body: { current: 'bad', next: 'carol-new-password' } });
        assert.equal(wrong.json.error.code, 'PROSPER_E_WEB_PASSWORD');
        const changed = await call(base, 'POST', '/api/me/password', { ...c, body: { current: 'carol-password', next: 'carol-new-password' } });
        assert.equal(changed.status, 200);
        const relogin = await login(base, 'carol@example.com', 'carol-new-password');
        assert.ok(relogin.cookie, 'the new password logs in');
        assert.equal((await call(base, 'POST', '/api/login', { body: { email: 'carol@example.com', password: 'carol-password' } })).status, 401);

        // Admin views read the store; carol is refused.
        assert.equal((await call(base, 'GET', '/api/admin/users', { cookie: c.cookie })).status, 403);
        const e = await login(base, 'erin@example.com', 'erin-password');
        const users = await call(base, 'GET', '/api/admin/users', { cookie: e.cookie });
        assert.deepEqual(users.json.users.map((u: any) => [u.email, u.role]), [['carol@example.com', 'user'], ['erin@example.com', 'admin']]);
        assert.deepEqual(users.json.users[0].balance, { earned: '950000', paid: '0', pending: '0', owed: '950000', accruing: '0' }, 'the admin page shows the same balance');
        assert.deepEqual(users.json.users[0].hashrate, me.json.hashrate, 'and the same hashrate figure');
        const made = await call(base, 'POST', '/api/admin/invites', { ...e, body: { count: 3 } });
        assert.equal(made.json.codes.length, 3);
        const invites = await call(base, 'GET', '/api/admin/invites', { cookie: e.cookie });
        assert.equal(invites.json.invites.length, 5);
        assert.deepEqual(invites.json.invites.filter((i: any) => i.claimedBy).map((i: any) => i.claimedBy).sort(), ['carol@example.com', 'erin@example.com']);
        assert.equal((await store.listInviteCodes()).length, 5);

        // Payout batches come from the store (made by `prosper-pool db payout` in another process).
        const batch = await store.createPayoutBatch('web-batch-1', 1n, new Date());
        assert.ok(batch);
        const adminPayouts = await call(base, 'GET', '/api/admin/payouts', { cookie: e.cookie });
        assert.equal(adminPayouts.status, 200);
        const listed = JSON.stringify(adminPayouts.json);
        assert.match(listed, /web-batch-1/);
        const mine = await call(base, 'GET', '/api/me/payouts', { cookie: relogin.cookie });
        assert.equal(mine.status, 200);
        assert.deepEqual(mine.json.payouts.map((p: any) => [p.batchId, p.status, p.amount]), [['web-batch-1', 'pending', '950000']]);
      } finally {
        srv?.close();
        await db.exec(`DROP SCHEMA IF EXISTS ${db.schema} CASCADE`).catch(() => undefined);
        await (store ?? db).close();
      }
    });
  });
}
