// Shared parts of the fault tests (issue 11, item 2): the pool's config file, a log captured in
// memory, the miner load in its own process, a private PostgreSQL that a test may stop, and the
// check that nothing acknowledged was lost.
import assert from 'node:assert/strict';
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig, type PoolConfig } from '../../src/config/index.js';
import { PoolEngine } from '../../src/engine/engine.js';
import { openConfiguredDatabase } from '../../src/store/index.js';
import { createLogger, type Logger } from '../../src/log.js';
import { freePort, sleep } from '../e2e/helpers.js';
import type { LoadProgress, LoadReport, LoadStart } from './load-types.js';

export { freePort, sleep };

/** LXRHash table of the fault tests: small, made in milliseconds. */
export const BITS = 12;

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `prosper-fault-${tag}-`));
}

export function uniqueSchema(tag: string): string {
  return `fault_${tag}_${randomBytes(5).toString('hex')}`;
}

export interface PoolConfigInput {
  dir: string;
  stratumPort: number;
  /** PostgreSQL (host, port, schema); absent: PGlite in dir. */
  postgres?: { host: string; port: number; schema: string; dbname?: string };
  /** factomd URL; absent: the embedded devnet with `blocktime`. */
  factomd?: string;
  blocktime?: string;
  /** [pegnet] testing = true, act = 0 (a devnet run apart from the pool: its chains start at 0). */
  testing?: boolean;
  /** [accounting] flushinterval, ms. */
  flushInterval?: number;
  /** Extra keys of the [stratum] section (e.g. a TLS port). */
  stratumExtra?: string;
  /** Extra TOML appended as is (sections not written above). */
  extra?: string;
}

/** Writes the pool's TOML (open registration, one validation worker, a spool, no web). */
export function writePoolToml(i: PoolConfigInput): string {
  const path = join(i.dir, 'prosper-pool.toml');
  const db = i.postgres
    ? `host = "${i.postgres.host}"\nport = ${i.postgres.port}\ndbname = "${i.postgres.dbname ?? 'postgres'}"\nschema = "${i.postgres.schema}"`
    : `datadir = "${join(i.dir, 'pglite')}"`;
  writeFileSync(path, `
[app]
loglevel = "info"
[database]
${db}
[factom]
factomdlocation = "${i.factomd ?? ''}"
timeout = "2s"
[devnet]
blocktime = "${i.blocktime ?? '20s'}"
port = 0
competitors = 5
lxrbits = ${BITS}
datadir = "${join(i.dir, 'devnet')}"
[pegnet]
pollingperiod = "250ms"
retryperiod = "500ms"
${i.testing ? 'testing = true\nact = 0' : ''}
[stratum]
host = "127.0.0.1"
stratumport = ${i.stratumPort}
requireauth = false
${i.stratumExtra ?? ''}
[validation]
workers = 1
[accounting]
spooldir = "${join(i.dir, 'spool')}"
${i.flushInterval === undefined ? '' : `flushinterval = ${i.flushInterval}`}
[web]
port = 0
${i.extra ?? ''}
`);
  return path;
}

export function poolConfig(path: string, home: string): PoolConfig {
  return loadConfig({ path, env: { ...process.env, HOME: home, LXRBITSIZE: String(BITS) } });
}

/** A pino logger whose JSON lines stay in memory (the last `max`), to assert on and to show on failure. */
export function capturedLogger(max = 5000): { logger: Logger; lines: string[]; tail: (n?: number) => string; count: (re: RegExp) => number } {
  const lines: string[] = [];
  const seen = new Map<string, number>();
  const destination = {
    write(s: string) {
      lines.push(s.trimEnd());
      if (lines.length > max) lines.splice(0, lines.length - max);
      const msg = /"msg":"([^"]*)"/.exec(s)?.[1];
      if (msg) seen.set(msg, (seen.get(msg) ?? 0) + 1);
    },
  };
  const logger = createLogger({ level: 'info', name: 'fault', destination });
  return {
    logger,
    lines,
    tail: (n = 40) => lines.slice(-n).join('\n'),
    count: (re) => [...seen].reduce((s, [m, k]) => (re.test(m) ? s + k : s), 0),
  };
}

/** Runs `fn` with LXRBITSIZE set as the engine reads it (process.env), then restores it. */
export async function withBits<T>(fn: () => Promise<T>): Promise<T> {
  const before = process.env.LXRBITSIZE;
  process.env.LXRBITSIZE = String(BITS);
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.LXRBITSIZE;
    else process.env.LXRBITSIZE = before;
  }
}

const loadEntry = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './miner-load.ts' : './miner-load.js', import.meta.url));

/** Honest miners in a child process (test/faults/miner-load.ts), counting what was acknowledged. */
export class MinerLoad {
  progress: LoadProgress = { acked: 0, refused: 0, unanswered: 0, lastAckAt: 0, connects: 0, refusals: {} };
  private report: Promise<LoadReport>;
  private constructor(private readonly child: ChildProcess) {
    this.report = new Promise((resolve, reject) => {
      child.on('message', (m: { ev: string; report?: LoadReport } & LoadProgress) => {
        if (m.ev === 'progress') this.progress = m;
        else if (m.ev === 'done') resolve(m.report!);
      });
      child.on('exit', (code) => reject(new Error(`miner load exited ${code} before reporting`)));
    });
    this.report.catch(() => undefined);
  }

  static async start(o: Partial<LoadStart> & { port: number; prefix: string }): Promise<MinerLoad> {
    const child = fork(loadEntry, [], {
      execArgv: import.meta.url.endsWith('.ts') ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`miner load exited ${code}`)));
    });
    const start: LoadStart = { bits: BITS, sessions: 6, inflight: 4, requestTimeoutMs: 30_000, reconnectMs: 300, duty: 0.5, ...o };
    child.send({ cmd: 'start', ...start });
    return new MinerLoad(child);
  }

  /** Waits until the pool has acknowledged `n` more shares than now (or throws after `ms`). */
  async moreAcks(n: number, ms: number, what: string): Promise<void> {
    const target = this.progress.acked + n;
    const end = Date.now() + ms;
    while (this.progress.acked < target) {
      if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${n} acknowledged shares (${what}); progress ${JSON.stringify(this.progress)}`);
      await sleep(100);
    }
  }

  /** Stops submitting, waits for every outstanding answer, returns the per-miner counts. */
  async stop(): Promise<LoadReport> {
    this.child.send({ cmd: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 60_000);
    try {
      return await this.report;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

export interface Credited {
  /** Raw share rows per miner. */
  raw: Map<string, number>;
  /** Per-job aggregate (what settlement splits) per miner. */
  aggregate: Map<string, number>;
}

/** What the pool's schema holds per miner, raw and aggregated. */
export async function creditedByMiner(db: { host: string; port: number; database: string; schema: string }): Promise<Credited> {
  const client = new pg.Client({ host: db.host, port: db.port, user: 'postgres', database: db.database });
  await client.connect();
  try {
    return await creditedFrom(async (sql) => (await client.query<{ miner: string; n: string }>(sql)).rows, `${db.schema}.`);
  } finally {
    await client.end();
  }
}

/** The same from the pool's configured database (PGlite: open it only once the pool has stopped). */
export async function creditedInConfigured(config: PoolConfig): Promise<Credited> {
  const db = await openConfiguredDatabase(config.database);
  try {
    return await creditedFrom(async (sql) => (await db.query<{ miner: string; n: string }>(sql)).rows, '');
  } finally {
    await db.close();
  }
}

async function creditedFrom(rows: (sql: string) => Promise<{ miner: string; n: string }[]>, prefix: string): Promise<Credited> {
  const raw = await rows(`SELECT miner, count(*) AS n FROM ${prefix}shares GROUP BY miner`);
  const agg = await rows(`SELECT miner, sum(shares) AS n FROM ${prefix}job_credits GROUP BY miner`);
  return {
    raw: new Map(raw.map((r) => [r.miner, Number(r.n)])),
    aggregate: new Map(agg.map((r) => [r.miner, Number(r.n)])),
  };
}

export async function dropSchema(db: { host: string; port: number; database: string; schema: string }): Promise<void> {
  const client = new pg.Client({ host: db.host, port: db.port, user: 'postgres', database: db.database });
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${db.schema} CASCADE`);
  } catch {
    // best effort
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Nothing acknowledged is lost, and nothing is credited twice: for every miner, the raw shares
 * and the per-job aggregate both equal the shares the pool answered `true` to. With `slack`, a
 * miner may have up to that many more credited than acknowledged, and never more than its
 * unanswered submits (credited, then the connection died before the answer: a kill).
 */
export function assertNothingLost(report: LoadReport, credited: Credited, opts: { exact: boolean } = { exact: true }): void {
  assert.ok(report.acked > 0, 'the load got shares acknowledged');
  for (const [miner, c] of Object.entries(report.miners)) {
    const raw = credited.raw.get(miner) ?? 0;
    const agg = credited.aggregate.get(miner) ?? 0;
    assert.equal(agg, raw, `${miner}: per-job aggregate ${agg} != raw shares ${raw}`);
    assert.ok(raw >= c.acked, `${miner}: ${c.acked - raw} acknowledged share(s) lost (acknowledged ${c.acked}, credited ${raw})`);
    if (opts.exact) {
      assert.equal(c.unanswered, 0, `${miner}: ${c.unanswered} submit(s) left unanswered`);
      assert.equal(raw, c.acked, `${miner}: credited ${raw}, acknowledged ${c.acked} (a share credited twice or credited without an acknowledgement)`);
    } else {
      assert.ok(raw - c.acked <= c.unanswered, `${miner}: credited ${raw} exceeds acknowledged ${c.acked} + unanswered ${c.unanswered} (credited twice)`);
    }
  }
  // No share of a miner the load does not know (another test's, or a duplicate user).
  for (const miner of credited.raw.keys()) assert.ok(miner in report.miners, `credit for an unknown miner ${miner}`);
}

export function spoolFiles(dir: string): number {
  const spool = join(dir, 'spool');
  return existsSync(spool) ? readdirSync(spool).filter((f) => f.endsWith('.json')).length : 0;
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL of the test's own (never the shared one on 5432), in a temp dir owned by the
 * `postgres` user, on a free port, so the test can stop it (-m immediate: a crash) and restart it.
 */
export class PrivatePostgres {
  private constructor(readonly dir: string, readonly port: number) {}

  static available(): boolean {
    return existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_ctl'));
  }

  private static run(args: string[]): void {
    const asRoot = process.getuid?.() === 0;
    const cmd = asRoot ? 'runuser' : args[0]!;
    const argv = asRoot ? ['-u', 'postgres', '--', ...args] : args.slice(1);
    const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`);
  }

  static async create(): Promise<PrivatePostgres> {
    const dir = tempDir('pg');
    if (process.getuid?.() === 0) {
      const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
      chownSync(dir, Number(pw.stdout.trim()), Number(gid.stdout.trim()));
    }
    const port = await freePort();
    const pgDb = new PrivatePostgres(dir, port);
    PrivatePostgres.run([join(PG_BIN, 'initdb'), '-D', join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-N']);
    pgDb.start();
    return pgDb;
  }

  start(): void {
    PrivatePostgres.run([join(PG_BIN, 'pg_ctl'), '-D', join(this.dir, 'data'), '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1`, '-l', join(this.dir, 'log'), '-w', 'start']);
  }

  /** Stops it as a crash would (no checkpoint, connections cut). */
  stopImmediate(): void {
    PrivatePostgres.run([join(PG_BIN, 'pg_ctl'), '-D', join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop']);
  }

  destroy(): void {
    try {
      this.stopImmediate();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Waits until the pool has a job for miners (the first synced block builds it). */
export async function waitForJob(engine: { handler: { current: unknown } }, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!engine.handler.current) {
    if (Date.now() > end) throw new Error(`no job after ${ms} ms`);
    await sleep(100);
  }
}

/**
 * A fault scenario's pool and its miners: the engine (LXRBITSIZE = BITS), started and given its
 * first job, then the miner load. `finish()` ends the load (every answer in) and stops the pool;
 * `abort()` (in a `finally`) kills and stops whatever still runs.
 */
export class PoolUnderLoad {
  private stopped = false;
  private constructor(readonly engine: PoolEngine, readonly load: MinerLoad) {}

  static async start(config: PoolConfig, logger: Logger, load: Partial<LoadStart> & { port: number; prefix: string }, jobWaitMs = 40_000): Promise<PoolUnderLoad> {
    const engine = await withBits(() => PoolEngine.start({ config, logger }));
    try {
      await waitForJob(engine, jobWaitMs);
      return new PoolUnderLoad(engine, await MinerLoad.start(load));
    } catch (err) {
      await engine.stop().catch(() => undefined);
      throw err;
    }
  }

  /** The load's report and what the server counted as accepted, with both stopped. */
  async finish(): Promise<{ report: LoadReport; accepted: number }> {
    const report = await this.load.stop();
    const accepted = this.engine.stratum.counters.accepted;
    this.stopped = true;
    await this.engine.stop();
    return { report, accepted };
  }

  async abort(): Promise<void> {
    this.load.kill();
    if (this.stopped) return;
    this.stopped = true;
    await this.engine.stop().catch(() => undefined);
  }
}
