// Scale-out relay (issue 12): shares per second from 1 and from 3 edges into one coordinator, and
// the latency the relay adds to a miner's answer. Real parts: nats-server with JetStream
// (127.0.0.1:4222, streams under a fresh prefix, deleted after), edge processes running the real
// EdgeShareSink (perf/cluster-edge-load.ts), and in this process the coordinator's real credit
// path: the durable ShareConsumer -> ShareRouter -> ShareLedger (group commit) -> PostgreSQL
// (127.0.0.1:5432, database test, a fresh schema). Beside it, the standalone path at the same
// concurrency: ShareLedger.credit straight to PostgreSQL, which is what a miner waits for on a
// single-machine pool. Prints Markdown for perf/RESULTS.md.
//   node --import tsx perf/cluster-relay.ts [--edges 1,3] [--seconds 10] [--inflight 64]
// RELAY_PROBE=1 prints the consumer's progress (credited, pending, ack-pending) every 2 s and logs
// the consumer; RELAY_CONFIRM=1 waits for each ack's confirmation (the slower, safer mode).
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createShareLedger } from '../src/accounting/index.js';
import { clusterNames, deleteClusterStreams, ensureClusterStreams, NatsLink, ShareConsumer } from '../src/cluster/index.js';
import { createPoolBus, ShareRouter } from '../src/pool/index.js';
import { createLogger, silentLogger } from '../src/log.js';
import { createSqlStore, openPostgres, type SqlDatabase, type Store } from '../src/store/index.js';
import { monotonicMs } from '../src/stratum/clock.js';
import { SubmissionGate } from '../src/submit/index.js';
import { pct } from './stratum-load-lib.js';

const { values } = parseArgs({ options: { edges: { type: 'string', default: '1,3' }, seconds: { type: 'string', default: '10' }, inflight: { type: 'string', default: '64' } } });
const EDGES = values.edges!.split(',').map(Number);
const SECONDS = Math.min(60, Number(values.seconds));
const INFLIGHT = Math.min(1024, Number(values.inflight));
const SERVERS = process.env.PROSPER_NATS ?? '127.0.0.1:4222';
const TS = import.meta.url.endsWith('.ts');
const edgeEntry = fileURLToPath(new URL('./cluster-edge-load' + (TS ? '.ts' : '.js'), import.meta.url));
const JOB = 1000;

async function makeUsers(store: Store, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const code = `perf-${i}-${randomBytes(4).toString('hex')}`;
    await store.createInviteCodes([code], new Date());
    const r = await store.registerWithInvite({ email: `perf${i}@relay.test`, passwordHash: 'x', payoutAddress: '' }, code, new Date());
    if (!r.ok) throw new Error('user not created');
    ids.push(r.user.id.toString());
  }
  return ids;
}

async function withSchema<T>(fn: (db: SqlDatabase, store: Store) => Promise<T>): Promise<T> {
  const schema = `perf_relay_${randomBytes(4).toString('hex')}`;
  const db = await openPostgres({ host: '127.0.0.1', port: 5432, user: 'postgres', password: '', dbname: 'test', schema });
  try {
    return await fn(db, await createSqlStore(db));
  } finally {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.close();
  }
}

/** The standalone path: what a single-machine pool's miner waits for (credit durable in PostgreSQL). */
async function standalone(): Promise<{ perSecond: number; p50Ms: number; p99Ms: number }> {
  return withSchema(async (_db, store) => {
    const users = await makeUsers(store, 16);
    const ledger = createShareLedger({ store, now: Date.now });
    const latencies: number[] = [];
    let n = 0;
    const started = monotonicMs();
    const until = started + SECONDS * 1000;
    await Promise.all(Array.from({ length: INFLIGHT }, async () => {
      while (monotonicMs() < until) {
        const i = n++;
        const at = monotonicMs();
        await ledger.credit({ jobId: JOB, userId: BigInt(users[i % users.length]!), miner: `rig${i % 4}`, assignedTarget: 0xffff000000000000n });
        latencies.push(monotonicMs() - at);
      }
    }));
    const seconds = (monotonicMs() - started) / 1000;
    await ledger.close();
    return { perSecond: Math.round(latencies.length / seconds), p50Ms: pct(latencies, 50), p99Ms: pct(latencies, 99) };
  });
}

interface EdgeResult { published: number; spooled: number; seconds: number; p50Ms: number; p99Ms: number }

async function relay(edges: number): Promise<Record<string, number>> {
  return withSchema(async (_db, store) => {
    const users = await makeUsers(store, 16);
    const names = clusterNames(`perf${randomBytes(4).toString('hex')}`);
    const link = new NatsLink({ servers: SERVERS });
    const jsm = await link.jetstreamManager();
    await ensureClusterStreams(jsm, names, { duplicateWindowMs: 120_000 });
    const ledger = createShareLedger({ store, now: Date.now });
    const gate = new SubmissionGate({ emaN: 36, cutoff: 200 });
    const router = new ShareRouter({
      ledger, gate, bus: createPoolBus(silentLogger()), jobOf: () => undefined, oprChainId: new Uint8Array(32), logger: silentLogger(),
      writer: { submit: () => Promise.reject(new Error('no submissions in this benchmark')) },
    });
    const endToEnd: number[] = [];
    let credited = 0;
    const consumer = new ShareConsumer({
      link, names, maxInFlight: 512, confirmAcks: process.env.RELAY_CONFIRM === '1', log: process.env.RELAY_PROBE ? createLogger({ level: 'debug', name: 'relay' }) : undefined,
      handle: async (d) => {
        await router.accept(d.share, d.id);
        credited += 1;
        endToEnd.push(Date.now() - d.share.receivedAt);
      },
    });
    await consumer.start();
    const spool = mkdtempSync(join(tmpdir(), 'prosper-relay-'));
    const children = Array.from({ length: edges }, (_, e) => fork(edgeEntry, [], { execArgv: TS ? ['--import', 'tsx'] : [] }));
    await Promise.all(children.map((c) => new Promise((r) => c.once('message', r))));
    const started = monotonicMs();
    const probe = process.env.RELAY_PROBE ? setInterval(() => void jsm.consumers.info(names.sharesStream, consumer.durable).then((ci) => process.stderr.write(`t=${((monotonicMs() - started) / 1000).toFixed(0)}s credited=${credited} handled=${consumer.handled} pending=${ci.num_pending} ackPending=${ci.num_ack_pending} waiting=${ci.num_waiting} redelivered=${ci.num_redelivered}\n`)), 2000) : undefined;
    const results = await Promise.all(children.map((c, e) => new Promise<EdgeResult>((resolve) => {
      c.once('message', (m: EdgeResult) => resolve(m));
      c.send({ servers: SERVERS, prefix: names.prefix, edgeId: `edge${e}`, seconds: SECONDS, inflight: INFLIGHT, users, spoolDir: join(spool, `edge${e}`), jobId: JOB });
    })));
    const published = results.reduce((s, r) => s + r.published, 0);
    // The coordinator drains what the edges published (a backlog shows as a lower credit rate).
    while (credited < published && monotonicMs() - started < (SECONDS + 120) * 1000) await new Promise((r) => setTimeout(r, 50));
    const creditSeconds = (monotonicMs() - started) / 1000;
    clearInterval(probe);
    await consumer.stop();
    await ledger.close();
    await deleteClusterStreams(jsm, names);
    await link.close();
    rmSync(spool, { recursive: true, force: true });
    const stored = (await store.jobCredits(JOB)).reduce((n, r) => n + r.shares, 0n);
    if (stored !== BigInt(published)) throw new Error(`credited ${stored} shares for ${published} published`);
    return {
      edges,
      publishedPerSecond: Math.round(published / Math.max(...results.map((r) => r.seconds))),
      creditedPerSecond: Math.round(credited / creditSeconds),
      edgeAckP50Ms: Math.max(...results.map((r) => r.p50Ms)),
      edgeAckP99Ms: Math.max(...results.map((r) => r.p99Ms)),
      endToEndP50Ms: pct(endToEnd, 50),
      endToEndP99Ms: pct(endToEnd, 99),
      spooled: results.reduce((s, r) => s + r.spooled, 0),
    };
  });
}

const base = await standalone();
const rows = [];
for (const n of EDGES) rows.push(await relay(n));
const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const lines = [
  `cluster relay: ${SECONDS} s per run, ${INFLIGHT} shares outstanding per edge, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
  '',
  '| path | shares/s acknowledged | shares/s credited | miner-visible ack p50 / p99 (ms) | edge -> credited p50 / p99 (ms) |',
  '|---|---|---|---|---|',
  `| standalone (credit to PostgreSQL) | ${base.perSecond} | ${base.perSecond} | ${fmt(base.p50Ms)} / ${fmt(base.p99Ms)} | - |`,
  ...rows.map((r) => `| ${r.edges} edge${r.edges > 1 ? 's' : ''} -> coordinator | ${r.publishedPerSecond} | ${r.creditedPerSecond} | ${fmt(r.edgeAckP50Ms)} / ${fmt(r.edgeAckP99Ms)} | ${fmt(r.endToEndP50Ms)} / ${fmt(r.endToEndP99Ms)} |`),
];
process.stdout.write(lines.join('\n') + '\n');
