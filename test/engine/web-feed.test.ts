import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createAccountant, createShareLedger } from '../../src/accounting/index.js';
import { WebFeed } from '../../src/engine/web-feed.js';
import { createSqlPoolRecords, POOL_RECORDS_SQL } from '../../src/engine/records-sql.js';
import { createSqlSyncStore } from '../../src/pegnet/index.js';
import { silentLogger } from '../../src/log.js';
import { createSqlStore, migrate, openPglite, type SqlDatabase, type Store } from '../../src/store/index.js';
import { MemoryWebData, type PoolEvent } from '../../src/web/index.js';
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

  it('tracks sessions, share windows, blocks, rewards and submissions', async () => {
    const live = new MemoryWebData({ now: clock });
    const events: PoolEvent[] = [];
    live.events.subscribe((e) => events.push(e));
    const ledger = createShareLedger({ store, now: clock });
    const accountant = createAccountant({ store, ledger, feeRateE8: 5_000_000n, now: clock });
    const feed = new WebFeed({ live, accountant, stratum: f.server, feeRate: '0.05', logger: silentLogger(), now: clock, windowSeconds: 600 });
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
      for (let i = 0; i < 2; i++) await ledger.credit({ jobId: 5n, userId, miner: 'rig', assignedTarget: 0xffff000000000000n });
      await feed.window();
      const stats = await live.pool.poolStats();
      assert.equal(stats.hashrate, (2 * 65536) / 600);
      assert.ok(events.some((e) => e.type === 'shares'));

      // Blocks and rewards.
      feed.onBlock({ top: true, block: { height: 5, nextPreviousWinners: [], graded: { height: 5, version: 5, accepted: 40, graded: [], winners: [], nextPreviousWinners: [], difficulty: { spot: 40, minimum: 123n, maximum: 456n }, poolReward: { graded: 3, winning: 2, reward: 1000n } } } }, 99n);
      const blocks = await live.pool.blocks({ limit: 10, offset: 0, order: 'desc', column: 'height' });
      assert.deepEqual(blocks.data.map((b) => [b.height, b.won, b.reward]), [[5, 2, 1000n]]);
      assert.equal((await live.pool.poolStats()).networkDifficulty, 123n);
      const settled = await accountant.settleJob(5n, 1000n);
      feed.onSettled(settled.record, 2, 3);
      const rewards = await live.pool.rewards({ limit: 10, offset: 0, order: 'desc', column: 'job_id' });
      assert.equal(rewards.data[0]!.poolReward, 1000n);
      assert.equal(rewards.data[0]!.poolFee, settled.record.fee);

      // Submissions: one row per entry (the ack of the same entry adds none).
      const sub = { jobId: 6, entryHash: 'ab'.repeat(32), commitTxId: 'cd'.repeat(32), target: 7n, nonce: '0102', userId: String(userId), minerId: 'rig', status: 'revealed' as const, attempts: 1, submittedAt: now };
      feed.onSubmission(sub, new Uint8Array(32));
      feed.onSubmission({ ...sub, status: 'acknowledged' }, new Uint8Array(32));
      const subs = await live.pool.submissions({ limit: 10, offset: 0, order: 'desc', column: 'job_id' } as never, 0n);
      assert.equal(subs.data.length, 1);
      assert.equal(subs.data[0]!.entryHash, 'ab'.repeat(32));

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

  it('shows the stored history after a restart (hydrate)', async () => {
    await migrate(db, [{ version: 1, name: 'pool records', sql: POOL_RECORDS_SQL }], 'engine');
    const records = createSqlPoolRecords(db);
    const sync = await createSqlSyncStore(db);
    const winners: string[] = [];
    await sync.recordBlock({ height: 77, nextPreviousWinners: winners, graded: { height: 77, version: 5, accepted: 30, graded: [], winners, nextPreviousWinners: winners, difficulty: { spot: 30, minimum: 1n, maximum: 2n }, poolReward: { graded: 4, winning: 3, reward: 4242n } } });
    await records.record({ jobId: 77, entryHash: 'ef'.repeat(32), commitTxId: '01'.repeat(32), target: 9n, nonce: 'aa', userId: '1', minerId: 'rig', status: 'revealed', attempts: 1, submittedAt: now });
    const ledger = createShareLedger({ store, now: clock });
    await store.createInviteCodes(['hydrate'], new Date(now));
    const reg = await store.registerWithInvite({ email: 'hydrate@example.com', passwordHash: 'h', payoutAddress: '' }, 'hydrate', new Date(now));
    assert.ok(reg.ok);
    await ledger.credit({ jobId: 77n, userId: reg.ok ? reg.user.id : 0n, miner: 'rig', assignedTarget: 0xffff000000000000n });
    const accountant = createAccountant({ store, ledger, feeRateE8: 5_000_000n, now: clock });
    await accountant.settleJob(77n, 4242n);
    await ledger.close();

    // A new process: an empty live view filled from the store.
    const live = new MemoryWebData({ now: clock });
    const feed = new WebFeed({ live, accountant, stratum: f.server, feeRate: '0.05', logger: silentLogger(), now: clock });
    await feed.hydrate(records, () => store.listSettlements(200));
    const q = { limit: 10, offset: 0, order: 'desc' as const };
    const blocks = await live.pool.blocks({ ...q, column: 'height' });
    assert.ok(blocks.data.some((b) => b.height === 77 && b.won === 3 && b.reward === 4242n));
    const rewards = await live.pool.rewards({ ...q, column: 'job_id' });
    const r77 = rewards.data.find((r) => r.jobId === 77n);
    assert.ok(r77);
    assert.equal(r77.winningOprs, 3);
    assert.equal(r77.gradedOprs, 4);
    const subs = await live.pool.submissions({ ...q, column: 'job_id' } as never, 77n);
    assert.equal(subs.data.length, 1);
    assert.equal(subs.data[0]!.entryHash, 'ef'.repeat(32));
  });
});
