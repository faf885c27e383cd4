// Stratum load generator: holds many sessions against a server process on 127.0.0.1, measures
// notify fan-out and share throughput and latency, and the server's memory per session.
// Bounded in sessions and time. Usage:
//   node --expose-gc --import tsx perf/stratum-load.ts [--sessions 10000] [--seconds 10] [--active 500] [--inflight 8] [--bits 20]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { monotonicMs } from '../src/stratum/clock.js';
import { connectSessions, mb, measureFanout, pct, ShareMaker, startLoadServer, type FanoutFigures, type Share } from './stratum-load-lib.js';

const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '10' },
    active: { type: 'string', default: '500' },
    inflight: { type: 'string', default: '8' },
    bits: { type: 'string', default: '20' },
    jobs: { type: 'string', default: '5' },
  },
});
const SESSIONS = Math.min(15_000, Number(values.sessions));
const SECONDS = Math.min(120, Number(values.seconds));
const ACTIVE = Math.min(SESSIONS, Number(values.active));
const INFLIGHT = Math.min(64, Number(values.inflight));
const BITS = Number(values.bits);
const JOBS = Math.min(20, Number(values.jobs));

const server = await startLoadServer({ LOAD_BITS: String(BITS) });
const { port, ask } = server;
const mem0 = await ask({ cmd: 'mem' });

// 1. Hold sessions.
const t0 = monotonicMs();
const sessions = await connectSessions(port, 0, SESSIONS);
const clients = sessions.map((x) => x.client);
const nonces = sessions.map((x) => x.nonce);
const connectSeconds = (monotonicMs() - t0) / 1000;
const mem1 = await ask({ cmd: 'mem' });
const perSession = (mem1.rss - mem0.rss) / SESSIONS;
const heapPerSession = (mem1.heapUsed - mem0.heapUsed) / SESSIONS;

// 2. Notify fan-out: time until every session has the job (client side) and the server's loop time.
const fanouts: FanoutFigures[] = [];
let jobId = 100;
let oprHash = Buffer.alloc(32);
for (let j = 0; j < JOBS; j++) {
  jobId += 1;
  oprHash = Buffer.alloc(32, jobId & 255);
  fanouts.push(await measureFanout(server, sessions, jobId, oprHash));
  await new Promise((r) => setTimeout(r, 200));
}

// 3. Shares: ACTIVE sessions each keep INFLIGHT submits outstanding for SECONDS.
const maker = await ShareMaker.create(BITS);
const makeShares = (session: number, from: number, count: number): Share[] => maker.make(oprHash, nonces[session]!, from, count);
const latencies: number[] = [];
let accepted = 0;
let rejected = 0;
const until = monotonicMs() + SECONDS * 1000;
const oprHex = oprHash.toString('hex');
const shareStart = monotonicMs();
const cpuBefore = (await ask({ cmd: 'stats' })).cpu;
const acceptedBefore = (await ask({ cmd: 'stats' })).accepted;
await Promise.all(
  Array.from({ length: ACTIVE }, async (_, s) => {
    let counter = 0;
    let queue: Share[] = [];
    const c = clients[s]!;
    const lane = async () => {
      while (monotonicMs() < until) {
        if (queue.length === 0) {
          queue = makeShares(s, counter, 64);
          counter += 64;
        }
        const sh = queue.pop()!;
        const at = monotonicMs();
        const r = await c.submit(`user${s}@load.test`, jobId, sh.nonce, oprHex, sh.target);
        latencies.push(monotonicMs() - at);
        if (r.ok) accepted++;
        else rejected++;
      }
    };
    await Promise.all(Array.from({ length: INFLIGHT }, lane));
  }),
);
const shareSeconds = (monotonicMs() - shareStart) / 1000;
const stats = await ask({ cmd: 'stats' });
const serverCpuUs = stats.cpu.user + stats.cpu.system - cpuBefore.user - cpuBefore.system;
const serverCpuPerShareUs = serverCpuUs / Math.max(1, stats.accepted - acceptedBefore);
const mem2 = await ask({ cmd: 'mem' });

const report = {
  loadAverage: loadavg().map((x) => +x.toFixed(2)),
  sessions: SESSIONS,
  held: mem1.sessions,
  connectSeconds: +connectSeconds.toFixed(2),
  serverRssMB: { empty: mb(mem0.rss), held: mb(mem1.rss), afterShares: mb(mem2.rss) },
  memoryPerSessionKB: { rss: +(perSession / 1024).toFixed(2), heap: +(heapPerSession / 1024).toFixed(2) },
  fanout: fanouts.map((f) => ({ serverLoopMs: +f.serverLoopMs.toFixed(1), serverCpuMs: +f.serverCpuMs.toFixed(1), p50Ms: +f.p50Ms.toFixed(1), p99Ms: +f.p99Ms.toFixed(1), allMs: +f.allMs.toFixed(1), sent: f.sent, skipped: f.skipped })),
  shares: {
    activeSessions: ACTIVE,
    inflightPerSession: INFLIGHT,
    seconds: +shareSeconds.toFixed(2),
    accepted,
    rejected,
    perSecond: Math.round(accepted / shareSeconds),
    latencyP50Ms: +pct(latencies, 50).toFixed(2),
    latencyP99Ms: +pct(latencies, 99).toFixed(2),
    serverAccepted: stats.accepted,
    serverCpuPerShareUs: +serverCpuPerShareUs.toFixed(1),
    serverSharesPerCpuSecond: Math.round(1e6 / serverCpuPerShareUs),
  },
  tableBits: BITS,
};
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
for (const c of clients) c.close();
await server.exit();
