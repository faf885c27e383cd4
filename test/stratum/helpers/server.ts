/** Test fixtures: a real server on 127.0.0.1:0 with a real (small-table) validator. */
import { connect, type Socket } from 'node:net';
import type { Logger } from '../../../src/log.js';
import { createHasher, createTableInMemory, powInput, targetOfHash, type LxrHasher, type LxrTable } from '../../../src/lxr/index.js';
import { createInlineValidator } from '../../../src/stratum/inline-validator.js';
import { permissiveAuthorizer, type StratumAuthorizer } from '../../../src/stratum/auth.js';
import { StratumServer } from '../../../src/stratum/server.js';
import type { StratumConfigInput } from '../../../src/stratum/config.js';
import type { AcceptedShare, ShareSink } from '../../../src/stratum/share-sink.js';
import type { ShareValidator } from '../../../src/validation/types.js';

let sharedTable: LxrTable | null = null;
export function smallTable(): LxrTable {
  sharedTable ??= createTableInMemory(10);
  return sharedTable;
}

/** The real check from src/lxr, wrapped as a ShareValidator (no mock that accepts everything). */
export function smallValidator(): ShareValidator & { openJobs: Set<number> } {
  return createInlineValidator(smallTable());
}

export function recordingSink(): ShareSink & { shares: AcceptedShare[] } {
  const shares: AcceptedShare[] = [];
  return { shares, accept: (s) => void shares.push(s) };
}

export class FakeClock {
  constructor(public t = 1_700_000_000_000) {}
  now = () => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Fixture {
  server: StratumServer;
  port: number;
  sink: ReturnType<typeof recordingSink>;
  validator: ShareValidator & { openJobs: Set<number> };
  clock: FakeClock;
  close(): Promise<void>;
}

export async function startServer(
  config: StratumConfigInput = {},
  opts: { authorizer?: StratumAuthorizer; validator?: ShareValidator & { openJobs: Set<number> }; logger?: Logger } = {},
): Promise<Fixture> {
  const clock = new FakeClock();
  const sink = recordingSink();
  const validator = opts.validator ?? smallValidator();
  const server = new StratumServer(
    { host: '127.0.0.1', port: 0, sweepIntervalMs: 0, initialTarget: 0x8000000000000000n, ...config, vardiff: { minTarget: 0n, ...config.vardiff } },
    { validator, authorizer: opts.authorizer ?? permissiveAuthorizer(), sink, now: clock.now, logger: opts.logger },
  );
  const { port } = await server.listen();
  return { server, port, sink, validator, clock, close: () => server.close() };
}

/** A raw line client: sends exact bytes and reads lines, like the original miner's wire. */
export class RawClient {
  readonly lines: string[] = [];
  private waiters: (() => void)[] = [];
  closed = false;
  private buf = '';
  constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      this.buf += d;
      let i;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        this.lines.push(this.buf.slice(0, i));
        this.buf = this.buf.slice(i + 1);
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }
  /** Connects to 127.0.0.1:port, from `localAddress` (another loopback address is another client IP). */
  static connect(port: number, localAddress?: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port, localAddress }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }
  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  send(text: string): void {
    this.socket.write(text);
  }
  /** Waits until `n` lines have arrived in total (or throws after `ms`). */
  async waitLines(n: number, ms = 60_000): Promise<string[]> {
    const until = Date.now() + ms;
    while (this.lines.length < n) {
      if (this.closed) throw new Error(`closed after ${this.lines.length} lines: ${this.lines.join(' | ')}`);
      if (Date.now() > until) throw new Error(`timed out waiting for ${n} lines, have ${this.lines.length}: ${this.lines.join(' | ')}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 20);
      });
    }
    return this.lines.slice(0, n);
  }
  /** The next line after those already consumed through index `from`. */
  async line(index: number, ms = 2000): Promise<string> {
    await this.waitLines(index + 1, ms);
    return this.lines[index]!;
  }
  async json(index: number, ms = 2000): Promise<any> {
    return JSON.parse(await this.line(index, ms));
  }
  async waitClose(ms = 60_000): Promise<void> {
    const until = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() > until) throw new Error('socket not closed');
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  close(): void {
    this.socket.destroy();
  }
}

let hasher: LxrHasher | null = null;
/** Grinds nonces `prefix || counter` until LXR(oprhash||nonce) reaches `min`. */
export function findShare(oprHash: Uint8Array, prefix: Uint8Array, min: bigint, startCounter = 0): { nonce: Uint8Array; target: bigint; counter: number } {
  hasher ??= createHasher(smallTable());
  for (let c = startCounter; ; c++) {
    const nonce = new Uint8Array(prefix.length + 4);
    nonce.set(prefix);
    new DataView(nonce.buffer).setUint32(prefix.length, c);
    const target = targetOfHash(hasher.hash(powInput(oprHash, nonce)));
    if (target >= min) return { nonce, target, counter: c };
  }
}

export function computeTarget(oprHash: Uint8Array, nonce: Uint8Array): bigint {
  hasher ??= createHasher(smallTable());
  return targetOfHash(hasher.hash(powInput(oprHash, nonce)));
}

export function prefixOf(nonce: number): Uint8Array {
  return new Uint8Array([(nonce >>> 24) & 255, (nonce >>> 16) & 255, (nonce >>> 8) & 255, nonce & 255]);
}

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

export function oprHashFor(n: number): Uint8Array {
  const h = new Uint8Array(32);
  for (let i = 0; i < 32; i++) h[i] = (n * 31 + i * 7) & 255;
  return h;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check()` holds, up to a generous deadline (the machine may be loaded). */
export async function until(what: string, check: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
