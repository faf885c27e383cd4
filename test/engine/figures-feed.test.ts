import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAccountant, createShareLedger, PDIFF, type PoolHashrates } from '../../src/accounting/index.js';
import { FiguresFeed } from '../../src/accounting/index.js';
import { silentLogger } from '../../src/log.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { openTestStore, type TestStore } from '../store/test-backends.js';

let t: TestStore;
before(async () => {
  t = await openTestStore('pglite');
});
after(() => t.dispose());

test('a (re)started pool takes its first figures from the store at once and fills the charts back from the stored shares', async () => {
  let now = 1_800_000_000_000;
  const clock = () => now;
  const [code] = ['figures-feed'];
  await t.store.createInviteCodes([code], new Date(now));
  const reg = await t.store.registerWithInvite({ email: 'feed@pool.io', passwordHash: 'h', payoutAddress: '' }, code, new Date(now));
  assert.ok(reg.ok);
  const userId = reg.ok ? reg.user.id : 0n;
  // A miner worked for the last 20 minutes (one PDiff share a minute) before the "restart".
  const ledger = createShareLedger({ store: t.store, now: clock, flushIntervalMs: 1 });
  const start = now;
  for (let m = 0; m < 20; m++) {
    now = start + m * 60_000;
    await ledger.credit({ jobId: 1, userId, miner: 'rig', assignedTarget: PDIFF });
  }
  await ledger.close();
  now = start + 20 * 60_000;

  const accountant = createAccountant({ store: t.store, ledger, feeRateE8: 0n, now: clock });
  // The store's reads at start: one for the whole history, one for the current figures.
  const reads: string[] = [];
  const counted = {
    hashrates: (w: number, at?: number) => (reads.push('now'), accountant.hashrates(w, at)),
    hashratesAt: (w: number, ats: readonly number[]) => (reads.push(`history of ${ats.length}`), accountant.hashratesAt(w, ats)),
  };
  const live = new MemoryWebData({ now: clock });
  const feed = new FiguresFeed({ accountant: counted, windowSeconds: 600, everyMs: 60_000, backfillSeconds: 900, logger: silentLogger(), now: clock });
  const filled: PoolHashrates[] = [];
  feed.onHistory((r) => {
    filled.push(r);
    live.recordHistory(r);
  });
  feed.onSample((r) => live.recordShareWindow({ accepted: 0, rejected: 0, rates: r }));
  await feed.start();
  feed.stop();
  assert.deepEqual(reads, ['history of 15', 'now']);

  // The current window at once: 10 shares of the last 10 minutes, 1 user.
  const stats = await live.pool.poolStats();
  assert.equal(stats.figuresAt, now);
  assert.equal(stats.hashrate.shares, 10);
  assert.equal(stats.hashrate.value, (10 * 65_536) / 600);
  assert.equal(stats.activeUsers, 1);
  // 15 snapshots filled back, each exact over its own window, before the current one.
  assert.equal(filled.length, 15);
  for (const r of filled) {
    const exact = await accountant.hashrates(600, r.at);
    assert.deepEqual([r.pool.value, r.pool.low, r.pool.high], [exact.pool.value, exact.pool.low, exact.pool.high], `snapshot at ${r.at}`);
    assert.ok(r.miners.has(`${userId}/rig`));
  }
  assert.ok(filled[0]!.pool.value > 0 && filled[0]!.pool.value < stats.hashrate.value, 'the window was filling up 15 minutes ago');
  // The miner is known with its last share at once (the charts read the store's history).
  const [rig] = await live.users.miners(userId, 'feed@pool.io');
  assert.equal(rig?.lastShareAt?.getTime(), start + 19 * 60_000);
});
