import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CREDIT_PER_PDIFF, PDIFF, createAccountant, createDiskSpool, createShareLedger, parseFeeRate } from '../../src/accounting/index.js';
import { isProsperError } from '../../src/errors.js';
import type { ShareCredit, Store } from '../../src/store/index.js';
import { openTestStore, type TestStore } from '../store/test-backends.js';

let clock = Date.parse('2026-11-24T01:00:00Z');
const now = () => clock;

async function newUser(store: Store, email: string): Promise<bigint> {
  await store.createInviteCodes([`c-${email}`], new Date(clock));
  const r = await store.registerWithInvite({ email, passwordHash: 'h', payoutAddress: '' }, `c-${email}`, new Date(clock));
  assert.ok(r.ok);
  return r.user.id;
}

/** A store whose creditShares can be held, failed, or counted, around the real one. */
function gatedStore(real: Store) {
  let gate: Promise<void> = Promise.resolve();
  let release = () => undefined as void;
  const calls: number[] = [];
  let failing = false;
  return {
    calls,
    hold() {
      gate = new Promise((r) => (release = r));
    },
    open: () => release(),
    fail: (v: boolean) => (failing = v),
    store: {
      async creditShares(id: string, shares: readonly ShareCredit[]) {
        calls.push(shares.length);
        await gate;
        if (failing) throw new Error('database is down');
        return real.creditShares(id, shares);
      },
    },
  };
}

describe('share ledger and accountant on PostgreSQL', () => {
  let t: TestStore;
  before(async () => {
    t = await openTestStore('postgres');
  });
  after(async () => {
    await t.dispose();
  });

  test('group commit: many shares, few transactions; credit resolves only after the batch commits', async () => {
    const u = await newUser(t.store, 'gc@x.io');
    const g = gatedStore(t.store);
    const ledger = createShareLedger({ store: g.store, now, flushIntervalMs: 5, maxBatch: 50 });
    g.hold();
    let acked = 0;
    const all = Array.from({ length: 120 }, (_, i) => ledger.credit({ jobId: 10, userId: u, miner: `m${i % 3}`, assignedTarget: PDIFF }).then(() => void acked++));
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(acked, 0, 'nothing acknowledged before the commit');
    assert.equal((await t.store.jobCredits(10)).length, 0);
    g.open();
    await Promise.all(all);
    assert.deepEqual(g.calls, [50, 50, 20], 'two full batches and one timed flush');
    const rows = await t.store.jobCredits(10);
    assert.equal(rows.reduce((s, r) => s + r.shares, 0n), 120n);
    assert.equal(rows.reduce((s, r) => s + r.credit, 0n), 120n * CREDIT_PER_PDIFF);
    await ledger.close();
    await assert.rejects(ledger.credit({ jobId: 10, userId: u, miner: 'm', assignedTarget: PDIFF }), (e) => isProsperError(e, 'PROSPER_E_ACCOUNTING_CLOSED'));
  });

  test('credit follows the assigned target, and bad targets are refused without acking', async () => {
    const u = await newUser(t.store, 'tg@x.io');
    const ledger = createShareLedger({ store: t.store, now, flushIntervalMs: 1 });
    await ledger.credit({ jobId: 11, userId: u, miner: 'easy', assignedTarget: PDIFF });
    await ledger.credit({ jobId: 11, userId: u, miner: 'hard', assignedTarget: 0xfffffff000000000n });
    await assert.rejects(ledger.credit({ jobId: 11, userId: u, miner: 'x', assignedTarget: 1n << 64n }), (e) => isProsperError(e, 'PROSPER_E_ACCOUNTING_TARGET'));
    const rows = await t.store.jobCredits(11);
    assert.deepEqual(rows.map((r) => [r.miner, r.credit]), [['easy', 65_536n], ['hard', 1n << 28n]]);
    await ledger.close();
  });

  test('database outage: without a spool the credit fails (no ack); with one it is spooled and replayed once', async () => {
    const u = await newUser(t.store, 'sp@x.io');
    const g = gatedStore(t.store);
    g.fail(true);
    const bare = createShareLedger({ store: g.store, now, flushIntervalMs: 1 });
    await assert.rejects(bare.credit({ jobId: 12, userId: u, miner: 'm', assignedTarget: PDIFF }), (e) => isProsperError(e, 'PROSPER_E_ACCOUNTING_STORE'));

    const dir = mkdtempSync(join(tmpdir(), 'prosper-spool-'));
    try {
      const spool = createDiskSpool({ dir, maxBytes: 4096, now });
      const ledger = createShareLedger({ store: g.store, now, flushIntervalMs: 1, spool, replayIntervalMs: 60_000 });
      await Promise.all([1, 2, 3].map((i) => ledger.credit({ jobId: 12, userId: u, miner: `m${i}`, assignedTarget: PDIFF })));
      assert.equal(spool.count(), 1, 'acked because fsynced to the spool');
      await assert.rejects(ledger.replaySpool(), 'still down');
      assert.equal(spool.count(), 1);
      // Fill the spool to its bound: the next batch is refused, so it is not acked.
      const big = Array.from({ length: 40 }, (_, i) => ledger.credit({ jobId: 12, userId: u, miner: `big${i}`, assignedTarget: PDIFF }));
      const outcomes = await Promise.allSettled(big);
      assert.ok(outcomes.every((o) => o.status === 'rejected' && isProsperError(o.reason, 'PROSPER_E_ACCOUNTING_SPOOL_FULL')));
      g.fail(false);
      assert.equal(await ledger.replaySpool(), 1);
      assert.equal(spool.count(), 0);
      assert.equal(readdirSync(dir).length, 0);
      const rows = await t.store.jobCredits(12);
      assert.deepEqual(rows.map((r) => r.miner), ['m1', 'm2', 'm3']);
      await ledger.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a spooled batch that had in fact reached the database is not credited twice', async () => {
    const u = await newUser(t.store, 'dup@x.io');
    const dir = mkdtempSync(join(tmpdir(), 'prosper-spool-'));
    try {
      const spool = createDiskSpool({ dir, maxBytes: 1 << 20, now });
      const share = { jobId: 13, userId: u, miner: 'm', target: PDIFF, credit: 65_536n, receivedAt: new Date(clock) };
      await t.store.creditShares('lost-ack', [share]);
      spool.write('lost-ack', [share]);
      assert.equal(await spool.replay(t.store), 1);
      assert.equal((await t.store.jobCredits(13))[0].shares, 1n);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('accountant: settle flushes first, splits pro rata once, feeds balances; hashrate and pruning', async () => {
    const a = await newUser(t.store, 'acc-a@x.io');
    const b = await newUser(t.store, 'acc-b@x.io');
    const ledger = createShareLedger({ store: t.store, now, flushIntervalMs: 10_000 });
    const acct = createAccountant({ store: t.store, ledger, feeRateE8: parseFeeRate('0.05'), now, shareRetentionMs: 3600_000 });
    const credits = [];
    for (let i = 0; i < 3; i++) credits.push(ledger.credit({ jobId: 20, userId: a, miner: 'r', assignedTarget: PDIFF }));
    credits.push(ledger.credit({ jobId: 20, userId: b, miner: 'r', assignedTarget: PDIFF }));
    assert.equal(ledger.buffered, 4);
    const { record, created } = await acct.settleJob(20, 360n * 100_000_000n);
    await Promise.all(credits);
    assert.equal(created, true);
    assert.equal(record.fee, 18n * 100_000_000n);
    assert.deepEqual(record.payouts.map((p) => [p.userId, p.amount]), [[a, 25_650_000_000n], [b, 8_550_000_000n]]);
    assert.equal(record.dust, 0n);
    const again = await acct.settleJob(20, 1n);
    assert.equal(again.created, false);
    assert.equal(again.record.reward, 360n * 100_000_000n);
    const bal = (await t.store.balances()).find((x) => x.userId === a);
    assert.equal(bal?.owed, 25_650_000_000n);

    const h = await acct.hashrates(60);
    assert.equal(h.users.get(a)?.value, (3 * 65_536) / 60);
    assert.equal(h.miners.get(`${b}/r`)?.shares, 1);
    clock += 2 * 3600_000;
    assert.ok((await acct.prune()) >= 4);
    assert.equal((await acct.hashrates(60)).pool.shares, 0);
    assert.equal((await acct.jobCredits(20)).length, 2, 'per-job credit kept for ever');
    await ledger.close();
  });
});
