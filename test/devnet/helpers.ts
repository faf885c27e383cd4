import { Devnet, type DevnetOptions } from '../../src/devnet/index.js';
import { FactomdClient, sha256 } from '../../src/factom/index.js';

/** A manual clock: tests move time explicitly; each request lets the devnet catch up. */
export class ManualClock {
  constructor(public t = 1_700_000_000_000) {}
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Harness {
  readonly devnet: Devnet;
  readonly client: FactomdClient;
  readonly clock: ManualClock;
  readonly url: string;
  /** Block time in ms, and one devnet minute in ms. */
  readonly blockMs: number;
  readonly minuteMs: number;
  /** Move to minute m of the next block (m = 0..9). */
  toNextBlockMinute(m: number): void;
  stop(): Promise<void>;
}

/** Devnet on 127.0.0.1:0 with a manual clock and 10 s blocks (1 s minutes). */
export async function startHarness(opts: DevnetOptions = {}, clock = new ManualClock()): Promise<Harness> {
  const blockSeconds = opts.blockTimeSeconds ?? 10;
  const devnet = new Devnet({ port: 0, autoTick: false, blockTimeSeconds: blockSeconds, now: clock.now, ...opts });
  const port = await devnet.start();
  const url = `http://127.0.0.1:${port}/v2`;
  const blockMs = blockSeconds * 1000;
  const minuteMs = blockMs / 10;
  const start = clock.t;
  return {
    devnet,
    client: new FactomdClient({ url, retries: 0, timeoutMs: 5000 }),
    clock,
    url,
    blockMs,
    minuteMs,
    toNextBlockMinute(m: number) {
      const elapsed = clock.t - start;
      const nextBlockStart = start + (Math.floor(elapsed / blockMs) + 1) * blockMs;
      clock.t = nextBlockStart + m * minuteMs + minuteMs / 2;
      devnet.tick();
    },
    stop: () => devnet.stop(),
  };
}

/** The all-zero Es key (pre-funded by default) and the documented pegnet dev key. */
export const ZERO_SEED = Buffer.alloc(32);
export const DEV_SEED = Buffer.from('0d26b92b985aaca8041833ccdeefa27b209df0fa67bedaa858eef05a002bc94e', 'hex');
export const ZERO_EC = 'EC2DKSYyRcNWf7RS963VFYgMExoHRYLHVeCfQ9PGPmNzwrcmgm2r';

export function seed(label: string): Buffer {
  return sha256(Buffer.from(label));
}

/** POST a raw body to the devnet; returns status and text. */
export async function rawPost(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
