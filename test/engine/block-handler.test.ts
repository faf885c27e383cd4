import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccountant, createShareLedger, type ShareLedger } from '../../src/accounting/index.js';
import { BlockHandler, createPoolBus } from '../../src/pool/index.js';
import { JobBuilder } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/log.js';
import { PriceOracle, embeddedOracleConfig } from '../../src/oracle/index.js';
import { createSqlSyncStore, testingActivations, type GradedBlockRecord, type SyncBlockEvent } from '../../src/pegnet/index.js';
import { createSqlPoolRecords, createSqlStore, openPglite, type SqlDatabase, type Store } from '../../src/store/index.js';
import { SubmissionGate } from '../../src/submit/index.js';
import { ManualClock } from '../../src/util/clock.js';
import { until } from '../e2e/helpers.js';

const winners = Array.from({ length: 25 }, (_, i) => (0x100 + i).toString(16).padStart(16, '0'));
const PDIFF = 0xffff000000000000n;

function event(height: number, top: boolean, reward: bigint): SyncBlockEvent {
  const graded: GradedBlockRecord = {
    height, version: 5, accepted: 30, graded: [], winners, nextPreviousWinners: winners,
    difficulty: { spot: 30, minimum: 1n, maximum: 2n }, poolReward: { graded: 2, winning: reward > 0n ? 1 : 0, reward },
  };
  return { top, headHeight: height, block: { height, graded, nextPreviousWinners: winners } };
}

/** Waits (on real time, for the database) until the handler has armed its next timer. */
async function armed(clock: ManualClock, what: string): Promise<void> {
  await until(() => clock.pendingTimers > 0, 60_000, what);
}

describe('block handler: settlement waits out the stale window, and nothing is left unsettled', () => {
  let db: SqlDatabase;
  let store: Store;
  let ledger: ShareLedger;
  let userId: bigint;
  const now = () => 1_700_000_000_000;
  before(async () => {
    db = await openPglite({ schema: 'blockhandler' });
    store = await createSqlStore(db);
    await store.createInviteCodes(['bh'], new Date(now()));
    const reg = await store.registerWithInvite({ email: 'bh@example.com', passwordHash: 'h', payoutAddress: '' }, 'bh', new Date(now()));
    assert.ok(reg.ok);
    userId = reg.ok ? reg.user.id : 0n;
    ledger = createShareLedger({ store, now });
  });
  after(async () => {
    await ledger.close();
    await db.close();
  });

  /** A handler on its own ManualClock: the stale window and the relay's waits pass when the test says. */
  function handler(settleDelayMs: number, extra: Partial<ConstructorParameters<typeof BlockHandler>[0]> = {}) {
    const records = createSqlPoolRecords(db);
    const accountant = createAccountant({ store, ledger, feeRateE8: 5_000_000n, now });
    const clock = new ManualClock(now());
    const bus = createPoolBus(silentLogger());
    const jobs: number[] = [];
    bus.on('JobOpened', ({ job }) => void jobs.push(job.jobId));
    const h = new BlockHandler({
      gate: new SubmissionGate({ emaN: 36, cutoff: 10 }),
      records, accountant, bus,
      builder: new JobBuilder({ prices: new PriceOracle(embeddedOracleConfig(), { now }), identity: 'Prosper', coinbase: 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q', activations: testingActivations(0), logger: silentLogger(), now }),
      retryMs: 1000, settleDelayMs, logger: silentLogger(), clock,
      ...extra,
    });
    return { h, jobs, clock, bus };
  }

  const settled = (job: number) => until(async () => (await store.getSettlement(job)) !== null, 60_000, `job ${job} settled`);

  it('settles the tip job only after the delay, so a share credited in the stale window is paid', async () => {
    const { h, jobs, clock } = handler(150);
    await ledger.credit({ jobId: 20, userId, miner: 'a', assignedTarget: PDIFF });
    await h.onBlock(event(20, true, 1_000_000n));
    assert.deepEqual(jobs, [21], 'the next job is out at once');
    clock.advance(149);
    assert.equal(await store.getSettlement(20), null, 'not settled during the stale window');
    // A late share for job 20, accepted within the grace window.
    await ledger.credit({ jobId: 20, userId, miner: 'a', assignedTarget: PDIFF });
    clock.advance(1);
    await settled(20);
    const s = await store.getSettlement(20);
    assert.ok(s);
    assert.equal(s.totalCredit, 2n * 65536n, 'both shares are in the split');
    assert.equal(s.reward, 1_000_000n);
    await h.stop();
  });

  it('settles catch-up blocks at once, and what waits at stop(); announces blocks won', async () => {
    const { h, bus } = handler(60_000);
    const won: unknown[] = [];
    bus.on('BlockWon', (e) => void won.push(e));
    await ledger.credit({ jobId: 30, userId, miner: 'a', assignedTarget: PDIFF });
    await h.onBlock(event(30, false, 500n));
    assert.ok(await store.getSettlement(30), 'a block met while catching up is settled at once');
    await ledger.credit({ jobId: 31, userId, miner: 'a', assignedTarget: PDIFF });
    await h.onBlock(event(31, true, 700n));
    assert.equal(await store.getSettlement(31), null);
    await h.stop();
    assert.equal((await store.getSettlement(31))?.reward, 700n, 'stopping settles what was waiting');
    assert.deepEqual(won, [{ height: 30, winning: 1, reward: 500n }, { height: 31, winning: 1, reward: 700n }]);
  });

  it('a catch-up block whose job miners had waits out the stale window too (factomd back with several blocks)', async () => {
    const { h, jobs, clock } = handler(150);
    await h.onBlock(event(50, true, 0n));
    assert.deepEqual(jobs, [51], 'miners mine job 51');
    await ledger.credit({ jobId: 51, userId, miner: 'a', assignedTarget: PDIFF });
    // factomd returns with blocks 51 and 52: 51 is met while catching up.
    await h.onBlock(event(51, false, 800n));
    await h.onBlock(event(52, true, 0n));
    assert.equal(await store.getSettlement(51), null, 'job 51 still takes late shares');
    await ledger.credit({ jobId: 51, userId, miner: 'a', assignedTarget: PDIFF });
    clock.advance(150);
    await settled(51);
    assert.equal((await store.getSettlement(51))?.totalCredit, 2n * 65536n, 'the late share is in the split');
    await h.stop();
  });

  it('with edges, the stale window is followed by a wait for shares still being relayed; a silent edge holds it only so long', async () => {
    let allIn = false;
    const asked: [number, number][] = [];
    const { h, clock } = handler(100, { settleReady: async (jobId: number, closedAt: number) => (asked.push([jobId, closedAt]), allIn) });
    const closes = clock.now() + 100;
    await ledger.credit({ jobId: 60, userId, miner: 'a', assignedTarget: PDIFF });
    await h.onBlock(event(60, true, 1000n));
    clock.advance(100);
    await armed(clock, 'the relay asked again in a second');
    clock.advance(1000);
    await armed(clock, 'the relay asked a third time');
    assert.equal(await store.getSettlement(60), null, 'held while shares are on their way');
    assert.ok(asked.length === 2 && asked.every(([j, at]) => j === 60 && at === closes), JSON.stringify(asked));
    // A share an edge spooled through an outage arrives, then the relay reports all in.
    await ledger.credit({ jobId: 60, userId, miner: 'a', assignedTarget: PDIFF });
    allIn = true;
    clock.advance(1000);
    await settled(60);
    assert.equal((await store.getSettlement(60))?.totalCredit, 2n * 65536n, 'the relayed share is in the split');
    await h.stop();

    // An edge that never reports again cannot hold the pool's payouts for ever.
    const { h: h2, clock: clock2 } = handler(100, { settleHoldMaxMs: 2_000, settleReady: async () => false });
    await ledger.credit({ jobId: 61, userId, miner: 'a', assignedTarget: PDIFF });
    await h2.onBlock(event(61, true, 1000n));
    clock2.advance(100);
    await armed(clock2, 'held for the relay');
    clock2.advance(1000);
    await armed(clock2, 'still held after a second');
    assert.equal(await store.getSettlement(61), null);
    clock2.advance(1000);
    await settled(61);
    assert.equal((await store.getSettlement(61))?.reward, 1000n, 'settled after the longest hold');
    await h2.stop();
  });

  it('with a relay, stop() leaves waiting jobs unsettled and the next start settles them through the same wait', async () => {
    const sync = await createSqlSyncStore(db);
    let allIn = false;
    const { h } = handler(60_000, { settleReady: async () => allIn });
    await ledger.credit({ jobId: 70, userId, miner: 'a', assignedTarget: PDIFF });
    await h.onBlock(event(70, true, 4000n));
    await sync.recordBlock(event(70, true, 4000n).block);
    await h.stop();
    assert.equal(await store.getSettlement(70), null, 'its relayed shares may still come: not settled at stop');
    const { h: next, clock } = handler(60_000, { settleReady: async () => allIn });
    assert.equal(await next.settleOutstanding(), 1);
    // The relay is still delivering job 70's shares.
    await ledger.credit({ jobId: 70, userId, miner: 'a', assignedTarget: PDIFF });
    clock.advance(0);
    await armed(clock, 'held for the relay');
    assert.equal(await store.getSettlement(70), null);
    allIn = true;
    clock.advance(1000);
    await settled(70);
    assert.equal((await store.getSettlement(70))?.totalCredit, 2n * 65536n, 'both shares in the split');
    await next.stop();
  });

  it('with no prices, miners are told to stop and the job is built again after the retry period', async () => {
    let pricesDown = true;
    const stops: number[] = [];
    const real = new JobBuilder({ prices: new PriceOracle(embeddedOracleConfig(), { now }), identity: 'Prosper', coinbase: 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q', activations: testingActivations(0), logger: silentLogger(), now });
    const { h: flaky, jobs, clock, bus } = handler(0, {
      builder: { build: async (height: number, winners: readonly string[]) => (pricesDown ? Promise.reject(new Error('prices down')) : real.build(height, winners)) },
    });
    bus.on('MiningStopped', () => void stops.push(clock.now()));
    await flaky.onBlock(event(90, true, 0n));
    assert.equal(stops.length, 1, 'miners told to stop');
    const current = () => flaky.current;
    assert.equal(current(), undefined);
    pricesDown = false;
    clock.advance(999);
    assert.deepEqual(jobs, [], 'no retry before the period');
    clock.advance(1);
    await until(() => jobs.length === 1, 60_000, 'the job built on retry');
    assert.deepEqual(jobs, [91]);
    assert.equal(current()?.jobId, 91);
    await flaky.stop();
  });

  it('settles at start what an earlier run credited but never settled, with the synced reward', async () => {
    const sync = await createSqlSyncStore(db);
    await ledger.credit({ jobId: 40, userId, miner: 'a', assignedTarget: PDIFF });
    await ledger.flush();
    await sync.recordBlock(event(40, true, 900n).block);
    // Credit for a job whose block is not synced yet is left alone.
    await ledger.credit({ jobId: 41, userId, miner: 'a', assignedTarget: PDIFF });
    await ledger.flush();
    const { h } = handler(60_000);
    assert.equal(await h.settleOutstanding(), 1);
    assert.equal((await store.getSettlement(40))?.reward, 900n);
    assert.equal(await store.getSettlement(41), null);
    assert.equal(await h.settleOutstanding(), 0, 'nothing twice');
    await h.stop();
  });
});
