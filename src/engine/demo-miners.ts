import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encodeAddress, publicKeyFromSeed, rcdHash, sha256 } from '../factom/index.js';
import type { Logger } from '../log.js';
import { writeMinerConfig } from '../miner/config-file.js';

export interface DemoMinerOptions {
  /** Stratum host:port of the pool. */
  poolHost: string;
  /** The pool's LXRHash table size (the miners must hash with the same one). */
  bits: number;
  count: number;
  /** Invite codes, one per miner, when the pool requires registered users; else open registration. */
  inviteCodes?: readonly string[];
  /** Where the miners keep their config files. */
  dir: string;
  logger: Logger;
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
      const code = this.o.inviteCodes?.[i - 1];
      const args = [
        '-s', this.o.poolHost, '-u', `demo${i}@example.com`, '-m', `demo${i}`, '-t', '1', '--bs', '64',
        '--bits', String(this.o.bits), '--reconnect-ms', '500', '-c', this.configFile(i),
      ];
      // With an invite code the miner registers with a password read from stdin (a fixed one:
      // these accounts exist only on the local demo pool) and a payout address.
      if (code) args.push('-p', '-i', code, '-a', demoPayoutAddress(i));
      const child = spawn(process.execPath, [...minerCommand(), ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PROSPER_LOG_LEVEL: 'info' } });
      const log = this.o.logger.child({ demoMiner: i });
      if (code) child.stdin!.write(`demo-miner-${i}-password\ndemo-miner-${i}-password\n`);
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
    if (!existsSync(path)) writeMinerConfig(path, { host: this.o.poolHost, threads: 1, username: `demo${i}@example.com`, minerId: `demo${i}` });
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
