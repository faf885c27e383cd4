// Stratum load generator: holds many sessions against a server process on 127.0.0.1, measures
// notify fan-out and share throughput and latency, and the server's memory per session.
// Bounded in sessions and time. Usage:
//   node --expose-gc --import tsx perf/stratum-load.ts [--sessions 10000] [--seconds 10] [--active 500] [--inflight 8] [--bits 20]
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createHasher, loadOrCreateTable, targetOfHash } from '../src/lxr/index.js';
import { StratumClient } from '../src/stratum/client.js';
import { monotonicMs } from '../src/stratum/clock.js';

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

const serverEntry = fileURLToPath(new URL('./stratum-server' + (import.meta.url.endsWith('.ts') ? '.ts' : '.js'), import.meta.url));
const child = fork(serverEntry, [], {
  execArgv: [...(import.meta.url.endsWith('.ts') ? ['--expose-gc', '--import', 'tsx'] : ['--expose-gc']), ...(process.env.LOAD_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.LOAD_PROFILE] : [])],
  env: { ...process.env, LOAD_BITS: String(BITS) },
});
const replies: ((m: any) => void)[] = [];
child.on('message', (m: any) => replies.shift()?.(m));
const ask = (msg: object | null) =>
  new Promise<any>((resolve) => {
    replies.push(resolve);
    if (msg) child.send(msg);
  });

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const mb = (n: number) => (n / 1048576).toFixed(1);

const ready = await ask(null);
const port: number = ready.port;
const mem0 = await ask({ cmd: 'mem' });

// 1. Hold sessions.
const clients: StratumClient[] = [];
const nonces: number[] = [];
const t0 = monotonicMs();
for (let i = 0; i < SESSIONS; i += 500) {
  await Promise.all(
    Array.from({ length: Math.min(500, SESSIONS - i) }, async (_, k) => {
      const c = new StratumClient({ host: '127.0.0.1', port, requestTimeoutMs: 60_000 });
      await c.connect();
      const sub = c.subscribe('load/1');
      const auth = c.authorize(`user${i + k}@load.test`, 'm');
      nonces[i + k] = (await sub).nonce;
      if (!(await auth).ok) throw new Error('authorize failed');
      clients[i + k] = c;
    }),
  );
}
const connectSeconds = (monotonicMs() - t0) / 1000;
const mem1 = await ask({ cmd: 'mem' });
const perSession = (mem1.rss - mem0.rss) / SESSIONS;
const heapPerSession = (mem1.heapUsed - mem0.heapUsed) / SESSIONS;

// 2. Notify fan-out: time until every session has the job (client side) and the server's loop time.
const fanouts: { serverMs: number; cpuMs: number; allMs: number; p50: number; p99: number; sent: number; skipped: number }[] = [];
let jobId = 100;
let oprHash = Buffer.alloc(32);
for (let j = 0; j < JOBS; j++) {
  jobId += 1;
  oprHash = Buffer.alloc(32, jobId & 255);
  const arrivals: number[] = [];
  const got = new Promise<void>((resolve) => {
    let n = 0;
    for (const c of clients)
      c.once('notify', () => {
        arrivals.push(monotonicMs());
        if (++n === clients.length) resolve();
      });
  });
  const sentAt = monotonicMs();
  const res = await ask({ cmd: 'job', id: jobId, oprHash: oprHash.toString('hex') });
  await got;
  const lat = arrivals.map((a) => a - sentAt);
  fanouts.push({ serverMs: res.fanout.ms, cpuMs: res.fanout.cpuMs, allMs: Math.max(...lat), p50: pct(lat, 50), p99: pct(lat, 99), sent: res.fanout.sent, skipped: res.fanout.skipped });
  await new Promise((r) => setTimeout(r, 200));
}

// 3. Shares: ACTIVE sessions each keep INFLIGHT submits outstanding for SECONDS.
const table = await loadOrCreateTable({ bits: BITS });
const hasher = createHasher(table);
const LEN = 32 + 9;
function makeShares(session: number, from: number, count: number): { nonce: string; target: string }[] {
  const src = new Uint8Array(LEN * count);
  for (let i = 0; i < count; i++) {
    src.set(oprHash, i * LEN);
    const v = new DataView(src.buffer, i * LEN + 32, 9);
    v.setUint32(0, nonces[session]!);
    v.setUint8(4, 0);
    v.setUint32(5, from + i);
  }
  const out = hasher.hashBatch(src, LEN, count);
  return Array.from({ length: count }, (_, i) => ({
    nonce: Buffer.from(src.subarray(i * LEN + 32, (i + 1) * LEN)).toString('hex'),
    target: targetOfHash(out, i * 32).toString(16),
  }));
}
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
    let queue: { nonce: string; target: string }[] = [];
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
  fanout: fanouts.map((f) => ({ serverLoopMs: +f.serverMs.toFixed(1), serverCpuMs: +f.cpuMs.toFixed(1), p50Ms: +f.p50.toFixed(1), p99Ms: +f.p99.toFixed(1), allMs: +f.allMs.toFixed(1), sent: f.sent, skipped: f.skipped })),
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
child.send({ cmd: 'exit' });
await new Promise((r) => child.once('exit', r));
