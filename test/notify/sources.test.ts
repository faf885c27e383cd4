// Where webhook events come from, with the real parts that produce them: accepted shares through
// the real share router and ledger (PGlite) for miner.offline / miner.online on a ManualClock,
// payouts recorded in the store by another process, the EC balance after a submission, and the
// outage trackers. Each event arrives at a real HTTP endpoint; a user's own webhook gets their
// events signed with their own secret, and nothing about other users.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createShareLedger, type ShareLedger } from '../../src/accounting/index.js';
import { defaultConfig } from '../../src/config/index.js';
import type { ProvenShare } from '../../src/domain/index.js';
import type { EngineContext } from '../../src/engine/context.js';
import type { PoolJob } from '../../src/jobs/index.js';
import { silentLogger } from '../../src/log.js';
import { notifyWebData, parseNotifySettings, startNotifications, type Notifier } from '../../src/notify/index.js';
import { PAYOUT_POLL_MS } from '../../src/notify/start.js';
import { createPoolBus, ShareRouter, type PoolBus } from '../../src/pool/index.js';
import { createSqlNotifyStore, createSqlStore, openPglite, type SqlDatabase, type Store } from '../../src/store/index.js';
import { SubmissionGate } from '../../src/submit/index.js';
import { ManualClock } from '../../src/util/clock.js';
import { Receiver, until } from './receiver.js';

const SECRET = 'operator-secret-0123456789';
const PDIFF = 0xffff000000000000n;
let db: SqlDatabase;
let store: Store;
let ledger: ShareLedger;
let dir: string;
const users: bigint[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prosper-notify-src-'));
  db = await openPglite({ schema: 'notifysources' });
  store = await createSqlStore(db);
  await store.createInviteCodes(['n1', 'n2'], new Date(0));
  for (const [i, code] of ['n1', 'n2'].entries()) {
    const reg = await store.registerWithInvite({ email: `u${i}@example.com`, passwordHash: 'h', payoutAddress: '' }, code, new Date(0));
    assert.ok(reg.ok);
    if (reg.ok) users.push(reg.user.id);
  }
  ledger = createShareLedger({ store, now: () => 0, flushIntervalMs: 1 });
});
after(async () => {
  await ledger.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Harness {
  bus: PoolBus;
  router: ShareRouter;
  clock: ManualClock;
  notifier: Notifier;
  ec: { balance: bigint };
  stop(): Promise<void>;
}

function harness(operatorUrl: string, sub: string): Harness {
  const clock = new ManualClock();
  const config = defaultConfig();
  Object.assign(config.notify, { urls: operatorUrl, secret: SECRET, offlineafter: 60, spooldir: join(dir, sub) });
  const stops: (() => unknown)[] = [];
  const ctx: EngineContext = { config, logger: silentLogger(), clock, onStop: (_n, close) => void stops.push(close) };
  const bus = createPoolBus(silentLogger());
  const ec = { balance: 5000n };
  const notifier = startNotifications(ctx, parseNotifySettings(config.notify), { bus, store: createSqlNotifyStore(db), ecBalance: async () => ec.balance });
  const job: PoolJob = { jobId: 7, version: 5, content: new Uint8Array([1]), oprHash: new Uint8Array(32), prices: new Map(), previousWinners: [], createdAt: 0 };
  const router = new ShareRouter({
    ledger, gate: new SubmissionGate({ emaN: 36, cutoff: 0 }), bus, jobOf: () => job, oprChainId: new Uint8Array(32), logger: silentLogger(),
    writer: { submit: async () => { throw new Error('no submissions here'); } },
  });
  return {
    bus, router, clock, notifier, ec,
    async stop() {
      for (const close of stops.reverse()) await close();
      await bus.drain();
    },
  };
}

let nonce = 0;
const share = (user: bigint, miner: string): ProvenShare => {
  nonce += 1;
  return {
    jobId: 7, userId: user.toString(), username: `u${users.indexOf(user)}@example.com`, minerId: miner, sessionId: 's', ip: '127.0.0.1',
    nonce: new Uint8Array([nonce & 0xff, nonce >> 8]), receivedAt: 0, target: PDIFF, assignedTarget: PDIFF, submit: false,
  };
};

test('miner.offline after [notify] offlineafter of silence on the clock, miner.online at its next share; to the operator and to the miner\'s user only', async () => {
  const op = await Receiver.start();
  const mine = await Receiver.start('/mine');
  const h = harness(op.url, 'presence');
  try {
    const set = await notifyWebData(h.notifier, createSqlNotifyStore(db), () => h.clock.now()).setUserWebhook(users[0]!, mine.url);
    assert.ok(set && /^[0-9a-f]{64}$/.test(set.secret));
    await h.router.accept(share(users[0]!, 'rigA'));
    await h.router.accept(share(users[1]!, 'rigB'));
    await h.bus.drain();
    h.clock.advance(30_000);
    await h.router.accept(share(users[1]!, 'rigB')); // rigB keeps mining
    await h.bus.drain();
    h.clock.advance(29_000);
    assert.equal(op.received.length, 0, 'nothing before offlineafter');
    h.clock.advance(1_000);
    await until(() => op.delivered().length === 1 && mine.delivered().length === 1, 'miner.offline for rigA');
    const off = op.delivered()[0]!;
    assert.equal(off.event, 'miner.offline');
    assert.deepEqual(off.data, { userId: users[0]!.toString(), username: 'u0@example.com', miner: 'rigA', silentSeconds: 60 });
    assert.equal(mine.delivered()[0]!.event, 'miner.offline');
    const nowS = Math.floor(h.clock.now() / 1000);
    assert.deepEqual(mine.verify(mine.received[0]!, set.secret, nowS), { ok: true }, "the user's hook is signed with the user's secret");
    assert.deepEqual(mine.verify(mine.received[0]!, SECRET, nowS), { ok: false, reason: 'mismatch' });
    assert.deepEqual(op.verify(op.received[0]!, SECRET, nowS), { ok: true });

    h.clock.advance(15_000);
    await h.router.accept(share(users[0]!, 'rigA'));
    await h.bus.drain();
    h.clock.advance(15_000); // rigB's last share was at 30 s: silent for 60 s at 90 s
    await until(() => op.delivered().length === 3 && mine.delivered().length === 2, 'rigA online, then rigB offline');
    assert.deepEqual(op.delivered().map((b) => `${b.event} ${String(b.data.miner)}`), ['miner.offline rigA', 'miner.online rigA', 'miner.offline rigB']);
    assert.deepEqual(mine.delivered().map((b) => `${b.event} ${String(b.data.miner)}`), ['miner.offline rigA', 'miner.online rigA'], 'nothing about another user');
    assert.equal(op.delivered()[1]!.data.silentSeconds, 75);
  } finally {
    await h.stop();
    await op.close();
    await mine.close();
  }
});

test('payout.recorded for a batch recorded by another process: the whole batch to the operator, each user their own line, once', async () => {
  const op = await Receiver.start();
  const mine = await Receiver.start('/mine');
  const h = harness(op.url, 'payouts');
  try {
    const web = notifyWebData(h.notifier, createSqlNotifyStore(db), () => h.clock.now());
    await web.setUserWebhook(users[0]!, null);
    await web.setUserWebhook(users[1]!, mine.url);
    // What `prosper-pool db record` leaves in the store.
    await db.query("INSERT INTO payout_batches (id, status, created_at, recorded_at, entry_hash) VALUES ('pay-1', 'paid', now(), now(), $1)", ['ab'.repeat(32)]);
    await db.query("INSERT INTO payout_items (batch_id, user_id, address, amount) VALUES ('pay-1', $1, 'FA-one', 150000000), ('pay-1', $2, 'FA-two', 250000000)", [users[0]!, users[1]!]);
    h.clock.advance(PAYOUT_POLL_MS);
    await until(() => op.delivered().length === 1 && mine.delivered().length === 1, 'payout.recorded');
    const all = op.delivered()[0]!;
    assert.equal(all.event, 'payout.recorded');
    assert.equal(all.data.batchId, 'pay-1');
    assert.deepEqual(all.data.items, [
      { userId: users[0]!.toString(), address: 'FA-one', amount: '150000000' },
      { userId: users[1]!.toString(), address: 'FA-two', amount: '250000000' },
    ]);
    const own = mine.delivered()[0]!;
    assert.equal(own.data.address, 'FA-two');
    assert.equal(own.data.amount, '250000000');
    assert.ok(!JSON.stringify(own).includes('FA-one'), "another user's line is not shown");
    h.clock.advance(PAYOUT_POLL_MS * 3);
    await h.bus.drain();
    await until(() => h.notifier.queued === 0, 'the queue emptied');
    assert.equal(op.delivered().length, 1, 'announced once');
  } finally {
    await h.stop();
    await op.close();
    await mine.close();
  }
});

test('ec.low once when the balance falls under [notify] eclow; pool.degraded and pool.recovered on outage changes only', async () => {
  const op = await Receiver.start();
  const h = harness(op.url, 'health');
  try {
    const written = { record: { jobId: 7, entryHash: 'e', commitTxId: 'c', target: 1n, nonce: '', status: 'revealed' as const, attempts: 1, submittedAt: 0 }, oprHash: undefined };
    h.bus.publish('SubmissionWritten', written);
    h.ec.balance = 900n;
    h.bus.publish('SubmissionWritten', written);
    await h.bus.drain();
    h.bus.publish('SubmissionWritten', written);
    await h.bus.drain();
    h.bus.publish('ServiceHealth', { service: 'factomd', up: false, reason: 'ECONNREFUSED' });
    h.bus.publish('ServiceHealth', { service: 'factomd', up: false, reason: 'ECONNREFUSED' });
    h.bus.publish('ServiceHealth', { service: 'database', up: false, reason: 'connection reset' });
    h.bus.publish('ServiceHealth', { service: 'factomd', up: true });
    h.bus.publish('ServiceHealth', { service: 'database', up: true });
    await h.bus.drain();
    await until(() => op.delivered().length === 5, 'ec.low and four health changes');
    const got = op.delivered();
    assert.deepEqual(got.map((b) => b.event), ['ec.low', 'pool.degraded', 'pool.degraded', 'pool.recovered', 'pool.recovered']);
    assert.deepEqual(got[0]!.data, { balance: '900', threshold: '1000' });
    assert.deepEqual(got.map((b) => b.data.service).slice(1), ['factomd', 'database', 'factomd', 'database']);
    assert.deepEqual((got[3]!.data.away as { service: string }[]).map((a) => a.service), ['database'], 'still away after factomd came back');
    assert.deepEqual(got[4]!.data.away, [], 'whole again');
  } finally {
    await h.stop();
    await op.close();
  }
});
