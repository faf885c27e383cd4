// The account page's payout threshold and the admin's PPS reserve panel over HTTP, on the real
// store: refusals are coded, the figures on the API and on /metrics are the same ones.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { accruingFee, payoutFigures, type PayoutSettings } from '../../src/accounting/index.js';
import { createAuthService } from '../../src/auth/index.js';
import { createSqlStore } from '../../src/store/index.js';
import { createPayoutWebData, createStoreWebData } from '../../src/web/index.js';
import { accountantFor, credit } from '../accounting/payout-drivers.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { closeSharedPglite, disposeDb, openTestDb } from '../store/test-backends.js';
import { FA_ADDRESS, manualClock } from './fixtures.js';
import { call, FAST_SCRYPT, login, startTestServer } from './helpers.js';

after(closeSharedPglite);

const PEG = 100_000_000n;
const settings: PayoutSettings = { scheme: 'pps', feeRateE8: 5_000_000n, pplnsFactorE4: 20_000n, ppsFeeE8: 5_000_000n, ppsWindow: 144, ppsFloor: 10n * PEG, minPayout: 2n * PEG };

test('payout threshold and PPS reserve panel over HTTP (PGlite store)', async () => {
  const clock = manualClock();
  const db = await openTestDb('pglite');
  const store = await createSqlStore(db);
  const auth = createAuthService({ store, now: clock.now, scryptCost: FAST_SCRYPT });
  const live = new MemoryWebData({ now: clock.now, scryptCost: FAST_SCRYPT });
  const ports = createStoreWebData({ store, auth, live, now: clock.now, scryptCost: FAST_SCRYPT, accruingFeeE8: accruingFee(settings) });
  const srv = await startTestServer(ports, clock.now);
  try {
    Object.assign(ports, { payouts: createPayoutWebData(store, settings, srv.metrics) });
    const [c1, c2] = await auth.createInviteCodes(2);
    const miner = await auth.authorizeMiner({ username: 'miner@pool.io', minerId: 'rig', password: 'miner-password', inviteCode: c1, payoutAddress: FA_ADDRESS });
    const boss = await auth.authorizeMiner({ username: 'boss@pool.io', minerId: '', password: 'boss-password', inviteCode: c2, payoutAddress: FA_ADDRESS });
    assert.ok(miner.ok && boss.ok);
    await auth.makeAdmin('boss@pool.io');
    const me = await login(srv.base, 'miner@pool.io', 'miner-password');
    const admin = await login(srv.base, 'boss@pool.io', 'boss-password');
    const set = (minPayout: unknown, who = me) => call(srv.base, 'POST', '/api/me/payout-threshold', { cookie: who.cookie, csrf: who.csrf, body: { minPayout } });

    assert.equal((await call(srv.base, 'GET', '/api/me/payout-threshold')).status, 401, 'a visitor has no threshold');
    assert.deepEqual((await call(srv.base, 'GET', '/api/me/payout-threshold', { cookie: me.cookie })).json, { minPayout: null, poolMinimum: '2', effective: '2' });
    const low = await set('1.5');
    assert.equal(low.status, 400);
    assert.equal(low.json.error.code, 'PROSPER_E_ACCOUNTING_THRESHOLD');
    for (const bad of ['abc', '-3', '1.123456789', '5\u0000', 7, true, { x: 1 }]) {
      const r = await set(bad);
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.match(r.json.error.code, /^PROSPER_E_ACCOUNTING_(AMOUNT|THRESHOLD)$/);
    }
    const noCsrf = await call(srv.base, 'POST', '/api/me/payout-threshold', { cookie: me.cookie, body: { minPayout: '3' } });
    assert.equal(noCsrf.status, 403);
    const ok = await set('12.5');
    assert.equal(ok.status, 200);
    assert.deepEqual({ minPayout: ok.json.minPayout, effective: ok.json.effective }, { minPayout: '12.5', effective: '12.5' });
    assert.equal((await store.balances()).find((b) => b.userId === (miner.ok ? miner.userId : 0n))!.minPayout, 1_250_000_000n);
    // A burst of saves from one session: the last one written stands, none is lost half-way.
    const burst = await Promise.all(['3', '4', '5', '6', '7'].map((v) => set(v)));
    assert.ok(burst.every((r) => r.status === 200));
    assert.ok(['3', '4', '5', '6', '7'].includes((await call(srv.base, 'GET', '/api/me/payout-threshold', { cookie: me.cookie })).json.minPayout));
    assert.equal((await set(null)).json.effective, '2', 'cleared: the pool minimum again');

    // The admin panel: users are refused, the admin sees the same figures /metrics exports.
    assert.equal((await call(srv.base, 'GET', '/api/admin/payout-scheme', { cookie: me.cookie })).status, 403);
    await store.moveReserve(25n * PEG, 'seed', new Date(clock.now()));
    const panel = await call(srv.base, 'GET', '/api/admin/payout-scheme', { cookie: admin.cookie });
    assert.equal(panel.status, 200);
    const figures = await payoutFigures(store, settings);
    assert.deepEqual(panel.json, { scheme: 'pps', lastScheme: null, lastJobId: null, fallback: false, reserve: '25', floor: '10', ppsRateE18: null, ppsPerShare: null, ruin: figures.ruin, minPayout: '2' });
    const metrics = (await call(srv.base, 'GET', '/metrics')).text;
    assert.match(metrics, /^prosper_pps_reserve_peg 25$/m);
    assert.match(metrics, /^prosper_pps_reserve_floor_peg 10$/m);
    assert.match(metrics, /^prosper_payout_scheme\{scheme="pps"\} 1$/m);
    assert.match(metrics, /^prosper_payout_scheme\{scheme="prop"\} 0$/m);
    assert.match(metrics, /^prosper_pps_fallback 0$/m);
    assert.match(metrics, new RegExp(`^prosper_pps_ruin_probability ${figures.ruin}$`, 'm'));

    // Under PPS /api/me shows an open job's shares accruing at once, from the store's one balances query.
    const minerId = miner.ok ? miner.userId : 0n;
    await credit(store, 1, [[minerId, 2_000_000n]]);
    await accountantFor(store, settings).settleJob(1, 40n * PEG);
    await credit(store, 2, [[minerId, 2_000_000n]]);
    const row = (await store.balances(accruingFee(settings))).find((b) => b.userId === minerId)!;
    assert.ok(row.accruing > 0n);
    const balance = (await call(srv.base, 'GET', '/api/me', { cookie: me.cookie })).json.balance;
    assert.deepEqual([balance.earned, balance.owed, balance.accruing], [String(row.earned), String(row.owed), String(row.accruing)]);
  } finally {
    srv.close();
    await disposeDb(db);
  }
});
