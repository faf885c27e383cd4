// Shared plumbing of the end-to-end tests: where the repo is, how to spawn the real binaries
// (compiled bin/ when the tests run from dist/, the TypeScript source through tsx otherwise),
// free ports, and polling with a deadline.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import pg from 'pg';
import { stringify } from 'smol-toml';
import { loadConfig, type PoolConfig } from '../../src/config/index.js';
import { PoolEngine } from '../../src/engine/engine.js';
import { encodeAddress, rcdHash } from '../../src/factom/index.js';
import { createLogger, type Logger } from '../../src/log.js';
import { freshSchema, PG } from '../store/test-backends.js';

/** True when this file runs compiled (dist/test/e2e/*.js), false under tsx. */
export const COMPILED = import.meta.url.endsWith('.js');
export const ROOT = fileURLToPath(new URL(COMPILED ? '../../../' : '../../', import.meta.url));

/** node arguments that run one of the CLIs: the built bin when compiled, the source otherwise. */
export function cliArgs(cli: 'prosper-miner' | 'prosper-pool'): string[] {
  if (COMPILED) return [join(ROOT, 'bin', `${cli}.js`)];
  const runner = cli === 'prosper-miner' ? join(ROOT, 'test', 'miner', 'run-miner.ts') : join(ROOT, 'test', 'e2e', 'run-pool.ts');
  return ['--import', 'tsx', runner];
}

export interface Proc {
  child: ChildProcess;
  out: () => string;
  exited: Promise<number | null>;
}

export function spawnCli(cli: 'prosper-miner' | 'prosper-pool', args: string[], env: NodeJS.ProcessEnv): Proc {
  const child = spawn(process.execPath, [...cliArgs(cli), ...args], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], cwd: ROOT });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out: () => out, exited };
}

/** Stops a child process (SIGINT, then SIGKILL after `graceMs`) and waits for it. */
export async function stopProc(p: Proc, signal: NodeJS.Signals = 'SIGINT', graceMs = 10_000): Promise<number | null> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.child.exitCode;
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  try {
    return await p.exited;
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string, detail?: () => string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms: ${what}\n${detail?.() ?? ''}`);
    await sleep(200);
  }
}

/** A port free right now on 127.0.0.1 (for a server that must come back on the same port). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A valid FA address from a deterministic key (registration needs one). */
export function testFaAddress(seed: number): string {
  return encodeAddress('FA', rcdHash(new Uint8Array(32).fill(seed)));
}

/** Runs `prosper-pool ARGS` to its end (stdin closed): its exit status and output. */
export async function runToEnd(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  const p = spawnCli('prosper-pool', args, env);
  p.child.stdin!.end();
  const code = await p.exited;
  return { code, out: p.out() };
}

/** A config for a quick embedded pool: 2-second devnet blocks, a small table, free ports. */
export function quickDevnetConfig(path: string, bits: number): string {
  writeFileSync(path, `
[devnet]
blocktime = "2s"
port = 0
lxrbits = ${bits}
[stratum]
host = "127.0.0.1"
stratumport = 0
[pegnet]
pollingperiod = "200ms"
[web]
port = 0
`);
  return path;
}

/** A temp HOME with a config on the real PostgreSQL in a fresh schema; dispose() drops both. */
export function postgresHome(prefix: string): { home: string; schema: string; config: string; dispose: () => Promise<void> } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  const schema = freshSchema();
  const config = join(home, 'pool.toml');
  writeFileSync(config, `[database]\nhost = "${PG.host}"\ndbname = "${PG.dbname}"\nschema = "${schema}"\n[web]\nhost = "127.0.0.1"\n`);
  return {
    home, schema, config,
    dispose: async () => {
      const client = new pg.Client({ host: PG.host, port: PG.port, user: PG.user, database: PG.dbname });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await client.end();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Config sections ([section] key = value) that a test sets on top of startE2ePool's. */
export type ConfigSections = Record<string, Record<string, unknown>>;

/** The whole pool of an end-to-end test: the engine on PostgreSQL in its own schema, and its miners. */
export interface E2ePool {
  dir: string;
  schema: string;
  /** Fixed (a free port when started), so miners find a restarted pool. */
  stratumPort: number;
  webPort: number;
  /** http://127.0.0.1:<webPort> */
  base: string;
  config: PoolConfig;
  logger: Logger;
  /** A client on the pool's schema (search_path set once the engine started). */
  db: pg.Client;
  engine: PoolEngine | undefined;
  miners: Proc[];
  /** Starts (or, after a stop, restarts) the engine. */
  startEngine(): Promise<PoolEngine>;
  /**
   * Starts a real prosper-miner as `email` (worker rig<i>, one thread, its own HOME under dir),
   * the password on stdin (twice: asked again when registering), `args` added (an invite code...).
   */
  spawnMiner(i: number, email: string, password: string, args: string[], env?: NodeJS.ProcessEnv): Proc;
  /**
   * Starts the engine and `count` real miners registered with fresh invite codes:
   * miner<i>@example.com mining as rig<i> with password-<i>.
   */
  startWithMiners(count: number): Promise<{ engine: PoolEngine; miners: Proc[]; logs: () => string }>;
  /** Waits until every email has at least `shares` shares credited (generous deadline). */
  waitCredited(emails: readonly string[], shares: number, ms?: number): Promise<void>;
  /** The tail of every miner's output, for failure messages. */
  minerLogs(): string;
  /** Miners (resumed if stopped), the engine, the schema, the temp dir. */
  tearDown(): Promise<void>;
}

/**
 * A pool under test on the real PostgreSQL: a temp dir (the pool's HOME), a fresh schema, free
 * Stratum and web ports, the config `writeConfig` writes for them, and a client on the database;
 * the engine and the miners start when the test says.
 */
export async function poolTestbed(name: string, bits: number, writeConfig: (dir: string, schema: string, stratumPort: number, webPort: number) => string): Promise<E2ePool> {
  const dir = mkdtempSync(join(tmpdir(), `prosper-${name}-`));
  const schema = `${name.replace(/[^a-z0-9]/g, '_')}_${freshSchema()}`;
  const stratumPort = await freePort();
  const webPort = await freePort();
  const config = loadConfig({ path: writeConfig(dir, schema, stratumPort, webPort), env: { ...process.env, HOME: dir, LXRBITSIZE: String(bits) } });
  const logger = createLogger({ level: 'warn', name });
  const db = new pg.Client({ host: PG.host, port: PG.port, user: PG.user, database: PG.dbname });
  await db.connect();
  const pool: E2ePool = {
    dir, schema, stratumPort, webPort, base: `http://127.0.0.1:${webPort}`, config, logger, db, engine: undefined, miners: [],
    async startEngine() {
      process.env.LXRBITSIZE = String(bits);
      pool.engine = await PoolEngine.start({ config, logger });
      await db.query(`SET search_path TO ${schema}`);
      return pool.engine;
    },
    spawnMiner(i, email, password, args, env = {}) {
      const m = spawnCli('prosper-miner', [
        '-s', `127.0.0.1:${stratumPort}`, '-u', email, '-m', `rig${i}`, '-t', '1', '--bs', '64', '--bits', String(bits), '--reconnect-ms', '200', '-p', ...args,
      ], { HOME: join(dir, `miner${i}`), LXRBITSIZE: String(bits), ...env });
      m.child.stdin!.write(`${password}\n${password}\n`);
      pool.miners.push(m);
      return m;
    },
    async startWithMiners(count) {
      const engine = await pool.startEngine();
      const codes = await engine.auth.createInviteCodes(count);
      const miners = codes.map((code, i) => pool.spawnMiner(i, `miner${i}@example.com`, `password-${i}`, ['-i', code, '-a', testFaAddress(i + 1)]));
      return { engine, miners, logs: pool.minerLogs };
    },
    async waitCredited(emails, shares, ms = 120_000) {
      const credited = async (email: string) => Number((await db.query(
        'SELECT COALESCE(sum(c.shares), 0) AS n FROM job_credits c JOIN users u ON u.id = c.user_id WHERE u.email = $1', [email])).rows[0].n);
      await until(async () => {
        for (const e of emails) if ((await credited(e)) < shares) return false;
        return true;
      }, ms, `${shares} shares credited to each of ${emails.join(', ')}`, pool.minerLogs);
    },
    minerLogs: () => pool.miners.map((m, i) => `--- miner ${i}\n${m.out().slice(-3000)}`).join('\n'),
    async tearDown() {
      for (const m of pool.miners) {
        m.child.kill('SIGCONT');
        await stopProc(m);
      }
      await pool.engine?.stop();
      pool.engine = undefined;
      await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await db.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return pool;
}

/**
 * The pool the end-to-end tests share (poolTestbed with its config written from sections): an
 * embedded devnet, the real PostgreSQL in a fresh schema, one validation worker, a spool in the
 * temp dir, free ports; `extra` sections override or add to those (block time, web secret...).
 */
export function startE2ePool(name: string, bits: number, extra: (dir: string) => ConfigSections = () => ({})): Promise<E2ePool> {
  return poolTestbed(name, bits, (dir, schema, stratumPort, webPort) => {
    const sections: ConfigSections = {
      app: { loglevel: 'warn' },
      database: { host: PG.host, dbname: PG.dbname, schema },
      devnet: { blocktime: '2s', port: 0, competitors: 10, lxrbits: bits, datadir: join(dir, 'devnet') },
      stratum: { host: '127.0.0.1', stratumport: stratumPort, requireauth: true },
      validation: { workers: 1 },
      accounting: { spooldir: join(dir, 'spool') },
      web: { host: '127.0.0.1', port: webPort },
    };
    for (const [section, values] of Object.entries(extra(dir))) sections[section] = { ...sections[section], ...values };
    const path = join(dir, 'prosper-pool.toml');
    writeFileSync(path, stringify(sections));
    return path;
  });
}
