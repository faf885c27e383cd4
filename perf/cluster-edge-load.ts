// One edge's share relay under load, in a process of its own (forked by perf/cluster-relay.ts):
// the real EdgeShareSink publishing accepted shares to JetStream with `inflight` outstanding,
// each awaited as the Stratum server awaits it before answering the miner. Reports shares
// published and the accept() latency (what the relay adds to a miner's answer).
//   parent -> {servers, prefix, edgeId, seconds, inflight, users, spoolDir}
//   child  -> {published, seconds, p50Ms, p99Ms}
import { createEdgeSpool, EdgeShareSink, NatsLink, clusterNames } from '../src/cluster/index.js';
import { monotonicMs } from '../src/stratum/clock.js';
import { pct } from './stratum-load-lib.js';

interface Start { servers: string; prefix: string; edgeId: string; seconds: number; inflight: number; users: string[]; spoolDir: string; jobId: number }

process.once('message', (o: Start) => void run(o));
process.send?.({ ready: true });

async function run(o: Start): Promise<void> {
  const link = new NatsLink({ servers: o.servers });
  await link.ready();
  const sink = new EdgeShareSink({ link, names: clusterNames(o.prefix), edgeId: o.edgeId, spool: createEdgeSpool({ dir: o.spoolDir, maxBytes: 1 << 30, now: Date.now }) });
  const latencies: number[] = [];
  let counter = 0;
  const started = monotonicMs();
  const until = started + o.seconds * 1000;
  const edgeTag = Buffer.from(o.edgeId.slice(-4).padStart(4, '_'));
  const lane = async () => {
    while (monotonicMs() < until) {
      const i = counter++;
      const nonce = new Uint8Array(12);
      nonce.set(edgeTag, 0);
      new DataView(nonce.buffer).setUint32(8, i);
      const user = o.users[i % o.users.length]!;
      const at = monotonicMs();
      await sink.accept({
        jobId: o.jobId, userId: user, username: `u${user}`, minerId: `rig${i % 4}`, sessionId: `s${i % 64}`, ip: '127.0.0.1', nonce,
        target: 0xffff000000000000n + BigInt(i % 1000), assignedTarget: 0xffff000000000000n, submit: false, receivedAt: Date.now(),
      });
      latencies.push(monotonicMs() - at);
    }
  };
  await Promise.all(Array.from({ length: o.inflight }, lane));
  const seconds = (monotonicMs() - started) / 1000;
  process.send?.({ published: sink.published, spooled: sink.spooled, seconds, p50Ms: pct(latencies, 50), p99Ms: pct(latencies, 99) });
  await sink.close();
  await link.close();
  process.disconnect?.();
}
