import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isProsperError } from '../../src/errors.js';
import { migrate, MIGRATIONS, schemaVersion, UINT64_MAX, type Store } from '../../src/store/index.js';
import { BACKENDS, closeSharedPglite, openTestStore, type BackendName } from './test-backends.js';

after(closeSharedPglite);

const T0 = new Date('2026-11-24T00:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

async function withStore(backend: BackendName, fn: (store: Store, t: Awaited<ReturnType<typeof openTestStore>>) => Promise<void>) {
  const t = await openTestStore(backend);
  try {
    await fn(t.store, t);
  } finally {
    await t.dispose();
  }
}

async function user(store: Store, email: string, code = `code-${email}`) {
  await store.createInviteCodes([code], T0);
  const r = await store.registerWithInvite({ email, passwordHash: 'h', payoutAddress: '' }, code, T0);
  assert.ok(r.ok);
  return r.user;
}

for (const backend of BACKENDS) {
  describe(`store on ${backend}`, () => {
    test('migrations run once and record their versions', async () => {
      await withStore(backend, async (_store, t) => {
        assert.equal(await schemaVersion(t.db), MIGRATIONS[MIGRATIONS.length - 1].version);
        assert.deepEqual(await migrate(t.db), [], 'second run applies nothing');
        const extra = [...MIGRATIONS, { version: 99, name: 'extra', sql: 'CREATE TABLE extra_t (x int)' }];
        assert.deepEqual(await migrate(t.db, extra), [99]);
        await assert.rejects(migrate(t.db), (e) => isProsperError(e, 'PROSPER_E_STORE_MIGRATION'), 'schema newer than program');
        await assert.rejects(migrate(t.db, [MIGRATIONS[1], MIGRATIONS[0]]), (e) => isProsperError(e, 'PROSPER_E_STORE_MIGRATION'));
        // Another area's tables are versioned on their own and do not disturb the store's.
        assert.deepEqual(await migrate(t.db, [{ version: 1, name: 'other', sql: 'CREATE TABLE other_t (x int)' }], 'other'), [1]);
        assert.equal(await schemaVersion(t.db, 'other'), 1);
        assert.deepEqual(await migrate(t.db, extra), [], 'store component unaffected');
      });
    });

    test('a failing migration leaves nothing behind', async () => {
      await withStore(backend, async (_store, t) => {
        const broken = [...MIGRATIONS, { version: 50, name: 'half', sql: 'CREATE TABLE half_t (x int); SELECT nope_no_such_fn();' }];
        await assert.rejects(migrate(t.db, broken));
        const left = await t.db.query("SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'half_t'", [t.db.schema]);
        assert.equal(left.rows.length, 0);
        assert.equal(await schemaVersion(t.db), MIGRATIONS[MIGRATIONS.length - 1].version);
      });
    });

    test('uint64 extremes round-trip through numeric(20,0) unshifted; out-of-range is refused', async () => {
      await withStore(backend, async (store) => {
        const u = await user(store, 'a@x.io');
        const odd = UINT64_MAX; // LSB set: a >>1 scheme would lose it
        await store.creditShares('b1', [{ jobId: 7, userId: u.id, miner: 'm', target: odd, credit: odd, receivedAt: at(1) }]);
        await store.creditShares('b2', [{ jobId: 7, userId: u.id, miner: 'm', target: 1n, credit: odd, receivedAt: at(2) }]);
        const rows = await store.jobCredits(7);
        assert.equal(rows.length, 1);
        assert.equal(rows[0].credit, odd * 2n, 'aggregate is wider than uint64');
        const work = await store.workSince(T0);
        assert.equal(work[0].credit, odd * 2n);
        await assert.rejects(
          store.creditShares('b3', [{ jobId: 7, userId: u.id, miner: 'm', target: UINT64_MAX + 1n, credit: 1n, receivedAt: at(3) }]),
          (e) => isProsperError(e, 'PROSPER_E_STORE_RANGE'),
        );
        await assert.rejects(
          store.creditShares('b4', [{ jobId: 7, userId: u.id, miner: 'm', target: 5n, credit: -1n, receivedAt: at(3) }]),
          (e) => isProsperError(e, 'PROSPER_E_STORE_RANGE'),
        );
        assert.equal((await store.jobCredits(7))[0].shares, 2n, 'refused batches credit nothing');
      });
    });

    test('invite codes: single use, unknown code refused, email unique, nothing burned on failure', async () => {
      await withStore(backend, async (store) => {
        await store.createInviteCodes(['c1', 'c2'], T0);
        const ok = await store.registerWithInvite({ email: 'a@x.io', passwordHash: 'h', payoutAddress: '' }, 'c1', at(5));
        assert.ok(ok.ok);
        assert.deepEqual(await store.registerWithInvite({ email: 'b@x.io', passwordHash: 'h', payoutAddress: '' }, 'c1', at(6)), { ok: false, reason: 'code-invalid' });
        assert.deepEqual(await store.registerWithInvite({ email: 'b@x.io', passwordHash: 'h', payoutAddress: '' }, 'nope', at(6)), { ok: false, reason: 'code-invalid' });
        assert.deepEqual(await store.registerWithInvite({ email: 'a@x.io', passwordHash: 'h', payoutAddress: '' }, 'c2', at(6)), { ok: false, reason: 'email-taken' });
        assert.equal(await store.findUserByEmail('b@x.io'), null, 'failed registration left no user');
        const codes = await store.listInviteCodes();
        assert.deepEqual(codes.map((c) => [c.code, c.claimedBy]), [['c1', 'a@x.io'], ['c2', null]]);
        assert.equal(codes[0].claimedAt?.getTime(), at(5).getTime());
        await assert.rejects(store.createInviteCodes(['c1'], T0), 'duplicate code');
      });
    });

    test('roles, payout address and miners', async () => {
      await withStore(backend, async (store) => {
        const u = await user(store, 'a@x.io');
        assert.equal(u.role, 'user');
        assert.equal(await store.setRole('a@x.io', 'admin'), true);
        assert.equal(await store.setRole('ghost@x.io', 'admin'), false);
        assert.equal((await store.findUserByEmail('a@x.io'))?.role, 'admin');
        await store.setPayoutAddress(u.id, 'FA-addr');
        assert.equal((await store.listUsers())[0].payoutAddress, 'FA-addr');
        await assert.rejects(store.setPayoutAddress(999n, 'x'), (e) => isProsperError(e, 'PROSPER_E_STORE_NO_USER'));
        await store.setPasswordHash(u.id, 'new-hash');
        assert.equal((await store.findUserByEmail(u.email))?.passwordHash, 'new-hash');
        await assert.rejects(store.setPasswordHash(999n, 'x'), (e) => isProsperError(e, 'PROSPER_E_STORE_NO_USER'));
        await store.touchMiner(u.id, 'rig1', at(1));
        await store.touchMiner(u.id, 'rig1', at(9));
        await store.touchMiner(u.id, 'rig2', at(3));
        const miners = await store.listMiners(u.id);
        assert.deepEqual(miners.map((m) => [m.name, m.firstSeen.getTime(), m.lastSeen.getTime()]), [
          ['rig1', at(1).getTime(), at(9).getTime()],
          ['rig2', at(3).getTime(), at(3).getTime()],
        ]);
      });
    });

    test('share batches: aggregated per (job,user,miner), a replayed batch id credits nothing, prune keeps aggregates', async () => {
      await withStore(backend, async (store) => {
        const a = await user(store, 'a@x.io');
        const b = await user(store, 'b@x.io');
        const batch = [
          { jobId: 1, userId: a.id, miner: 'r1', target: 10n, credit: 100n, receivedAt: at(3) },
          { jobId: 1, userId: a.id, miner: 'r1', target: 10n, credit: 50n, receivedAt: at(1) },
          { jobId: 1, userId: b.id, miner: 'r1', target: 10n, credit: 7n, receivedAt: at(2) },
          { jobId: 2, userId: a.id, miner: 'r2', target: 10n, credit: 1n, receivedAt: at(100) },
        ];
        assert.equal(await store.creditShares('batch-1', batch), true);
        assert.equal(await store.creditShares('batch-1', batch), false, 'replay is a no-op');
        const job1 = await store.jobCredits(1);
        assert.deepEqual(job1.map((r) => [r.userId, r.miner, r.credit, r.shares, r.firstShare.getTime(), r.lastShare.getTime()]), [
          [a.id, 'r1', 150n, 2n, at(1).getTime(), at(3).getTime()],
          [b.id, 'r1', 7n, 1n, at(2).getTime(), at(2).getTime()],
        ]);
        assert.deepEqual((await store.workSince(at(2))).map((w) => [w.userId, w.miner, w.credit, w.shares]), [
          [a.id, 'r1', 100n, 1n],
          [a.id, 'r2', 1n, 1n],
          [b.id, 'r1', 7n, 1n],
        ]);
        assert.equal(await store.pruneShares(at(50)), 3);
        assert.equal((await store.workSince(T0)).length, 1);
        assert.equal((await store.jobCredits(1)).length, 2, 'aggregates survive pruning');
      });
    });


    test('work in many windows, one pass over the shares: each window exactly what workSince(since, until) gives, edges included, empty windows empty', async () => {
      await withStore(backend, async (store) => {
        const a = await user(store, 'w1@x.io');
        const b = await user(store, 'w2@x.io');
        // Shares every 7 s for 5 minutes, alternating users and miners, some on window edges.
        const shares = Array.from({ length: 43 }, (_, i) => ({
          jobId: 3, userId: i % 3 === 0 ? b.id : a.id, miner: `r${i % 2}`, target: 10n, credit: BigInt(1 + (i % 5)), receivedAt: at(i * 7),
        }));
        assert.ok(await store.creditShares('windows', shares));
        // Overlapping 60 s windows every 21 s (edges fall on shares at 0, 21, 42, ... s), and one with no share.
        // Also a window opening on a share another window closes on (at 21 s), twice, and one past every share.
        const windows = [
          ...Array.from({ length: 14 }, (_, i) => ({ since: at(i * 21 - 60), until: at(i * 21) })),
          { since: at(21), until: at(63) }, { since: at(21), until: at(63) }, { since: at(1000), until: at(1100) },
        ];
        const together = await store.workInWindows(windows);
        assert.equal(together.length, windows.length);
        for (const [i, w] of windows.entries()) assert.deepEqual(together[i], await store.workSince(w.since, w.until), `window ${i}`);
        assert.ok(together[3]!.length > 0 && together[3]!.some((r) => r.lastShare.getTime() === at(63).getTime()), 'a share on the closing edge counts');
        assert.deepEqual(together.at(-1), []);
        assert.deepEqual(await store.workInWindows([]), []);
      });
    });

    test('shares with ids: an id already credited (in this batch or any earlier one) is skipped; pruning forgets old ids', async () => {
      await withStore(backend, async (store) => {
        const a = await user(store, 'ids@x.io');
        const s = (shareId: string | undefined, credit: bigint, t = 5) => ({ jobId: 9, userId: a.id, miner: 'r', target: 10n, credit, receivedAt: at(t), ...(shareId ? { shareId } : {}) });
        // Within one batch: the second copy of s1 does not count; shares without an id always do.
        assert.equal(await store.creditShares('i1', [s('9.aa', 100n), s('9.aa', 100n), s(undefined, 1n), s('9.bb', 10n)]), true);
        // A later batch (another delivery of the same shares) credits only the new id.
        assert.equal(await store.creditShares('i2', [s('9.bb', 10n), s('9.aa', 100n), s('9.cc', 1000n)]), true);
        // A batch of nothing but repeats commits and credits nothing.
        assert.equal(await store.creditShares('i3', [s('9.cc', 1000n)]), true);
        const [row] = await store.jobCredits(9);
        assert.equal(row!.credit, 1111n);
        assert.equal(row!.shares, 4n);
        // Once pruned (older than the retention), an id may be credited again: retention must outlive redelivery.
        await store.pruneShares(at(6));
        assert.equal(await store.creditShares('i4', [s('9.aa', 100n, 7)]), true);
        assert.equal((await store.jobCredits(9))[0]!.credit, 1211n);
      });
    });
    test('settlement is stored once; a plan that does not add up is refused and rolled back', async () => {
      await withStore(backend, async (store) => {
        const a = await user(store, 'a@x.io');
        await store.creditShares('b', [{ jobId: 3, userId: a.id, miner: 'r', target: 1n, credit: 9n, receivedAt: at(1) }]);
        let seen: unknown;
        const plan = (credits: { userId: bigint; credit: bigint }[]) => {
          seen = credits;
          return { reward: 100n, feeRateE8: 5_000_000n, fee: 5n, dust: 0n, totalCredit: 9n, payouts: [{ userId: a.id, credit: 9n, amount: 95n }] };
        };
        await assert.rejects(
          store.settleJob(3, () => ({ ...plan([]), dust: 1n }), at(2)),
          (e) => isProsperError(e, 'PROSPER_E_STORE_SETTLEMENT'),
        );
        assert.equal(await store.getSettlement(3), null);
        const first = await store.settleJob(3, plan, at(2));
        assert.deepEqual(seen, [{ userId: a.id, credit: 9n }]);
        assert.equal(first.created, true);
        assert.equal(first.record.payouts[0].amount, 95n);
        const racers = await Promise.all([5, 5, 5, 5].map((job) => store.settleJob(job, () => ({ reward: 7n, feeRateE8: 0n, fee: 0n, dust: 7n, totalCredit: 0n, payouts: [] }), at(2))));
        assert.equal(racers.filter((r) => r.created).length, 1, 'concurrent settlements of one job: one wins');
        const again = await store.settleJob(3, () => assert.fail('plan must not run twice'), at(3));
        assert.equal(again.created, false);
        assert.equal(again.record.settledAt.getTime(), at(2).getTime());
        assert.deepEqual((await store.balances()).map((b) => [b.email, b.owed, b.paid, b.pending]), [['a@x.io', 95n, 0n, 0n]]);
        await store.settleJob(4, () => ({ reward: 10n, feeRateE8: 0n, fee: 0n, dust: 10n, totalCredit: 0n, payouts: [] }), at(4));
        const listed = await store.listSettlements(10);
        assert.deepEqual(listed.map((s) => [s.jobId, s.reward, s.payouts.length]), [[5, 7n, 0], [4, 10n, 0], [3, 100n, 1]]);
        assert.deepEqual((await store.listSettlements(1, 2)).map((s) => s.jobId), [3]);
        assert.deepEqual((await store.userOwed(a.id, 5)).map((o) => [o.jobId, o.credit, o.amount, o.settledAt.getTime()]), [[3, 9n, 95n, at(2).getTime()]]);
      });
    });

    test('payout batches lock balances, record is idempotent, cancel releases', async () => {
      await withStore(backend, async (store) => {
        const a = await user(store, 'a@x.io');
        const b = await user(store, 'b@x.io');
        const c = await user(store, 'c@x.io');
        await store.setPayoutAddress(a.id, 'FA-a');
        await store.setPayoutAddress(c.id, 'FA-c');
        for (const u of [a, b, c]) await store.creditShares(`b${u.id}`, [{ jobId: 1, userId: u.id, miner: 'r', target: 1n, credit: 1n, receivedAt: at(1) }]);
        await store.settleJob(1, () => ({ reward: 1000n, feeRateE8: 0n, fee: 0n, dust: 0n, totalCredit: 3n, payouts: [
          { userId: a.id, credit: 1n, amount: 500n }, { userId: b.id, credit: 1n, amount: 400n }, { userId: c.id, credit: 1n, amount: 100n },
        ] }), at(2));
        await assert.rejects(store.createPayoutBatch('x', 0n, at(3)), (e) => isProsperError(e, 'PROSPER_E_STORE_PAYOUT'));
        const batch = await store.createPayoutBatch('p1', 200n, at(3));
        assert.ok(batch);
        assert.deepEqual(batch.items.map((i) => [i.email, i.address, i.amount]), [['a@x.io', 'FA-a', 500n]], 'b has no address, c is below minimum');
        assert.equal(await store.createPayoutBatch('p2', 1n, at(4)).then((x) => x?.items.map((i) => i.email)).then((e) => e?.join()), 'c@x.io', 'a is locked by p1');
        assert.equal(await store.createPayoutBatch('p3', 1n, at(4)), null, 'nothing left to pay');
        const hash = 'ab'.repeat(32);
        assert.equal(await store.recordPayout('p1', hash, at(5)), 'recorded');
        assert.equal(await store.recordPayout('p1', hash, at(6)), 'already-recorded');
        await assert.rejects(store.recordPayout('p1', 'cd'.repeat(32), at(6)), (e) => isProsperError(e, 'PROSPER_E_STORE_PAYOUT_CONFLICT'));
        await assert.rejects(store.recordPayout('p2', hash, at(6)), (e) => isProsperError(e, 'PROSPER_E_STORE_PAYOUT_CONFLICT'), 'hash reuse');
        await assert.rejects(store.recordPayout('nope', 'ef'.repeat(32), at(6)), (e) => isProsperError(e, 'PROSPER_E_STORE_PAYOUT_UNKNOWN'));
        await assert.rejects(store.recordPayout('p2', 'not-hex', at(6)), (e) => isProsperError(e, 'PROSPER_E_STORE_PAYOUT'));
        assert.equal(await store.cancelPayoutBatch('p2', at(7)), true);
        assert.equal(await store.cancelPayoutBatch('p2', at(7)), false);
        assert.equal(await store.cancelPayoutBatch('p1', at(7)), false, 'a paid batch cannot be cancelled');
        await assert.rejects(store.recordPayout('p2', 'cd'.repeat(32), at(8)), (e) => isProsperError(e, 'PROSPER_E_STORE_PAYOUT_CONFLICT'));
        const bal = new Map((await store.balances()).map((x) => [x.email, x]));
        assert.deepEqual([bal.get('a@x.io')?.paid, bal.get('a@x.io')?.pending], [500n, 0n]);
        assert.deepEqual([bal.get('c@x.io')?.owed, bal.get('c@x.io')?.paid, bal.get('c@x.io')?.pending], [100n, 0n, 0n], 'cancelled batch released');
        assert.equal((await store.getPayoutBatch('p1'))?.status, 'paid');
        assert.deepEqual((await store.listPayoutBatches(10)).map((x) => [x.id, x.status, x.entryHash]), [['p2', 'cancelled', null], ['p1', 'paid', hash]]);
      });
    });
  });
}
