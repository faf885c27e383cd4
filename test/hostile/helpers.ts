/**
 * Hostile-input helpers: a seeded PRNG (failures reproduce from the printed seed), clients bound
 * to distinct loopback source addresses (127.0.0.x are all local on Linux, so ban and per-IP
 * limits can be exercised without touching the honest miner's address), and an honest miner
 * that proves the server still answers real work.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { inspectStratum } from '../../src/stratum/inspect.js';
import type { StratumServer } from '../../src/stratum/server.js';
import { computeTarget, findShare, hex, oprHashFor, prefixOf, RawClient } from '../stratum/helpers/server.js';

/** mulberry32: tiny, fast and deterministic for a given seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed comes from PROSPER_FUZZ_SEED when set, so a failing run can be replayed. */
export function fuzzSeed(fallback: number): number {
  const s = Number(process.env.PROSPER_FUZZ_SEED);
  return Number.isInteger(s) ? s : fallback;
}

export function connectFrom(port: number, localAddress: string): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, localAddress }, () => resolve(new RawClient(s)));
    s.once('error', reject);
  });
}

export const HONEST_IP = '127.0.0.2';
export const OPR = oprHashFor(7);
export const JOB_ID = 7;

/**
 * A well-behaved miner on its own address: subscribes, authorizes, and on each `check()` grinds
 * a fresh real share and expects it accepted within a deadline.
 */
export class HonestMiner {
  private read = 0;
  private counter = 0;
  private nextId = 1;
  accepted = 0;
  private constructor(readonly c: RawClient, readonly user: string) {}

  static async start(port: number, user = 'honest@example.com', localAddress = HONEST_IP): Promise<HonestMiner> {
    const c = await connectFrom(port, localAddress);
    const m = new HonestMiner(c, user);
    c.send('{"id":1,"method":"mining.subscribe","params":["honest/1.0"]}\n');
    c.send(`{"id":2,"method":"mining.authorize","params":["${user},rig1","","",""]}\n`);
    m.nextId = 3;
    // subscribe reply, set_target, notify (a job is set before), authorize reply, show_message.
    await m.untilReply(2);
    return m;
  }

  get nonce(): number {
    const sub = this.c.lines.map((l) => JSON.parse(l)).find((m) => m.id === 1 && Array.isArray(m.result));
    return Number(sub.result[2].id);
  }

  /** Reads lines until the reply with `id` arrives; returns it. */
  private async untilReply(id: number, ms = 5000): Promise<any> {
    for (;;) {
      const msg = JSON.parse(await this.c.line(this.read, ms));
      this.read += 1;
      if (msg.id === id && msg.method === undefined) return msg;
    }
  }

  /** One real share for the current job; throws unless it is accepted in time. */
  async check(ms = 5000): Promise<void> {
    const share = findShare(OPR, prefixOf(this.nonce), 0x8000000000000000n, this.counter);
    this.counter = share.counter + 1;
    const id = this.nextId++;
    this.c.send(JSON.stringify({ id, method: 'mining.submit', params: [this.user, String(JOB_ID), hex(share.nonce), hex(OPR), share.target.toString(16)] }) + '\n');
    const reply = await this.untilReply(id, ms);
    assert.equal(reply.result, true, `honest share refused: ${JSON.stringify(reply)}`);
    this.accepted += 1;
  }

  close(): void {
    this.c.close();
  }
}

/** Every share the sink holds is real: its target recomputes from the job's hash and nonce. */
export function assertOnlyRealShares(shares: { nonce: Uint8Array; target: bigint; assignedTarget: bigint }[]): void {
  for (const s of shares) {
    assert.equal(computeTarget(OPR, s.nonce), s.target, 'a credited share must hash to its target');
    assert.ok(s.target >= s.assignedTarget, 'a credited share must reach its assigned target');
  }
}

export function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

/** The server's own bookkeeping: no session or IP entry left behind once clients are gone. */
export function serverMaps(server: StratumServer): { sessions: number; ips: number } {
  const s = inspectStratum(server);
  return { sessions: s.sessionCount, ips: s.ipCount };
}

export async function waitFor(cond: () => boolean, ms = 120_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
