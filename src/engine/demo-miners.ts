import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encodeAddress, publicKeyFromSeed, rcdHash, sha256 } from '../factom/index.js';
import type { AuthService } from '../auth/index.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { writeMinerConfig } from '../miner/config-file.js';

export interface DemoMinerOptions {
  /** Stratum host:port of the pool. */
  poolHost: string;
  /** The pool's LXRHash table size (the miners must hash with the same one). */
  bits: number;
  count: number;
  /** One per miner when the pool requires registered users (see demoAccounts); else open registration. */
  accounts?: readonly DemoAccount[];
  /** Where the miners keep their config files. */
  dir: string;
  logger: Logger;
}

/** A demo miner's user: registered with `inviteCode` on this start, or (none) already registered. */
export interface DemoAccount {
  inviteCode?: string;
}

const demoEmail = (i: number) => `demo${i}@example.com`;

/**
 * The demo miners' accounts on a pool that requires registration. A restart reuses them: a
 * user that exists logs in with its password; one that does not yet registers with the invite
 * code an earlier start saved for it (while still unused), else with a new one, saved in `dir`.
 */
export async function demoAccounts(pool: { auth: AuthService; store: Store }, dir: string, count: number): Promise<DemoAccount[]> {
  mkdirSync(dir, { recursive: true });
  const users = new Set((await pool.auth.listUsers()).map((u) => u.email));
  const unused = new Set((await pool.store.listInviteCodes()).filter((c) => c.claimedBy === null).map((c) => c.code));
  const accounts: DemoAccount[] = [];
  for (let i = 1; i <= count; i++) {
    if (users.has(demoEmail(i))) {
      accounts.push({});
      continue;
    }
    const file = join(dir, `demo-miner-${i}.code`);
    const saved = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
    const inviteCode = unused.has(saved) ? saved : (await pool.auth.createInviteCodes(1))[0]!;
    writeFileSync(file, inviteCode + '\n', { mode: 0o600 });
    accounts.push({ inviteCode });
  }
  return accounts;
}

/** The demo miners' own payout address (a key nobody holds: only the balance matters here). */
export function demoPayoutAddress(i: number): string {
  return encodeAddress('FA', rcdHash(publicKeyFromSeed(sha256(Buffer.from(`prosper demo miner ${i}`)))));
}

/** One line of a miner's output into the pool's log: its JSON log records keep their fields. */
function relayLine(log: Logger, line: string): void {
  if (line.startsWith('{')) {
    try {
      const { level: _l, time: _t, pid: _p, hostname: _h, name: _n, msg, ...fields } = JSON.parse(line) as Record<string, unknown>;
      log.info(fields, typeof msg === 'string' ? msg : line);
      return;
    } catch {
      // not JSON after all: relayed as text below
    }
  }
  log.info(line);
}

/**
 * How to run prosper-miner as a child: the built bin when this module runs compiled, else its
 * TypeScript source through tsx (a development checkout running `tsx src/...`).
 */
function minerCommand(): string[] {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return [join(dirname(here), '..', '..', '..', 'bin', 'prosper-miner.js')];
  const source = pathToFileURL(join(dirname(here), '..', 'cli', 'prosper-miner.ts')).href;
  const script = `import { main } from ${JSON.stringify(source)};
main(['node', 'prosper-miner', ...process.argv.slice(1)]).catch((e) => { console.error(e instanceof Error ? e.message : e); process.exitCode = 1; });`;
  return ['--import', 'tsx', '--input-type=module', '-e', script, '--'];
}

/**
 * `prosper-pool --demo`: local prosper-miner processes (one thread, small batches) mining
 * against the pool, registered without any prompt, their output relayed to the pool's log.
 */
export class DemoMiners {
  private readonly children: ChildProcess[] = [];

  constructor(private readonly o: DemoMinerOptions) {}

  start(): void {
    mkdirSync(this.o.dir, { recursive: true });
    for (let i = 1; i <= this.o.count; i++) {
      const account = this.o.accounts?.[i - 1];
      const args = [
        '-s', this.o.poolHost, '-u', demoEmail(i), '-m', `demo${i}`, '-t', '1', '--bs', '64',
        '--bits', String(this.o.bits), '--reconnect-ms', '500', '-c', this.configFile(i),
      ];
      // A registered pool's miners give a password read from stdin (a fixed one: these accounts
      // exist only on the local demo pool); a new user also its invite code and payout address.
      if (account) args.push('-p');
      if (account?.inviteCode) args.push('-i', account.inviteCode, '-a', demoPayoutAddress(i));
      const child = spawn(process.execPath, [...minerCommand(), ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PROSPER_LOG_LEVEL: 'info' } });
      const log = this.o.logger.child({ demoMiner: i });
      if (account) child.stdin!.write(`demo-miner-${i}-password\ndemo-miner-${i}-password\n`);
      // Chunks are not line-aligned: each stream keeps its unfinished last line for the next one.
      const relay = () => {
        let pending = '';
        return (chunk: Buffer) => {
          const lines = (pending + chunk.toString('utf8')).split('\n');
          pending = lines.pop()!;
          for (const line of lines) if (line.trim()) relayLine(log, line.trim());
        };
      };
      child.stdout!.on('data', relay());
      child.stderr!.on('data', relay());
      child.on('exit', (code, signal) => log.info({ code, signal }, 'demo miner exited'));
      this.children.push(child);
    }
    this.o.logger.info({ count: this.o.count, pool: this.o.poolHost }, 'demo miners started');
  }

  /**
   * Each miner its own config file (-c must name an existing one), in the user's HOME so the
   * miners share the LXRHash table cache of ~/.lxrhash with the pool.
   */
  private configFile(i: number): string {
    const path = join(this.o.dir, `demo-miner-${i}.toml`);
    if (!existsSync(path)) writeMinerConfig(path, { host: this.o.poolHost, threads: 1, username: demoEmail(i), minerId: `demo${i}` });
    return path;
  }

  /** SIGINT to every miner, SIGKILL to any still running after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    await Promise.all(this.children.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGINT');
    })));
  }
}
