// The share router over the real ledger and store (PGlite) and the real submission gate: credit
// is durable before ShareAccepted is announced, and the gate alone keeps the per-job cutoff,
// entries an earlier run wrote for the job included. The entry writer is a recorder here (the
// writer itself is tested against factomd in test/submit/entry-writer.test.ts).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createShareLedger, type ShareLedger } from '../../src/accounting/index.js';
import type { ProvenShare } from '../../src/domain/index.js';
import type { PoolJob } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/log.js';
import { createPoolBus, ShareRouter } from '../../src/pool/index.js';
import { createSqlStore, openPglite, type SqlDatabase, type Store } from '../../src/store/index.js';
import { SubmissionGate, type SubmissionRequest } from '../../src/submit/index.js';

const PDIFF = 0xffff000000000000n;
let db: SqlDatabase;
let store: Store;
let ledger: ShareLedger;
let userId: bigint;

before(async () => {
  db = await openPglite({ schema: 'sharerouter' });
  store = await createSqlStore(db);
  await store.createInviteCodes(['sr'], new Date(0));
  const reg = await store.registerWithInvite({ email: 'sr@example.com', passwordHash: 'h', payoutAddress: '' }, 'sr', new Date(0));
  assert.ok(reg.ok);
  userId = reg.ok ? reg.user.id : 0n;
  ledger = createShareLedger({ store, now: () => 0, flushIntervalMs: 1 });
});
after(async () => {
  await ledger.close();
  await db.close();
});

const job = (jobId: number): PoolJob => ({ jobId, version: 5, content: new Uint8Array([1]), oprHash: new Uint8Array(32), prices: new Map(), previousWinners: [], createdAt: 0 });
const share = (jobId: number, target: bigint, submit: boolean): ProvenShare => ({
  jobId, userId: userId.toString(), username: 'sr@example.com', minerId: 'rig', sessionId: 's1', ip: '127.0.0.1',
  nonce: new Uint8Array([jobId & 0xff, Number(target & 0xffn)]), receivedAt: 0, target, assignedTarget: PDIFF, submit,
});

function router(gate: SubmissionGate) {
  const bus = createPoolBus(silentLogger());
  const written: SubmissionRequest[] = [];
  const r = new ShareRouter({
    ledger, gate, bus, jobOf: (id) => job(id), oprChainId: new Uint8Array(32), logger: silentLogger(),
    writer: { submit: async (req) => (written.push(req), { jobId: req.jobId, entryHash: 'e', commitTxId: 'c', target: req.target, nonce: '', status: 'revealed', attempts: 1, submittedAt: 0 }) },
  });
  return { r, bus, written };
}

test('ShareAccepted is announced once the credit is durable, with the relay id', async () => {
  const { r, bus } = router(new SubmissionGate({ emaN: 36, cutoff: 3 }));
  const seen: { credited: number; shareId: string | undefined }[] = [];
  bus.on('ShareAccepted', async (e) => {
    const rows = await store.jobCredits(40);
    seen.push({ credited: rows.reduce((n, c) => n + Number(c.shares), 0), shareId: e.shareId });
  });
  await r.accept(share(40, PDIFF, false), 'edge1/1');
  await bus.drain();
  await r.accept(share(40, PDIFF, false));
  await bus.drain();
  assert.deepEqual(seen, [{ credited: 1, shareId: 'edge1/1' }, { credited: 2, shareId: undefined }]);
});

test('the gate alone keeps the cutoff: a job restarted with 2 of 3 entries written takes one more', async () => {
  const gate = new SubmissionGate({ emaN: 36, cutoff: 3, initialEma: 1n });
  gate.openJob(41, 2);
  const { r, written } = router(gate);
  for (const t of [PDIFF + 1n, PDIFF + 2n, PDIFF + 3n]) await r.accept(share(41, t, true));
  await r.drain();
  assert.deepEqual(written.map((w) => w.target), [PDIFF + 1n]);
  assert.equal(r.submitted, 1);
  assert.equal(gate.submittedThisJob(), 3);
});
