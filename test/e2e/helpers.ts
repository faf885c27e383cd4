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
import { loadConfig, type PoolConfig } from '../../src/config/index.js';
import { encodeAddress, rcdHash } from '../../src/factom/index.js';
import { PoolEngine } from '../../src/engine/engine.js';
import { createLogger } from '../../src/log.js';
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

/** The end of an end-to-end test: miners, then the pool, then its schema and temp dir. */
export async function tearDownE2e(o: { miners: Proc[]; engine: { stop(): Promise<void> } | undefined; db: { query(sql: string): Promise<unknown>; end(): Promise<void> }; schema: string; dir: string }): Promise<void> {
  for (const m of o.miners) await stopProc(m);
  await o.engine?.stop();
  await o.db.query(`DROP SCHEMA IF EXISTS ${o.schema} CASCADE`).catch(() => undefined);
  await o.db.end();
  rmSync(o.dir, { recursive: true, force: true });
}

/**
 * Real prosper-miner processes, one per invite code: miner<i>@example.com mining as rig<i> with
 * password-<i>, registered with the code on their first login; each its own HOME under `dir`.
 */
export function spawnTestMiners(codes: readonly string[], o: { stratumPort: number; bits: number; dir: string; env?: NodeJS.ProcessEnv }): { miners: Proc[]; logs: () => string } {
  const miners = codes.map((code, i) => {
    const m = spawnCli('prosper-miner', [
      '-s', `127.0.0.1:${o.stratumPort}`, '-u', `miner${i}@example.com`, '-m', `rig${i}`, '-t', '1', '--bs', '64',
      '--bits', String(o.bits), '--reconnect-ms', '200', '-p', '-i', code, '-a', testFaAddress(i + 1),
    ], { HOME: join(o.dir, `miner${i}`), LXRBITSIZE: String(o.bits), ...o.env });
    m.child.stdin!.write(`password-${i}\npassword-${i}\n`);
    return m;
  });
  return { miners, logs: () => miners.map((m, i) => `--- miner ${i}\n${m.out().slice(-2000)}`).join('\n') };
}

/**
 * A pool under test on the real PostgreSQL: a temp dir (the pool's HOME), a fresh schema, free
 * Stratum and web ports, the config `writeConfig` writes for them, and a client on the database.
 */
export async function poolTestbed(name: string, bits: number, writeConfig: (dir: string, schema: string, stratumPort: number, webPort: number) => string) {
  const dir = mkdtempSync(join(tmpdir(), `prosper-${name}-`));
  const schema = `${name}_${freshSchema()}`;
  const stratumPort = await freePort();
  const webPort = await freePort();
  const config: PoolConfig = loadConfig({ path: writeConfig(dir, schema, stratumPort, webPort), env: { ...process.env, HOME: dir, LXRBITSIZE: String(bits) } });
  const logger = createLogger({ level: 'warn', name });
  const db = new pg.Client({ host: PG.host, port: PG.port, user: PG.user, database: PG.dbname });
  await db.connect();
  /** Starts the pool and `miners` real miners registered with fresh invite codes. */
  const startWithMiners = async (miners: number) => {
    process.env.LXRBITSIZE = String(bits);
    const engine = await PoolEngine.start({ config, logger });
    await db.query(`SET search_path TO ${schema}`);
    return { engine, ...spawnTestMiners(await engine.auth.createInviteCodes(miners), { stratumPort, bits, dir }) };
  };
  return { dir, schema, stratumPort, webPort, config, logger, db, base: `http://127.0.0.1:${webPort}`, startWithMiners };
}
