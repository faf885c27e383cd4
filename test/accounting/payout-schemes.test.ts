// PROP, PPLNS and PPS over the real store (PGlite and PostgreSQL): the scheme of each block is
// recorded and changes from the next block, the PPLNS window is exact and survives a restart,
// PPS pays from its reserve and falls back loudly at the floor, every split adds up to the unit,
// and `db payout` pays each balance at its user's own threshold.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  payoutFigures, planSettlement, pplnsWindow, RATE_ONE, straddlingJob, type SchemeSettings,
} from '../../src/accounting/index.js';
import { createLogger } from '../../src/log.js';
import { createSqlStore, type SettlementHistory, type Store, type UserCredit } from '../../src/store/index.js';
import { seededRandom } from '../../src/validation/prng.js';
import { BACKENDS, closeSharedPglite, openTestDb, disposeDb } from '../store/test-backends.js';
import { accountantFor, credit, makeUsers, newestShareAt, runDb } from './payout-drivers.js';

const PEG = 100_000_000n;
const base: SchemeSettings = { scheme: 'prop', feeRateE8: 10_000_000n, pplnsFactorE4: 20_000n, ppsFeeE8: 5_000_000n, ppsWindow: 144, ppsFloor: 0n };
const sum = (xs: readonly { amount: bigint }[]) => xs.reduce((s, x) => s + x.amount, 0n);

after(closeSharedPglite);

describe('the PPLNS window', () => {
  it('holds exactly N units: whole jobs newest first, the straddling job in part by largest remainder', () => {
    const jobs = [
      { jobId: 3, credits: [{ userId: 3n, credit: 2_000_000n }] },
      { jobId: 2, credits: [{ userId: 3n, credit: 4_000_000n }] },
      { jobId: 1, credits: [{ userId: 1n, credit: 3n }, { userId: 2n, credit: 1n }, { userId: 4n, credit: 3n }] },
      { jobId: 0, credits: [{ userId: 5n, credit: 9n }] },
    ];
    // 6e6 from jobs 3 and 2, then 5 of job 1's 7 units: 15/7, 5/7, 15/7 -> 2 r1, 0 r5, 2 r1 -> the spare unit to user 2.
    assert.deepEqual(pplnsWindow(jobs, 6_000_005n), [
      { userId: 1n, credit: 2n }, { userId: 2n, credit: 1n }, { userId: 3n, credit: 6_000_000n }, { userId: 4n, credit: 2n },
    ]);
    assert.deepEqual(pplnsWindow(jobs, 1_000_000n), [{ userId: 3n, credit: 1_000_000n }], 'the newest job alone, in part');
    // With job 1's shares newest first, the cut follows them: user 2's share, user 1's, then 1 of user 4's 3.
    const shares = [{ userId: 2n, credit: 1n }, { userId: 1n, credit: 3n }, { userId: 4n, credit: 3n }];
    assert.deepEqual(pplnsWindow(jobs, 6_000_005n, shares), [
      { userId: 1n, credit: 3n }, { userId: 2n, credit: 1n }, { userId: 3n, credit: 6_000_000n }, { userId: 4n, credit: 1n },
    ]);
    assert.deepEqual(pplnsWindow(jobs, 6_000_005n, shares.slice(1)), pplnsWindow(jobs, 6_000_005n), 'shares that no longer add up to the job (pruned): in part by fraction');
    assert.equal(straddlingJob(jobs, 6_000_005n), 1);
    assert.equal(straddlingJob(jobs, 6_000_000n), null, 'an edge between jobs');
    const all = pplnsWindow(jobs, 10n ** 12n);
    assert.equal(all.reduce((s, c) => s + c.credit, 0n), 6_000_016n, 'fewer jobs than the window: all of them');
    const rng = seededRandom(9);
    for (let t = 0; t < 300; t++) {
      const random = Array.from({ length: 1 + (rng.u32() % 6) }, (_, j) => ({
        jobId: 100 - j,
        credits: Array.from({ length: rng.u32() % 5 }, (_, u) => ({ userId: BigInt(u + 1), credit: BigInt(rng.u32() % 1000) })),
      }));
      const held = random.reduce((s, j) => s + j.credits.reduce((a, c) => a + c.credit, 0n), 0n);
      const window = BigInt(rng.u32() % 3000) + 1n;
      const got = pplnsWindow(random, window).reduce((s, c) => s + c.credit, 0n);
      assert.equal(got, held < window ? held : window);
    }
  });
});

/** A settled history in memory, as the store keeps it. */
function memoryHistory(reserve: bigint, emaReward: bigint | null, emaCredit: bigint | null, jobs: { jobId: number; credits: UserCredit[] }[]): SettlementHistory {
  return {
    state: async () => ({ emaReward, emaCredit, reserve }),
    jobsBefore: async (jobId, limit) => jobs.filter((j) => j.jobId < jobId).sort((a, b) => (a.jobId > b.jobId ? -1 : 1)).slice(0, limit),
    sharesOf: async () => [],
  };
}

describe('every scheme adds up to the unit', () => {
  it('fee + dust + sum(amount) + reserve delta == reward, 0 <= dust < users, for random credits and rewards', async () => {
    const rng = seededRandom(21);
    for (let t = 0; t < 300; t++) {
      const credits = Array.from({ length: rng.u32() % 7 }, (_, u) => ({ userId: BigInt(u + 1), credit: rng.u64() >> BigInt(rng.u32() % 64) }));
      const older = [{ jobId: 1, credits: [{ userId: 9n, credit: rng.u64() >> 20n }] }];
      const reward = rng.u64() >> BigInt(rng.u32() % 64);
      for (const scheme of ['prop', 'pplns', 'pps'] as const) {
        const history = memoryHistory(rng.u64() >> 8n, rng.u64() >> 30n, (rng.u64() >> 30n) + 1n, older);
        const p = await planSettlement(2, reward, credits, history, { ...base, scheme, feeRateE8: BigInt(rng.u32() % 100_000_001) });
        assert.equal(p.fee + p.dust + sum(p.payouts) + p.reserveDelta, p.reward, `${scheme} #${t}`);
        assert.ok(p.dust >= 0n && p.dust < BigInt(Math.max(1, p.payouts.length)) + (p.payouts.length === 0 ? p.reward : 0n), `${scheme} dust ${p.dust}`);
        if (scheme !== 'pps') assert.equal(p.reserveDelta, 0n);
      }
    }
  });
});

/** A logger whose lines the test reads back. */
function capturedLogger() {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  return { log: createLogger({ level: 'info', destination }), lines };
}

for (const backend of BACKENDS) {
  describe(`payout schemes over the store (${backend})`, () => {
    it('the scheme changes from the next block, each block records it, and the PPLNS window survives a restart', async () => {
      const db = await openTestDb(backend);
      try {
        let store = await createSqlStore(db);
        const [a, b, c] = await makeUsers(store, 3);
        await credit(store, 1, [[a!, 3_000_000n], [b!, 1_000_000n]]);
        const prop = await accountantFor(store, base).settleJob(1, 10n * PEG);
        assert.equal(prop.record.scheme, 'prop');
        assert.deepEqual(prop.record.payouts.map((p) => p.amount), [675_000_000n, 225_000_000n]);

        // A restart with [accounting] scheme = "pplns": the window is read back from the tables.
        store = await createSqlStore(db);
        const pplns = accountantFor(store, { ...base, scheme: 'pplns' });
        await credit(store, 2, [[c!, 4_000_000n]]);
        const two = (await pplns.settleJob(2, 8n * PEG)).record;
        assert.equal(two.scheme, 'pplns');
        assert.equal(two.pplnsWindow, 8_000_000n, '2.0 x the average credit per block');
        // 7.2 PEG after the fee over the window: job 2 whole, job 1 whole.
        assert.deepEqual(two.payouts.map((p) => [p.userId, p.credit, p.amount]), [[a, 3_000_000n, 270_000_000n], [b, 1_000_000n, 90_000_000n], [c, 4_000_000n, 360_000_000n]]);
        await credit(store, 3, [[c!, 2_000_000n]]);
        const three = (await pplns.settleJob(3, 8n * PEG)).record;
        // Job 3 (2e6) + job 2 (4e6) + the newest 2e6 of job 1: b's share (1e6), then 1e6 of a's 3e6 share.
        assert.deepEqual(three.payouts.map((p) => [p.userId, p.credit]), [[a, 1_000_000n], [b, 1_000_000n], [c, 6_000_000n]]);
        assert.equal(three.fee + three.dust + sum(three.payouts), three.reward);
        // The window's edge inside the paid job itself, its raw shares pruned: each credit in part, by the same fraction.
        await credit(store, 4, [[a!, 6_000_000n], [c!, 6_000_000n]]);
        await store.pruneShares(new Date(newestShareAt() + 2));
        const four = (await pplns.settleJob(4, 8n * PEG)).record;
        const half = four.pplnsWindow! / 2n;
        assert.deepEqual(four.payouts.map((p) => [p.userId, p.credit]), [[a, half], [c, half]]);
        assert.deepEqual((await store.listSettlements(10)).map((s) => s.scheme), ['pplns', 'pplns', 'pplns', 'prop'], 'each block keeps the scheme that paid it');
        assert.equal((await store.getSettlement(1))!.jobCredit, 4_000_000n);
      } finally {
        await disposeDb(db);
      }
    });

    it('PPS pays credit x rate from its reserve, falls back to PPLNS loudly at the floor, and the figures show it', async () => {
      const db = await openTestDb(backend);
      const dir = mkdtempSync(join(tmpdir(), 'prosper-pps-'));
      try {
        const store = await createSqlStore(db);
        const [a, b] = await makeUsers(store, 2);
        const { log, lines } = capturedLogger();
        const pps = accountantFor(store, { ...base, scheme: 'pps' }, log);
        await credit(store, 1, [[a!, 3_000_000n], [b!, 1_000_000n]]);
        const first = (await pps.settleJob(1, 40n * PEG)).record;
        assert.equal(first.scheme, 'pplns');
        assert.equal(first.fallback, true, 'no history yet: no rate');
        assert.ok(lines.some((l) => l.includes('PPS FALLBACK') && l.includes('"level":50')), 'logged as an error');

        // With history but an empty reserve and a block the pool won nothing in: the floor stops PPS.
        await credit(store, 2, [[a!, 3_000_000n], [b!, 1_000_000n]]);
        const second = (await pps.settleJob(2, 0n)).record;
        assert.equal(second.scheme, 'pplns');
        assert.equal(second.fallback, true);
        assert.equal((await payoutFigures(store, { ...base, scheme: 'pps', minPayout: PEG })).fallback, true);

        assert.equal((await runDb(store, Date.now, 'reserve', 'add', '1000', '--note', 'seed the reserve')).out[0], 'reserve 1000 PEG');
        await credit(store, 3, [[a!, 3_000_000n], [b!, 1_000_001n]]);
        const third = (await pps.settleJob(3, 0n)).record;
        assert.equal(third.scheme, 'pps');
        assert.equal(third.fallback, false);
        const rate = third.ppsRateE18!;
        assert.ok(rate > 0n);
        for (const p of third.payouts) assert.equal(p.amount, (p.credit * rate) / RATE_ONE, 'the same rate per unit of credit for everyone');
        assert.equal(third.reserveDelta, -(sum(third.payouts) + third.dust), 'paid from the reserve');
        assert.equal(await store.ppsReserve(), 1000n * PEG + third.reserveDelta);

        await credit(store, 4, [[a!, 1_000_000n]]);
        const fourth = (await pps.settleJob(4, 100n * PEG)).record;
        assert.equal(fourth.scheme, 'pps');
        assert.equal(fourth.reserveDelta, 100n * PEG - sum(fourth.payouts) - fourth.dust, 'the won reward goes into the reserve');
        const figures = await payoutFigures(store, { ...base, scheme: 'pps', minPayout: PEG });
        assert.equal(figures.lastScheme, 'pps');
        assert.equal(figures.fallback, false);
        assert.equal(figures.reserve, 1000n * PEG + third.reserveDelta + fourth.reserveDelta);
        assert.ok(figures.ruin >= 0 && figures.ruin <= 1);
        assert.ok(figures.ppsPerShare !== null && figures.ppsPerShare > 0n);

        const take = await runDb(store, Date.now, 'reserve', 'take', '100000');
        assert.equal(take.code, 1);
        assert.match(take.err.join('\n'), /PROSPER_E_STORE_RESERVE/);
        const show = await runDb(store, Date.now, 'reserve');
        assert.match(show.out[0]!, /^reserve \d+(\.\d+)? PEG$/);
        assert.match(show.out[1]!, /seed the reserve/);
      } finally {
        await disposeDb(db);
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('db payout pays each balance at its user\'s own threshold, never below the pool minimum', async () => {
      const db = await openTestDb(backend);
      const dir = mkdtempSync(join(tmpdir(), 'prosper-threshold-'));
      try {
        const store = await createSqlStore(db);
        const [a, b, c] = await makeUsers(store, 3);
        await credit(store, 1, [[a!, 1n], [b!, 1n], [c!, 1n]]);
        await accountantFor(store, { ...base, feeRateE8: 0n }).settleJob(1, 9n * PEG); // 3 PEG each
        await store.setMinPayout(a!, 5n * PEG);
        await store.setMinPayout(c!, 2n * PEG);
        await assert.rejects(store.setMinPayout(b!, 0n), { code: 'PROSPER_E_STORE_PAYOUT' });
        const first = await runDb(store, Date.now, 'payout', join(dir, 'p1.json'));
        assert.match(first.out[1]!, /^batch [0-9a-f-]{36}: 2 payees$/);
        const paid = (await store.listPayoutBatches(1))[0]!.items.map((i) => i.userId);
        assert.deepEqual(paid, [b, c], 'a (threshold 5 PEG, owed 3) waits');
        // --min raises everyone's floor: a's own 5 PEG still holds, nobody else is owed anything now.
        assert.match((await runDb(store, Date.now, 'payout', join(dir, 'p2.json'), '--min', '4')).out[0]!, /^Nothing to pay/);
        await store.setMinPayout(a!, null);
        assert.match((await runDb(store, Date.now, 'payout', join(dir, 'p3.json'))).out[1]!, /: 1 payees$/);
        const users = await runDb(store, Date.now, 'users');
        assert.equal(users.out[0]!.split('\t')[8], 'threshold');
        assert.deepEqual(users.out.slice(1).map((l) => l.split('\t')[8]), ['pool', 'pool', '2']);
      } finally {
        await disposeDb(db);
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
