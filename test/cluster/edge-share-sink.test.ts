import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createEdgeSpool, decodeShare, EdgeShareSink, encodeShare, NatsLink, shareMsgId } from '../../src/cluster/index.js';
import { isProsperError } from '../../src/errors.js';
import { capturedLogger } from '../faults/helpers.js';
import { clusterFixture, makeShare, NATS_HOST, NATS_PORT, streamCount, tempDir, TcpProxy, waitFor } from './helpers.js';

let fx: Awaited<ReturnType<typeof clusterFixture>>;
before(async () => (fx = await clusterFixture()));
after(async () => fx.close());

const now = () => Date.now();

/** Every share id stored in the shares stream (read directly, nothing acked). */
async function storedIds(edgeId: string): Promise<string[]> {
  const n = await streamCount(fx.jsm, fx.names.sharesStream);
  const ids: string[] = [];
  const info = await fx.jsm.streams.info(fx.names.sharesStream);
  for (let seq = info.state.first_seq; ids.length < n && seq <= info.state.last_seq; seq++) {
    const m = await fx.jsm.streams.getMessage(fx.names.sharesStream, { seq }).catch(() => undefined);
    if (!m) continue;
    const s = decodeShare(m.data);
    if (s.edgeId === edgeId) ids.push(shareMsgId(s));
  }
  return ids;
}

test('accept() resolves after JetStream stored the share; a retried share is stored once', async () => {
  const link = new NatsLink({ servers: `${NATS_HOST}:${NATS_PORT}` });
  await link.ready();
  const spool = tempDir();
  const sink = new EdgeShareSink({ link, names: fx.names, edgeId: 'direct', spool: createEdgeSpool({ dir: spool.dir, maxBytes: 1 << 20, now }) });
  const shares = [0, 1, 2, 3, 4].map((i) => makeShare(i));
  await Promise.all(shares.map((s) => sink.accept(s)));
  // Already in the stream when accept() resolved: no waiting needed.
  const ids = await storedIds('direct');
  assert.deepEqual(ids.sort(), shares.map((s) => shareMsgId(s)).sort());
  // The Stratum layer retrying the same share (and a fresh sink after an edge restart) changes nothing.
  await sink.accept(shares[2]!);
  const sink2 = new EdgeShareSink({ link, names: fx.names, edgeId: 'direct', spool: createEdgeSpool({ dir: spool.dir, maxBytes: 1 << 20, now }) });
  await sink2.accept({ ...shares[3]!, receivedAt: 1 });
  assert.equal((await storedIds('direct')).length, 5);
  assert.equal(sink.published + sink2.published, 7);
  assert.equal(sink.duplicates + sink2.duplicates, 2);
  assert.equal(sink.spooled, 0);
  await Promise.all([sink.close(), sink2.close()]);
  await link.close();
  spool.remove();
});

test('with NATS unreachable from the start, shares are spooled and replayed exactly once when it appears', async () => {
  const proxy = new TcpProxy();
  await proxy.reserve(); // nothing listens yet: connection refused
  const link = new NatsLink({ servers: `127.0.0.1:${proxy.port}`, reconnectWaitMs: 50 });
  const spool = tempDir();
  const sink = new EdgeShareSink({ link, names: fx.names, edgeId: 'boot', spool: createEdgeSpool({ dir: spool.dir, maxBytes: 1 << 20, now }), replayIntervalMs: 50 });
  const shares = Array.from({ length: 20 }, (_, i) => makeShare(100 + i));
  await Promise.all(shares.map((s) => sink.accept(s)));
  assert.equal(sink.spooled, 20);
  assert.equal(sink.backlog, 20);
  assert.equal((await storedIds('boot')).length, 0);
  // One share did reach the stream before (an ack lost on the way back): its replay is a duplicate.
  await fx.nc.jetstream().publish(fx.names.sharesSubject('boot'), encodeShare({ ...shares[4]!, edgeId: 'boot' }), { msgID: shareMsgId(shares[4]!) });

  await proxy.open();
  await waitFor('the spool replayed', () => sink.backlog === 0);
  const ids = await storedIds('boot');
  assert.equal(ids.length, 20);
  assert.equal(new Set(ids).size, 20);
  assert.equal(sink.replayed, 20);
  assert.equal(sink.duplicates, 1);
  await sink.close();
  await link.close();
  await proxy.cut();
  spool.remove();
});

test('a link cut mid-run spools, replays on reconnect, and shares spooled by a killed edge go out on its next start', async () => {
  const proxy = new TcpProxy();
  await proxy.open();
  const link = new NatsLink({ servers: `127.0.0.1:${proxy.port}`, reconnectWaitMs: 50 });
  await link.ready();
  const spool = tempDir();
  const mkSpool = () => createEdgeSpool({ dir: spool.dir, maxBytes: 1 << 20, now });
  const log = capturedLogger();
  const sink = new EdgeShareSink({ link, names: fx.names, edgeId: 'cut', spool: mkSpool(), replayIntervalMs: 50, publishTimeoutMs: 500, log: log.logger });
  await sink.accept(makeShare(301));
  await proxy.cut();
  await waitFor('link down', () => !link.up);
  for (let i = 302; i <= 306; i++) await sink.accept(makeShare(i));
  // A known outage goes straight to the spool: no publish is tried (none fails, none waits for its timeout).
  assert.equal(log.count(/share publish failed/), 0, log.tail());
  assert.deepEqual([sink.published, sink.spooled], [1, 5]);
  assert.equal(sink.backlog, 5);
  // The edge is killed with a backlog: its sink is gone, the files stay.
  await sink.close();
  await link.close();

  await proxy.open();
  const link2 = new NatsLink({ servers: `127.0.0.1:${proxy.port}`, reconnectWaitMs: 50 });
  const sink2 = new EdgeShareSink({ link: link2, names: fx.names, edgeId: 'cut', spool: mkSpool(), replayIntervalMs: 50 });
  assert.equal(sink2.backlog, 5, 'the new sink found the earlier run\'s spool');
  await waitFor('the earlier run\'s spool replayed', () => sink2.backlog === 0);
  const ids = await storedIds('cut');
  assert.deepEqual(ids.sort(), [301, 302, 303, 304, 305, 306].map((i) => shareMsgId(makeShare(i))).sort());
  await sink2.close();
  await link2.close();
  await proxy.cut();
  spool.remove();
});

test('a full spool refuses the share (the miner is not told "accepted"); an unreadable spool file is quarantined', async () => {
  const proxy = new TcpProxy();
  await proxy.reserve();
  const link = new NatsLink({ servers: `127.0.0.1:${proxy.port}`, reconnectWaitMs: 50 });
  const spool = tempDir();
  const one = encodeShare({ ...makeShare(401), edgeId: 'full' }).length;
  const edgeSpool = createEdgeSpool({ dir: spool.dir, maxBytes: one * 3 + 2, now });
  const sink = new EdgeShareSink({ link, names: fx.names, edgeId: 'full', spool: edgeSpool, replayIntervalMs: 50 });
  for (let i = 401; i <= 403; i++) await sink.accept(makeShare(i));
  await assert.rejects(sink.accept(makeShare(404)), (e: unknown) => isProsperError(e, 'PROSPER_E_CLUSTER_SPOOL_FULL'));
  assert.equal(sink.backlog, 3);
  edgeSpool.remove(edgeSpool.entries()[2]!);
  edgeSpool.write(Buffer.from('torn write'));
  await proxy.open();
  await waitFor('replay', () => sink.backlog === 0);
  assert.equal((await storedIds('full')).length, 2);
  assert.equal(sink.replayed, 2);
  await sink.close();
  await link.close();
  await proxy.cut();
  spool.remove();
});
