// PPS shares accrue in the balances as soon as their credit is durable (PGlite and PostgreSQL):
// floor(credit x the rate the job's settlement will use), shown as accruing beside earned and
// never payable; settling moves exactly that into earned (no double count); PROP and PPLNS show
// nothing accruing; a fallback to PPLNS replaces the accruing figure with the PPLNS split; the
// reserve's floor check counts what other open jobs have accrued.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accruingFee, parsePeg, planSettlement, ppsRate, RATE_ONE, type SchemeSettings } from '../../src/accounting/index.js';
import { createSqlStore, type BalanceRow, type Store } from '../../src/store/index.js';
import { BACKENDS, closeSharedPglite, openTestDb, disposeDb } from '../store/test-backends.js';
import { accountantFor, credit, makeUsers, runDbConfigured } from './payout-drivers.js';

const PEG = 100_000_000n;
const pps: SchemeSettings = { scheme: 'pps', feeRateE8: 10_000_000n, pplnsFactorE4: 20_000n, ppsFeeE8: 5_000_000n, ppsWindow: 144, ppsFloor: 0n };

after(closeSharedPglite);

async function balanceOf(store: Store, userId: bigint, s: SchemeSettings): Promise<BalanceRow> {
  const row = (await store.balances(accruingFee(s))).find((b) => b.userId === userId);
  assert.ok(row);
  return row;
}

for (const backend of BACKENDS) {
  describe(`PPS accruing balances over the store (${backend})`, () => {
    it('a credited PPS share shows floor(credit x rate) at once, settling moves exactly that into earned', async () => {
      const db = await openTestDb(backend);
      const dir = mkdtempSync(join(tmpdir(), 'prosper-accruing-'));
      const config = join(dir, 'config.toml');
      try {
        const store = await createSqlStore(db);
        const [a, b] = await makeUsers(store, 2);
        const pool = accountantFor(store, pps);
        await store.moveReserve(1000n * PEG, 'seed', new Date());
        await credit(store, 1, [[a!, 3_000_000n], [b!, 1_000_000n]]);
        const first = (await pool.settleJob(1, 40n * PEG)).record; // no history: PPLNS, but it starts the EMAs
        const rate = ppsRate(first.emaReward, first.emaCredit, pps.ppsFeeE8);
        assert.ok(rate !== null && rate > 0n);

        const before = await balanceOf(store, a!, pps);
        assert.equal(before.accruing, 0n);
        // Two shares of a in the open job: floored once over the user's credit in the job, as the split does.
        await credit(store, 2, [[a!, 1_500_000n], [a!, 1_500_001n], [b!, 999_999n]]);
        const open = await balanceOf(store, a!, pps);
        assert.equal(open.accruing, (3_000_001n * rate) / RATE_ONE);
        assert.ok(open.accruing > 0n);
        assert.equal(open.earned, before.earned, 'not earned before the job settles');
        assert.equal(open.owed, before.owed, 'not payable before the job settles');
        assert.equal((await balanceOf(store, b!, pps)).accruing, (999_999n * rate) / RATE_ONE);
        // `db users` under [accounting] scheme = "pps" shows the same figure as its last column.
        writeFileSync(config, '[accounting]\nscheme = "pps"\nppsfee = "0.05"\n');
        const users = await runDbConfigured(store, Date.now, config, 'users');
        assert.equal(users.code, 0, users.err.join('\n'));
        assert.equal(users.out[0]!.split('\t').at(-1), 'accruing');
        const row = users.out.find((l) => l.split('\t')[0] === String(a))!.split('\t');
        assert.equal(parsePeg(row.at(-1)!), open.accruing);

        const second = (await pool.settleJob(2, 0n)).record;
        assert.equal(second.scheme, 'pps');
        assert.equal(second.ppsRateE18, rate, 'the rate shown while accruing is the rate settled at');
        const settled = await balanceOf(store, a!, pps);
        assert.equal(settled.accruing, 0n);
        assert.equal(settled.earned, open.earned + open.accruing, 'no double count');
        assert.equal(settled.earned + settled.accruing, open.earned + open.accruing);
      } finally {
        await disposeDb(db);
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('PROP and PPLNS show nothing accruing; a PPS fallback replaces the accruing figure with the PPLNS split', async () => {
      const db = await openTestDb(backend);
      try {
        const store = await createSqlStore(db);
        const [a] = await makeUsers(store, 1);
        const pool = accountantFor(store, pps);
        await credit(store, 1, [[a!, 2_000_000n]]);
        await pool.settleJob(1, 40n * PEG);
        await credit(store, 2, [[a!, 2_000_000n]]);
        for (const scheme of ['prop', 'pplns'] as const) {
          assert.equal(accruingFee({ ...pps, scheme }), null);
          assert.equal((await balanceOf(store, a!, { ...pps, scheme })).accruing, 0n, scheme);
        }
        // An empty reserve and a block won nothing: the floor stops PPS, the job is paid by PPLNS.
        const open = await balanceOf(store, a!, pps);
        assert.ok(open.accruing > 0n);
        const fell = (await pool.settleJob(2, 0n)).record;
        assert.equal(fell.fallback, true);
        const after = await balanceOf(store, a!, pps);
        assert.equal(after.accruing, 0n);
        assert.equal(after.earned, open.earned, 'PPLNS of a block won nothing pays nothing: the accruing figure was not owed');
      } finally {
        await disposeDb(db);
      }
    });

    it('the floor check counts what other open jobs have accrued: a job falls back rather than spend pay already shown', async () => {
      const db = await openTestDb(backend);
      try {
        const store = await createSqlStore(db);
        const [a] = await makeUsers(store, 1);
        const fallbacks: string[] = [];
        const pool = accountantFor(store, pps);
        await credit(store, 1, [[a!, 2_000_000n]]);
        const first = (await pool.settleJob(1, 40n * PEG)).record;
        const rate = ppsRate(first.emaReward, first.emaCredit, pps.ppsFeeE8)!;
        const value = (2_000_000n * rate) / RATE_ONE;
        // Jobs 2 and 3 open at once, each accruing `value`; the reserve covers one and a half of them.
        await credit(store, 2, [[a!, 2_000_000n]]);
        await credit(store, 3, [[a!, 2_000_000n]]);
        assert.equal((await balanceOf(store, a!, pps)).accruing, 2n * value);
        await store.moveReserve(value + value / 2n, 'seed', new Date());
        const history = { state: async () => ({ emaReward: first.emaReward, emaCredit: first.emaCredit, reserve: await store.ppsReserve() }) };
        const second = await planSettlement(2, 0n, [{ userId: a!, credit: 2_000_000n }], {
          ...history, jobsBefore: async () => [], sharesOf: async () => [], openAccrued: async () => value,
        }, pps, (why) => fallbacks.push(why));
        assert.equal(second.fallback, true, 'paying job 2 would leave job 3\'s shown pay uncovered');
        assert.match(fallbacks[0]!, /accruing in open jobs/);
        const fell = (await pool.settleJob(2, 0n)).record;
        assert.equal(fell.fallback, true, 'the store counts the same liability');
        // Job 3 is still covered: it settles by PPS at the rate it shows now (job 2 moved the EMAs).
        const open = await balanceOf(store, a!, pps);
        assert.ok(open.accruing > 0n);
        const third = (await pool.settleJob(3, 0n)).record;
        assert.equal(third.scheme, 'pps');
        const settled = await balanceOf(store, a!, pps);
        assert.equal(settled.earned, open.earned + open.accruing);
        assert.equal(settled.accruing, 0n);
      } finally {
        await disposeDb(db);
      }
    });
  });
}
