// Issue 12, item 4: a coordinator and three edges as real processes on loopback, with their own
// nats-server (so the test may restart it) and the shared PostgreSQL. Miners (real Stratum
// sessions grinding real LXRHash shares, in their own processes) spread across the edges; an
// edge is SIGKILLed mid-job and restarted, NATS is restarted mid-job: every acknowledged share
// is credited exactly once, and each settled job splits its reward exactly as the
// single-machine accountant does from the same credit.
import { statementSignedBy } from '../../src/verify/index.js';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { splitReward } from '../../src/accounting/index.js';
import { spawnCli, stopProc, until, type Proc } from '../e2e/helpers.js';
import { assertNothingLost, BITS, creditedByMiner, dropSchema, freePort, MinerLoad, sleep, tempDir, uniqueSchema, writePoolToml } from '../faults/helpers.js';
import type { LoadReport } from '../faults/load-types.js';
import { uniquePrefix } from './helpers.js';

const NATS_BIN = '/usr/sbin/nats-server';
const DB = { host: '127.0.0.1', port: 5432, database: 'test', schema: uniqueSchema('cluster') };
/**
 * Every wait below is for a condition (a log line, a count of acknowledged shares), never for a
 * time; this deadline only reports a step that is stuck. Shares come at the pool's easiest
 * target (about 65 536 hashes each) from miners that grind half of the time, so a loaded 2-core
 * machine can take minutes for a step: the deadline is generous.
 */
const STEP_MS = 300_000;

/** A nats-server of the test's own: JetStream on disk in `dir`, so a restart keeps the streams. */
class PrivateNats {
  child: ChildProcess | undefined;
  constructor(readonly port: number, readonly dir: string) {}
  async start(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    this.child = spawn(NATS_BIN, ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.dir], { stdio: 'ignore' });
    await until(async () => portOpen(this.port), STEP_MS, 'nats-server listening');
  }
  async stop(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return;
    c.kill('SIGTERM');
    await new Promise((r) => c.once('exit', r));
  }
}

async function portOpen(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false));
  });
}

const dir = tempDir('cluster');
const procs: Proc[] = [];
const loads: MinerLoad[] = [];
let nats: PrivateNats | undefined;
after(async () => {
  for (const l of loads) l.kill();
  await Promise.all(procs.map((p) => stopProc(p, 'SIGKILL', 1000)));
  await nats?.stop();
  await dropSchema(DB);
  rmSync(dir, { recursive: true, force: true });
});

function clusterToml(name: string, role: 'coordinator' | 'edge', natsPort: number, prefix: string, stratumPort: number): string {
  const own = join(dir, name);
  mkdirSync(own, { recursive: true });
  return writePoolToml({
    dir: own,
    stratumPort,
    postgres: { host: DB.host, port: DB.port, dbname: DB.database, schema: DB.schema },
    blocktime: '6s',
    extra: `[cluster]\nrole = "${role}"\nnats = "nats://127.0.0.1:${natsPort}"\nprefix = "${prefix}"\nedgeid = "${name}"\nlxrbits = ${BITS}\nreportinterval = "500ms"\nspooldir = "${join(own, 'edge-spool')}"\n`,
  });
}

function startProcess(name: string, config: string): Proc {
  const p = spawnCli('prosper-pool', ['--config', config], { HOME: join(dir, name), LXRBITSIZE: String(BITS), PROSPER_LOG_PRETTY: '0' });
  procs.push(p);
  return p;
}

async function running(p: Proc, what: RegExp, name: string): Promise<void> {
  await until(() => what.test(p.out()), STEP_MS, `${name} running`, () => p.out().slice(-3000));
}

async function metric(webPort: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${webPort}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

test('a coordinator and three edges: an edge killed, NATS restarted and the coordinator killed mid-job lose and double nothing; the split is the single-machine split', { timeout: 1_800_000 }, async (t) => {
  if (!existsSync(NATS_BIN)) {
    assert.fail(`${NATS_BIN} is required (Debian package nats-server; .ci/run starts one)`);
  }
  nats = new PrivateNats(await freePort(), join(dir, 'nats'));
  await nats.start();
  const prefix = uniquePrefix();

  const webPort = await freePort();
  const coordConfig = clusterToml('coord', 'coordinator', nats.port, prefix, 0);
  // The coordinator serves the web (its /metrics sums the edges).
  writeFileSync(coordConfig, readFileSync(coordConfig, 'utf8').replace('[web]\nport = 0', `[web]\nport = ${webPort}\nhost = "127.0.0.1"`));
  let coordinator = startProcess('coord', coordConfig);
  await running(coordinator, /"msg":"coordinator running"/, 'coordinator');

  const edgePorts = [await freePort(), await freePort(), await freePort()];
  const edgeConfigs = edgePorts.map((port, i) => clusterToml(`edge${i}`, 'edge', nats!.port, prefix, port));
  // Edge 0 serves its own /metrics.
  const edgeMetricsPort = await freePort();
  writeFileSync(edgeConfigs[0]!, readFileSync(edgeConfigs[0]!, 'utf8').replace('[web]\nport = 0', `[web]\nport = ${edgeMetricsPort}\nhost = "127.0.0.1"`));
  const edges = edgeConfigs.map((cfg, i) => startProcess(`edge${i}`, cfg));
  await Promise.all(edges.map((e, i) => running(e, /"msg":"edge running"/, `edge${i}`)));
  await Promise.all(edges.map((e, i) => until(() => /"msg":"job from the coordinator"/.test(e.out()), STEP_MS, `edge${i} has a job`, () => e.out().slice(-2000))));

  // Three sessions per edge, miners named per edge.
  for (const [i, port] of edgePorts.entries()) loads.push(await MinerLoad.start({ port, prefix: `e${i}m`, sessions: 3, inflight: 4, requestTimeoutMs: 60_000, reconnectMs: 300 }));
  await Promise.all(loads.map((l, i) => l.moreAcks(20, STEP_MS, `edge${i} warm-up`)));

  // The coordinator sees the edges: their sessions are summed into its /metrics.
  await until(async () => (await metric(webPort, 'prosper_stratum_sessions')) === 9, STEP_MS, 'nine sessions on the coordinator');
  const stats = (await (await fetch(`http://127.0.0.1:${webPort}/api/pool/stats`)).json()) as { connectedMiners: number };
  assert.equal(stats.connectedMiners, 9, 'the dashboard counts the miners on the edges');
  // Each edge can be scraped where it runs: its own sessions only.
  assert.equal(await metric(edgeMetricsPort, 'prosper_stratum_sessions'), 3);
  assert.ok((await metric(edgeMetricsPort, 'prosper_shares_total{result="accepted"}')) > 0);

  // Edge 1 is killed mid-job (no goodbye), then comes back under the same name.
  await stopProc(edges[1]!, 'SIGKILL', 0);
  await sleep(1500);
  edges[1] = startProcess('edge1', edgeConfigs[1]!);
  await running(edges[1], /"msg":"edge running"/, 'edge1 again');
  await loads[1]!.moreAcks(10, STEP_MS, 'edge1 after its restart');

  // NATS restarted mid-job: edges spool and keep acknowledging, then replay.
  const ackedBefore = loads.map((l) => l.progress.acked);
  await nats.stop();
  await Promise.all(loads.map((l, i) => l.moreAcks(10, STEP_MS, `edge${i} acknowledging while NATS is down`)));
  await nats.start();
  await Promise.all(loads.map((l, i) => l.moreAcks(10, STEP_MS, `edge${i} after NATS returned`)));
  assert.ok(loads.every((l, i) => l.progress.acked >= ackedBefore[i]! + 20));
  // The outage was real: the edges spooled what they acknowledged and replayed it.
  await until(() => edges.every((e) => /"msg":"replayed spooled shares"/.test(e.out())), STEP_MS, 'every edge replayed its spool', () => edges.map((e) => e.out().slice(-1500)).join('\n---\n'));

  // The coordinator SIGKILLed mid-job (credit written, acks maybe not sent) and restarted: it
  // resumes from its durable consumer; shares delivered again are credited once by their ids.
  await stopProc(coordinator, 'SIGKILL', 0);
  await Promise.all(loads.map((l, i) => l.moreAcks(5, STEP_MS, `edge${i} acknowledging while the coordinator is down`)));
  coordinator = startProcess('coord', coordConfig);
  await running(coordinator, /"msg":"coordinator running"/, 'coordinator again');
  await Promise.all(loads.map((l, i) => l.moreAcks(5, STEP_MS, `edge${i} after the coordinator returned`)));

  // Stop mining; wait until the coordinator has drained every edge's spool and the stream.
  const reports: LoadReport[] = await Promise.all(loads.map((l) => l.stop()));
  const merged: LoadReport = {
    acked: 0, refused: 0, unanswered: 0, connects: 0, refusals: {},
    miners: Object.assign({}, ...reports.map((r) => r.miners)) as LoadReport['miners'],
  };
  for (const r of reports) {
    merged.acked += r.acked;
    merged.refused += r.refused;
    merged.unanswered += r.unanswered;
  }
  await until(async () => {
    const c = await creditedByMiner(DB);
    return Object.entries(merged.miners).every(([m, n]) => (c.raw.get(m) ?? 0) >= n.acked);
  }, STEP_MS, 'every acknowledged share credited', () => JSON.stringify(merged.miners));
  await sleep(2000); // anything more that was going to arrive (it must not: see below)
  // Exactly once: the killed edge's miners may have shares credited whose answer died with the
  // edge (unanswered), never more; every other miner's credit equals its acknowledgements.
  assertNothingLost(merged, await creditedByMiner(DB), { exact: false });
  const credited = await creditedByMiner(DB);
  for (const [m, n] of Object.entries(merged.miners)) {
    if (!m.startsWith('e1m')) assert.equal(credited.raw.get(m), n.acked, `${m}: credited ${credited.raw.get(m)}, acknowledged ${n.acked}`);
  }
  assert.ok(merged.acked >= 150, `a real load: ${merged.acked} acknowledged`);
  t.diagnostic(`acknowledged ${merged.acked}, refused ${merged.refused}, unanswered ${merged.unanswered} (killed edge), refusals ${JSON.stringify(Object.assign({}, ...reports.map((r) => r.refusals)))}`);

  // Settlements: the coordinator's split of each settled job equals what the single-machine
  // accountant computes from the same credit (the same function over job_credits).
  await until(async () => (await settledJobs()).length > 0, STEP_MS, 'a job settled');
  const client = new pg.Client({ host: DB.host, port: DB.port, user: 'postgres', database: DB.database });
  await client.connect();
  try {
    for (const job of await settledJobs()) {
      const s = (await client.query(`SELECT reward, fee_rate_e8 FROM ${DB.schema}.job_settlements WHERE job_id = $1`, [job])).rows[0];
      const credits = (await client.query(`SELECT user_id, SUM(credit) AS credit FROM ${DB.schema}.job_credits WHERE job_id = $1 GROUP BY user_id ORDER BY user_id`, [job])).rows
        .map((r) => ({ userId: BigInt(r.user_id), credit: BigInt(r.credit) }));
      const plan = splitReward(BigInt(s.reward), BigInt(s.fee_rate_e8), credits);
      const owed = (await client.query(`SELECT user_id, amount FROM ${DB.schema}.owed WHERE job_id = $1 ORDER BY user_id`, [job])).rows
        .map((r) => [BigInt(r.user_id), BigInt(r.amount)]);
      assert.deepEqual(owed, plan.payouts.map((p) => [p.userId, p.amount]), `job ${job}`);
    }
    // The coordinator signs: every settled job with credit has a root under its published key.
    const { publicKey } = (await (await fetch(`http://127.0.0.1:${webPort}/api/pool/identity`)).json()) as { publicKey: string };
    const unsigned = `SELECT s.job_id FROM ${DB.schema}.job_settlements s LEFT JOIN ${DB.schema}.credit_roots r USING (job_id) WHERE s.total_credit > 0 AND r.job_id IS NULL`;
    await until(async () => (await client.query(unsigned)).rows.length === 0, 60_000, 'every settled job has a credit root');
    for (const r of (await client.query(`SELECT job_id, root, total, leaves, signature FROM ${DB.schema}.credit_roots`)).rows) {
      assert.ok(statementSignedBy({ jobId: Number(r.job_id), root: r.root, total: BigInt(r.total), leaves: Number(r.leaves) }, r.signature, publicKey), `root of job ${r.job_id}`);
    }
    // Submission candidates from the edges reached the coordinator's one gate: OPR entries written
    // for shares mined on different edges, never more per job than the cutoff.
    const entries = (await client.query(`SELECT job_id, miner FROM ${DB.schema}.entry_submissions WHERE status <> 'failed'`)).rows;
    assert.ok(entries.length > 0, 'the coordinator wrote OPR entries from relayed shares');
    const perJob = new Map<string, number>();
    for (const e of entries) perJob.set(String(e.job_id), (perJob.get(String(e.job_id)) ?? 0) + 1);
    for (const [job, n] of perJob) assert.ok(n <= 200, `job ${job}: ${n} entries, more than the cutoff of 200`);
    assert.ok(new Set(entries.map((e) => String(e.miner).slice(0, 2))).size >= 2, 'entries from miners of more than one edge');
    t.diagnostic(`entries written ${entries.length} over ${perJob.size} jobs, from edges ${[...new Set(entries.map((e) => String(e.miner).slice(0, 2)))].sort().join(',')}`);
  } finally {
    await client.end();
  }
  for (const e of edges) await stopProc(e);
  assert.equal(await stopProc(coordinator), 0, coordinator.out().slice(-2000));

  async function settledJobs(): Promise<string[]> {
    const c = new pg.Client({ host: DB.host, port: DB.port, user: 'postgres', database: DB.database });
    await c.connect();
    try {
      return (await c.query(`SELECT job_id FROM ${DB.schema}.job_settlements ORDER BY job_id`)).rows.map((r) => String(r.job_id));
    } catch {
      return [];
    } finally {
      await c.end();
    }
  }
});
