import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, afterEach, before, test } from 'node:test';
import { createEdgeSpool, EdgeShareSink, encodeShare, NatsLink, ShareConsumer, shareMsgId, type ShareDelivery } from '../../src/cluster/index.js';
import { createLogger } from '../../src/log.js';
import { clusterFixture, makeShare, NATS_HOST, NATS_PORT, streamCount, TcpProxy, tempDir, waitFor } from './helpers.js';

let fx: Awaited<ReturnType<typeof clusterFixture>>;
let link: NatsLink;
before(async () => {
  fx = await clusterFixture();
  link = new NatsLink({ servers: `${NATS_HOST}:${NATS_PORT}` });
  await link.ready();
});
after(async () => {
  await link.close();
  await fx.close();
});

// A work-queue stream has one consumer (the coordinator): each test removes its own.
const dropConsumer = (durable: string) => fx.jsm.consumers.delete(fx.names.sharesStream, durable);
// Also after a failed test, so the next one does not fail for it.
afterEach(async () => {
  for await (const c of fx.jsm.consumers.list(fx.names.sharesStream)) await dropConsumer(c.name);
});

const publish = (edgeId: string, i: number) => {
  const s = { ...makeShare(i), edgeId };
  return fx.nc.jetstream().publish(fx.names.sharesSubject(edgeId), encodeShare(s), { msgID: shareMsgId(s) });
};

test('shares from an edge sink reach the callback once each, duplicates included, and are acked away', async () => {
  const spool = tempDir();
  const sink = new EdgeShareSink({ link, names: fx.names, edgeId: 'e1', spool: createEdgeSpool({ dir: spool.dir, maxBytes: 1 << 20, now: Date.now }) });
  const credited = new Map<string, ShareDelivery>();
  let calls = 0;
  const consumer = new ShareConsumer({
    link, names: fx.names, durable: 'c1',
    // Like the ledger: resolves a little later, in batches.
    handle: async (d) => {
      calls++;
      await new Promise((r) => setTimeout(r, 5));
      credited.set(d.id, d);
    },
  });
  await consumer.start();
  const shares = Array.from({ length: 50 }, (_, i) => makeShare(i));
  await Promise.all(shares.map((s) => sink.accept(s)));
  // Every one published again (an edge retrying): JetStream drops them as duplicates.
  await Promise.all(shares.map((s) => sink.accept(s)));
  await waitFor('50 credits', () => credited.size === 50);
  await waitFor('all acked', async () => (await streamCount(fx.jsm, fx.names.sharesStream)) === 0);
  assert.equal(calls, 50);
  assert.equal(sink.duplicates, 50);
  const d = credited.get(shareMsgId(shares[10]!))!;
  assert.deepEqual(d.share, { ...shares[10]!, edgeId: 'e1' });
  assert.equal(d.deliveryCount, 1);
  await consumer.stop();
  await dropConsumer('c1');
  await sink.close();
  spool.remove();
});

test('after a coordinator restart the unacked shares come again and the acked ones never do', async () => {
  const ackWaitMs = 800;
  const firstRun = new Set<string>();
  const hung = new Set<string>();
  const c1 = new ShareConsumer({
    // maxInFlight below the hung count: stop() must not wait for a free slot that never comes.
    link, names: fx.names, durable: 'restart', ackWaitMs, maxInFlight: 8,
    handle: (d) => {
      // The coordinator dies while crediting the odd nonces: those callbacks never finish.
      if (d.share.nonce[7]! % 2 === 1) {
        hung.add(d.id);
        return new Promise<void>(() => {});
      }
      firstRun.add(d.id);
      return Promise.resolve();
    },
  });
  await c1.start();
  const all = new Set<string>();
  for (let i = 0; i < 20; i++) all.add(shareMsgId((await publish('r', 200 + i), makeShare(200 + i))));
  // In stream order: the evens are credited, the odds hang until all 8 slots are taken.
  await waitFor('every slot taken by a hung credit', () => hung.size === 8);
  await waitFor('eight confirmed acks', () => c1.handled === 8);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(c1.handled, 8);
  assert.equal(firstRun.size, 8);
  await c1.stop({ waitMs: 0 });

  const secondRun: ShareDelivery[] = [];
  const c2 = new ShareConsumer({ link, names: fx.names, durable: 'restart', ackWaitMs, handle: async (d) => void secondRun.push(d) });
  await c2.start();
  const expected = [...all].filter((id) => !firstRun.has(id));
  await waitFor('the unacked shares again', () => secondRun.length === expected.length, 5000);
  await new Promise((r) => setTimeout(r, ackWaitMs + 200)); // nothing else comes after another ack wait
  assert.equal(secondRun.length, 12);
  assert.deepEqual(new Set(secondRun.map((d) => d.id)), new Set(expected));
  for (const id of hung) assert.ok(expected.includes(id));
  for (const d of secondRun.filter((x) => hung.has(x.id))) assert.ok(d.deliveryCount >= 2, 'marked as redelivered');
  assert.equal(secondRun.filter((d) => firstRun.has(d.id)).length, 0);
  await waitFor('stream empty', async () => (await streamCount(fx.jsm, fx.names.sharesStream)) === 0);
  await c2.stop();
  await dropConsumer('restart');
});

test('garbage and a share on another edge\'s subject are moved to the dead-letter stream with a log; a failing callback is retried, then dead-lettered', async () => {
  const lines: string[] = [];
  const log = createLogger({ level: 'warn', destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) });
  const ok: string[] = [];
  let failures = 0;
  const consumer = new ShareConsumer({
    link, names: fx.names, durable: 'bad', log, maxDeliver: 3, retryDelayMs: 20,
    handle: async (d) => {
      if (d.share.userId === '999') {
        failures++;
        throw new Error('user 999 does not exist');
      }
      ok.push(d.id);
    },
  });
  await consumer.start();
  const js = fx.nc.jetstream();
  await js.publish(fx.names.sharesSubject('g'), Buffer.from([0xde, 0xad, 0xbe, 0xef]), { msgID: 'garbage-1' });
  await js.publish(fx.names.sharesSubject('g'), new Uint8Array(0), { msgID: 'garbage-2' });
  await publish('g', 501);
  const poison = { ...makeShare(502, { userId: '999' }), edgeId: 'g' };
  await js.publish(fx.names.sharesSubject('g'), encodeShare(poison), { msgID: shareMsgId(poison) });
  await publish('g', 503);
  const spoofed = { ...makeShare(505), edgeId: 'other' };
  await js.publish(fx.names.sharesSubject('g'), encodeShare(spoofed), { msgID: 'spoofed' });

  await waitFor('good shares credited', () => ok.length === 2);
  await waitFor('four dead letters', () => consumer.deadLettered === 4);
  assert.equal(failures, 3, 'the failing share was tried maxDeliver times');
  assert.equal(await streamCount(fx.jsm, fx.names.deadStream), 4);
  const dead = await fx.jsm.streams.getMessage(fx.names.deadStream, { seq: (await fx.jsm.streams.info(fx.names.deadStream)).state.first_seq });
  assert.deepEqual([...dead.data], [0xde, 0xad, 0xbe, 0xef]);
  assert.match(dead.header.get('Prosper-Reason'), /not msgpack|not a map/);
  assert.equal(dead.header.get('Prosper-Subject'), fx.names.sharesSubject('g'));
  assert.ok(lines.some((l) => l.includes('share dead-lettered')));
  await waitFor('stream empty', async () => (await streamCount(fx.jsm, fx.names.sharesStream)) === 0);
  // Still consuming after all that.
  await publish('g', 504);
  await waitFor('a share after the bad ones', () => ok.length === 3);
  await consumer.stop();
  await dropConsumer('bad');
});

test('the consumer carries on after its own link to NATS drops and returns', async () => {
  const proxy = new TcpProxy();
  await proxy.open();
  const coord = new NatsLink({ servers: `127.0.0.1:${proxy.port}`, reconnectWaitMs: 50 });
  await coord.ready();
  const got = new Set<string>();
  let calls = 0;
  const consumer = new ShareConsumer({ link: coord, names: fx.names, durable: 'blip', ackWaitMs: 1000, ackConfirmTimeoutMs: 1000, handle: async (d) => void (calls++, got.add(d.id)) });
  await consumer.start();
  for (let i = 0; i < 5; i++) await publish('b', 300 + i);
  await waitFor('first five', () => got.size === 5);
  await proxy.cut();
  await waitFor('coordinator link down', () => !coord.up);
  for (let i = 5; i < 10; i++) await publish('b', 300 + i);
  await proxy.open();
  await waitFor('the five sent during the outage', () => got.size === 10, 8000);
  await waitFor('stream empty', async () => (await streamCount(fx.jsm, fx.names.sharesStream)) === 0);
  // A confirmation lost in the cut is the only way a share comes twice (and says so).
  // Wait until every call's ack is settled: confirmed, or timed out (sent into the cut).
  await waitFor('every ack confirmed or known lost', () => consumer.handled + consumer.ackFailures === calls, 5000);
  assert.equal(got.size, 10);
  assert.ok(calls <= 10 + consumer.ackFailures, `${calls} calls, ${consumer.ackFailures} lost confirmations`);
  await consumer.stop();
  await dropConsumer('blip');
  await coord.close();
  await proxy.cut();
});
