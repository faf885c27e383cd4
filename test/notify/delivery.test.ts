// Webhook delivery against a real HTTP endpoint: signatures a receiver can check with the
// documented recipe, an endpoint down then up getting every event once and in order, events
// surviving a restart of the notifier, and the bound dropping the oldest (logged and counted).
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, test } from 'node:test';
import { silentLogger } from '../../src/log.js';
import { createPoolMetrics } from '../../src/metrics/index.js';
import { Notifier, type NotifySettings } from '../../src/notify/index.js';
import { notifyCounters } from '../../src/notify/start.js';
import { systemClock } from '../../src/util/clock.js';
import { OPERATOR_SECRET as SECRET, Receiver, testSettings, until } from './receiver.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function settings(urls: string[], over: Partial<NotifySettings> = {}): NotifySettings {
  const s = testSettings(urls, over);
  dirs.push(s.spoolDir);
  return s;
}

test('a delivery carries a signature the documented recipe verifies, and a wrong secret or an old timestamp fails', async () => {
  const rx = await Receiver.start();
  const n = new Notifier({ settings: settings([rx.url]), clock: systemClock, logger: silentLogger() });
  try {
    n.start();
    await n.emit('block.won', { height: 12, winning: 2, reward: 1234567890123456789n });
    await until(() => rx.delivered().length === 1, 'the delivery');
    const r = rx.received[0]!;
    assert.equal(r.headers['x-prosper-event'], 'block.won');
    assert.equal(r.headers['x-prosper-event-id'], r.body.id);
    assert.deepEqual(r.body.data, { height: 12, winning: 2, reward: '1234567890123456789' });
    // The recipe of docs/webhooks.md, written out here independently of src/notify/sign.ts.
    const ts = String(r.headers['x-prosper-timestamp']);
    const sig = /^sha256=([0-9a-f]{64})$/.exec(String(r.headers['x-prosper-signature']))![1]!;
    const mac = (key: string) => createHmac('sha256', key).update(`${ts}.`).update(r.raw).digest();
    assert.ok(timingSafeEqual(mac(SECRET), Buffer.from(sig, 'hex')), 'the right secret verifies');
    assert.ok(!timingSafeEqual(mac('another-secret-0123456789'), Buffer.from(sig, 'hex')), 'a wrong secret fails');
    assert.ok(Math.abs(Math.floor(Date.now() / 1000) - Number(ts)) < 300, 'the timestamp is now');
    assert.deepEqual(rx.verify(r, SECRET), { ok: true });
    assert.deepEqual(rx.verify(r, 'another-secret-0123456789'), { ok: false, reason: 'mismatch' });
    assert.deepEqual(rx.verify(r, SECRET, Number(ts) + 301), { ok: false, reason: 'stale' }, 'a replay after the window');
    // A body changed on the way fails too.
    const tampered = { ...r, raw: Buffer.from(r.raw.toString().replace('"height":12', '"height":13')) };
    assert.deepEqual(rx.verify(tampered, SECRET), { ok: false, reason: 'mismatch' });
  } finally {
    await n.stop();
    await rx.close();
  }
});

test('an endpoint down for a while, then up, receives every event once and in order; a healthy one is not held up', async () => {
  const down = await Receiver.start();
  const up = await Receiver.start();
  down.mode = 503;
  const metrics = createPoolMetrics();
  const n = new Notifier({ settings: settings([down.url, up.url]), clock: systemClock, logger: silentLogger(), counters: notifyCounters(metrics) });
  try {
    n.start();
    for (let i = 0; i < 30; i++) await n.emit('job.settled', { jobId: i });
    await until(() => up.delivered().length === 30, 'the healthy endpoint got all 30');
    await until(() => down.received.length >= 3, 'a few failed attempts at the endpoint that is down');
    assert.equal(down.delivered().length, 0);
    assert.ok(n.recent().some((a) => a.outcome === 'failed' && a.status === 503), 'the log shows the failed attempts');
    down.mode = 200;
    await until(() => down.delivered().length === 30, 'the endpoint back up got all 30');
    const ids = (rx: Receiver) => rx.delivered().map((b) => b.data.jobId);
    const expected = Array.from({ length: 30 }, (_, i) => i);
    assert.deepEqual(ids(down), expected, 'in order, each once');
    assert.deepEqual(ids(up), expected);
    // The same event has the same id at both endpoints (receivers deduplicate on it).
    assert.deepEqual(down.delivered().map((b) => b.id), up.delivered().map((b) => b.id));
    await until(() => n.queued === 0, 'the queue emptied');
    const text = await metrics.render();
    assert.match(text, /prosper_notify_deliveries_total\{outcome="sent"\} 60/);
    assert.match(text, /prosper_notify_deliveries_total\{outcome="failed"\} [1-9]/);
    assert.match(text, /prosper_notify_queued 0/);
  } finally {
    await n.stop();
    await down.close();
    await up.close();
  }
});

test('events waiting for an endpoint survive a stop and are sent by the next start', async () => {
  const rx = await Receiver.start();
  rx.mode = 500;
  const s = settings([rx.url]);
  const first = new Notifier({ settings: s, clock: systemClock, logger: silentLogger() });
  first.start();
  for (let i = 0; i < 5; i++) await first.emit('payout.recorded', { batchId: `b${i}` });
  await until(() => rx.received.length >= 1, 'an attempt');
  await first.stop();
  assert.equal(first.queued, 5, 'all five wait on disk');
  rx.mode = 200;
  const second = new Notifier({ settings: s, clock: systemClock, logger: silentLogger() });
  try {
    assert.equal(second.queued, 5, 'found at start');
    second.start();
    await until(() => rx.delivered().length === 5, 'the five, after the restart');
    assert.deepEqual(rx.delivered().map((b) => b.data.batchId), ['b0', 'b1', 'b2', 'b3', 'b4']);
  } finally {
    await second.stop();
    await rx.close();
  }
});

test('the queue is bounded: past it the oldest waiting events are dropped, logged and counted; the newest get through', async () => {
  const rx = await Receiver.start();
  rx.mode = 503;
  const metrics = createPoolMetrics();
  // Room for about ten events of this size.
  const n = new Notifier({ settings: settings([rx.url], { queueMaxBytes: 10 * 420 }), clock: systemClock, logger: silentLogger(), counters: notifyCounters(metrics) });
  try {
    n.start();
    for (let i = 0; i < 40; i++) await n.emit('miner.offline', { userId: '1', username: 'u@example.com', miner: `rig${String(i).padStart(3, '0')}`, silentSeconds: 600 });
    assert.ok(n.queued >= 5 && n.queued <= 12, `bounded near ten: ${n.queued} waiting`);
    const dropped = 40 - n.queued;
    assert.match(await metrics.render(), new RegExp(`prosper_notify_dropped_total\\{reason="queue-full"\\} ${dropped}`));
    assert.equal(n.recent().filter((a) => a.outcome === 'dropped').length, dropped);
    const waiting = n.queued;
    rx.mode = 200;
    await until(() => n.queued === 0, 'the queue emptied');
    const got = rx.delivered().map((b) => String(b.data.miner));
    const newest = Array.from({ length: 40 }, (_, i) => `rig${String(i).padStart(3, '0')}`).slice(40 - waiting);
    // The head that was being retried when it was dropped may have gone out once before; the rest are the newest, in order.
    assert.deepEqual(got.slice(-waiting), newest);
  } finally {
    await n.stop();
    await rx.close();
  }
});

test('a slow endpoint times out and is retried; concurrent bursts of emits are all queued', async () => {
  const rx = await Receiver.start();
  rx.mode = 'hang';
  const n = new Notifier({ settings: settings([rx.url], { timeoutMs: 300 }), clock: systemClock, logger: silentLogger() });
  try {
    n.start();
    await Promise.all(Array.from({ length: 50 }, (_, i) => n.emit('ec.low', { balance: i, threshold: 1000 })));
    assert.equal(n.queued, 50);
    await until(() => n.recent().some((a) => a.outcome === 'failed' && /no reply within 300 ms/.test(a.error ?? '')), 'a timed-out attempt in the log');
    assert.equal(n.queued, 50, 'nothing lost to the timeouts');
  } finally {
    await n.stop();
    await rx.close();
  }
});

test('a stop cuts off a POST the endpoint holds; that event waits on disk and goes out after the next start', async () => {
  const rx = await Receiver.start();
  rx.mode = 'hang';
  // The POST timeout is far beyond the test's: only the stop can end the attempt.
  const s = settings([rx.url], { timeoutMs: 3_600_000 });
  const first = new Notifier({ settings: s, clock: systemClock, logger: silentLogger() });
  first.start();
  await first.emit('block.won', { height: 1 });
  await until(() => rx.received.length === 1, 'the held POST');
  await first.stop();
  assert.equal(first.queued, 1, 'still queued');
  assert.ok(!first.recent().some((a) => a.outcome === 'failed'), 'not counted as a failure of the endpoint');
  rx.mode = 200;
  const second = new Notifier({ settings: s, clock: systemClock, logger: silentLogger() });
  try {
    second.start();
    await until(() => rx.delivered().length === 1, 'sent again after the restart');
    assert.equal(rx.delivered()[0]!.id, rx.received[0]!.body.id, 'with the same event id (at least once)');
  } finally {
    await second.stop();
    await rx.close();
  }
});
