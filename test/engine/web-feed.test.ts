import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createAccountant, createShareLedger } from '../../src/accounting/index.js';
import { WebFeed } from '../../src/web/web-feed.js';
import { createSqlWebHistory } from '../../src/store/web-history-sql.js';
import { createSqlSyncStore } from '../../src/pegnet/index.js';
import { silentLogger } from '../../src/log.js';
import { createSqlPoolRecords, createSqlStore, openPglite, type SqlDatabase, type Store } from '../../src/store/index.js';
import { type PoolEvent } from '../../src/web/index.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { RawClient, startServer, type Fixture } from '../stratum/helpers/server.js';

describe('web feed: the live view follows the pool', () => {
  let f: Fixture;
  let db: SqlDatabase;
  let store: Store;
  let now = 1_700_000_000_000;
  const clock = () => now;
  before(async () => {
    f = await startServer();
    db = await openPglite({ schema: 'webfeed' });
    store = await createSqlStore(db);
  });
  after(async () => {
    await f.close();
    await db.close();
  });

  it('tracks sessions, share windows, blocks and bans', async () => {
    const live = new MemoryWebData({ now: clock });
    const events: PoolEvent[] = [];
    live.events.subscribe((e) => events.push(e));
    const ledger = createShareLedger({ store, now: clock });
    const accountant = createAccountant({ store, ledger, feeRateE8: 5_000_000n, now: clock });
    const feed = new WebFeed({ live, stratum: f.server, sessions: f.server, logger: silentLogger(), now: clock });
    feed.start();
    try {
      // A session appears in the admin view when it connects, and goes when it leaves.
      const c = await RawClient.connect(f.port);
      for (let i = 0; i < 50 && (await live.admin.connectedMiners()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal((await live.admin.connectedMiners()).length, 1);
      c.close();
      for (let i = 0; i < 50 && (await live.admin.connectedMiners()).length === 1; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal((await live.admin.connectedMiners()).length, 0);

      // A share window comes from the stored credit: 2 shares at difficulty 1 by one miner.
      const [code] = ['feed-code'];
      await store.createInviteCodes([code], new Date(now));
      const reg = await store.registerWithInvite({ email: 'feed@example.com', passwordHash: 'h', payoutAddress: '' }, code, new Date(now));
      assert.ok(reg.ok);
      const userId = reg.ok ? reg.user.id : 0n;
      // Two PDiff shares 30 s apart.
      await ledger.credit({ jobId: 5, userId, miner: 'rig', assignedTarget: 0xffff000000000000n });
      now += 30_000;
      await ledger.credit({ jobId: 5, userId, miner: 'rig', assignedTarget: 0xffff000000000000n });
      await feed.window(await accountant.hashrates(600));
      const stats = await live.pool.poolStats();
      assert.equal(stats.hashrate.value, (2 * 65536) / 600);
      assert.equal(stats.hashrate.shares, 2);
      assert.equal(stats.activeUsers, 1);
      assert.ok(events.some((e) => e.type === 'shares'));

      // A synced block: its event on the live feed and the network figures (the lists are the store's: below).
      feed.onBlock({ top: true, headHeight: 7, block: { height: 5, nextPreviousWinners: [], graded: { height: 5, version: 5, accepted: 40, graded: [], winners: [], nextPreviousWinners: [], difficulty: { spot: 40, minimum: 123n, maximum: 456n }, poolReward: { graded: 3, winning: 2, reward: 1000n } } } }, 99n);
      const block = events.find((e) => e.type === 'block');
      assert.deepEqual(block && [block.height, block.won, block.reward], [5, 2, '1000']);
      const stats2 = await live.pool.poolStats();
      assert.deepEqual([stats2.networkDifficulty, stats2.ema, stats2.syncHeight, stats2.headHeight], [123n, 99n, 5, 7]);
      // Its reward is split over the window's credit; the rewards list reads it from the tables (next test).
      await accountant.settleJob(5, 1000n);

      // A banned IP shows in the admin ban list (garbage from 127.0.0.3 until its score trips).
      const bad = connect({ port: f.port, host: '127.0.0.1', localAddress: '127.0.0.3' });
      await new Promise((r) => bad.once('connect', r));
      for (let i = 0; i < 10; i++) bad.write('this is not json\n');
      for (let i = 0; i < 100 && (await live.admin.bans()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      const bans = await live.admin.bans();
      assert.deepEqual(bans.map((b) => b.ip.replace('::ffff:', '')), ['127.0.0.3']);
      assert.ok(bans[0]!.until.getTime() > now);
      bad.destroy();
    } finally {
      feed.stop();
      await ledger.close();
    }
  });

  it('lists history from the tables, paged and sorted in SQL (it survives restarts)', async () => {
    const records = createSqlPoolRecords(db);
    const sync = await createSqlSyncStore(db);
    const winners: string[] = [];
    const block = (height: number, winning: number, reward: bigint) => ({ height, nextPreviousWinners: winners, graded: { height, version: 5 as const, accepted: 30, graded: [], winners, nextPreviousWinners: winners, difficulty: { spot: 30, minimum: 1n, maximum: 2n }, poolReward: { graded: 4, winning, reward } } });
    await sync.recordBlock(block(77, 3, 4242n));
    await sync.recordBlock(block(78, 0, 0n));
    await sync.recordBlock(block(79, 1, 100n));
    const ledger = createShareLedger({ store, now: clock });
    await store.createInviteCodes(['history'], new Date(now));
    const reg = await store.registerWithInvite({ email: 'history@example.com', passwordHash: 'h', payoutAddress: '' }, 'history', new Date(now));
    assert.ok(reg.ok);
    const uid = reg.ok ? reg.user.id : 0n;
    await records.record({ jobId: 77, entryHash: 'ef'.repeat(32), commitTxId: '01'.repeat(32), target: 9n, nonce: 'aa', userId: uid, minerId: 'rig', status: 'revealed', attempts: 1, submittedAt: now }, new Uint8Array(32).fill(0x5a));
    // The ack of the same entry (no job at hand any more) keeps the OPR hash.
    await records.record({ jobId: 77, entryHash: 'ef'.repeat(32), commitTxId: '', target: 9n, nonce: 'aa', userId: uid, minerId: 'rig', status: 'acknowledged', attempts: 1, submittedAt: now });
    await records.record({ jobId: 79, entryHash: 'ee'.repeat(32), commitTxId: '02'.repeat(32), target: 11n, nonce: 'bb', userId: uid, minerId: 'rig', status: 'revealed', attempts: 1, submittedAt: now + 1000 });
    for (const job of [77, 79]) await ledger.credit({ jobId: job, userId: uid, miner: 'rig', assignedTarget: 0xffff000000000000n });
    const accountant = createAccountant({ store, ledger, feeRateE8: 5_000_000n, now: clock });
    await accountant.settleJob(77, 4242n);
    await accountant.settleJob(79, 100n);
    await ledger.close();

    const h = createSqlWebHistory(db);
    const blocks = await h.blocks({ limit: 2, offset: 0, order: 'desc', column: 'reward' });
    assert.equal(blocks.total, 3);
    assert.deepEqual(blocks.data.map((b) => [b.height, b.won, b.reward, b.graded]), [[77, 3, 4242n, true], [79, 1, 100n, true]]);
    const next = await h.blocks({ limit: 2, offset: 2, order: 'desc', column: 'reward' });
    assert.deepEqual(next.data.map((b) => b.height), [78]);
    // (The first test of this file settled job 5 in the same database.)
    const rewards = await h.rewards({ limit: 2, offset: 0, order: 'desc', column: 'job_id' });
    assert.equal(rewards.total, 3);
    assert.deepEqual(rewards.data.map((r) => [r.jobId, r.poolReward, r.winningOprs, r.gradedOprs, r.poolFeeRate]), [[79, 100n, 1, 4, '0.05'], [77, 4242n, 3, 4, '0.05']]);
    assert.equal(rewards.data[1]!.poolFee, (4242n * 5_000_000n) / 100_000_000n);
    const subs = await h.submissions({ limit: 10, offset: 0, order: 'desc', column: 'created_at' }, 0);
    assert.equal(subs.total, 2);
    assert.deepEqual(subs.data.map((x) => [x.jobId, x.email, x.target]), [[79, 'history@example.com', 11n], [77, 'history@example.com', 9n]]);
    const only77 = await h.submissions({ limit: 10, offset: 0, order: 'desc', column: 'id' }, 77);
    assert.deepEqual(only77.data.map((x) => [x.entryHash, x.oprHash]), [['ef'.repeat(32), '5a'.repeat(32)]]);
    // Job 5 (first test): two PDiff shares 30 s apart; jobs 77 and 79 had one share each (no window).
    const byRate = await h.rewards({ limit: 3, offset: 0, order: 'desc', column: 'total_hashrate' });
    assert.deepEqual(byRate.data.map((r) => [r.jobId, r.poolDifficulty, r.totalHashrate]), [[5, 2, (2 * 65_536) / 30], [79, 1, 0], [77, 1, 0]]);
    const byDifficulty = await h.rewards({ limit: 1, offset: 0, order: 'desc', column: 'pool_difficulty' });
    assert.equal(byDifficulty.data[0]!.jobId, 5);
    const earnings = await h.earnings(uid, { limit: 10, offset: 0, order: 'desc', column: 'amount' });
    assert.equal(earnings.total, 2);
    assert.equal(earnings.data[0]!.jobId, 77);
    assert.ok(earnings.data[0]!.amount > earnings.data[1]!.amount);
  });

  it('with counters summed over edges (a coordinator), a window never counts below zero when an edge restarts', async () => {
    const live = new MemoryWebData({ now: clock });
    const windows: { accepted: number; rejected: number }[] = [];
    live.events.subscribe((e) => void (e.type === 'shares' && windows.push({ accepted: e.accepted, rejected: e.rejected })));
    const zero = { connections: 0, accepted: 0, stale: 0, duplicate: 0, invalid: 0, rejected: 0, garbage: 0, banned: 0, refused: 0 };
    let counters = { ...zero, accepted: 100, invalid: 4 };
    const ledger = createShareLedger({ store, now: clock });
    const accountant = createAccountant({ store, ledger, feeRateE8: 5_000_000n, now: clock });
    const feed = new WebFeed({ live, stratum: { get counters() { return counters; } }, logger: silentLogger(), now: clock });
    await feed.window(await accountant.hashrates(600));
    counters = { ...zero, accepted: 30, invalid: 1 }; // an edge restarted: its totals began again
    await feed.window(await accountant.hashrates(600));
    counters = { ...zero, accepted: 50, invalid: 2 };
    await feed.window(await accountant.hashrates(600));
    assert.deepEqual(windows, [{ accepted: 100, rejected: 4 }, { accepted: 0, rejected: 0 }, { accepted: 20, rejected: 1 }]);
    await ledger.close();
  });
});
