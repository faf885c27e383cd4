// Shared parts of the Stratum load generators (perf/stratum-load.ts, perf/stratum-ramp.ts): the
// server process (perf/stratum-server.ts) driven over IPC, many sessions from one process,
// real shares for a job, notify fan-out timing and percentiles. Loopback only.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createHasher, loadOrCreateTable, targetOfHash, type LxrHasher } from '../src/lxr/index.js';
import { StratumClient } from '../src/stratum/client.js';
import { monotonicMs } from '../src/stratum/clock.js';

const TS = import.meta.url.endsWith('.ts');

export const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
export const mb = (n: number): string => (n / 1048576).toFixed(1);

/** The server process and a request/answer channel to it (answers come in order). */
export interface LoadServer {
  child: ChildProcess;
  port: number;
  ask: (msg: object) => Promise<any>;
  exit: () => Promise<void>;
}

export async function startLoadServer(env: Record<string, string>): Promise<LoadServer> {
  const serverEntry = fileURLToPath(new URL('./stratum-server' + (TS ? '.ts' : '.js'), import.meta.url));
  const child = fork(serverEntry, [], {
    execArgv: [...(TS ? ['--expose-gc', '--import', 'tsx'] : ['--expose-gc']), ...(process.env.LOAD_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.LOAD_PROFILE] : [])],
    env: { ...process.env, ...env },
  });
  const replies: ((m: any) => void)[] = [];
  child.on('message', (m: any) => replies.shift()?.(m));
  const ask = (msg: object | null) =>
    new Promise<any>((resolve) => {
      replies.push(resolve);
      if (msg) child.send(msg);
    });
  const ready = await ask(null);
  return {
    child,
    port: ready.port,
    ask,
    exit: async () => {
      child.send({ cmd: 'exit' });
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export interface Session {
  client: StratumClient;
  nonce: number;
  user: string;
}

/** Connects, subscribes and authorizes `count` sessions, 500 at a time; numbering from `from`. */
export async function connectSessions(port: number, from: number, count: number): Promise<Session[]> {
  const out: Session[] = [];
  for (let i = 0; i < count; i += 500) {
    const part = await Promise.all(
      Array.from({ length: Math.min(500, count - i) }, async (_, k) => {
        const user = `user${from + i + k}@load.test`;
        const client = new StratumClient({ host: '127.0.0.1', port, requestTimeoutMs: 60_000 });
        await client.connect();
        const sub = client.subscribe('load/1');
        const auth = client.authorize(user, 'm');
        const nonce = (await sub).nonce;
        if (!(await auth).ok) throw new Error('authorize failed');
        return { client, nonce, user };
      }),
    );
    out.push(...part);
  }
  return out;
}

export interface FanoutFigures {
  serverLoopMs: number;
  serverCpuMs: number;
  p50Ms: number;
  p99Ms: number;
  allMs: number;
  sent: number;
  skipped: number;
}

/** Sets a job on the server and times its arrival at every session. */
export async function measureFanout(server: LoadServer, sessions: Session[], jobId: number, oprHash: Uint8Array): Promise<FanoutFigures> {
  const arrivals: number[] = [];
  const got = new Promise<void>((resolve) => {
    let n = 0;
    if (sessions.length === 0) resolve();
    for (const s of sessions)
      s.client.once('notify', () => {
        arrivals.push(monotonicMs());
        if (++n === sessions.length) resolve();
      });
  });
  const sentAt = monotonicMs();
  const res = await server.ask({ cmd: 'job', id: jobId, oprHash: Buffer.from(oprHash).toString('hex') });
  await got;
  const lat = arrivals.map((a) => a - sentAt);
  return { serverLoopMs: res.fanout.ms, serverCpuMs: res.fanout.cpuMs, allMs: Math.max(0, ...lat), p50Ms: pct(lat, 50), p99Ms: pct(lat, 99), sent: res.fanout.sent, skipped: res.fanout.skipped };
}

export interface Share {
  nonce: string;
  target: string;
}

/** Makes real shares (nonce = session nonce, 0, counter) for a job by hashing them in a batch. */
export class ShareMaker {
  static readonly LEN = 32 + 9;
  private constructor(private readonly hasher: LxrHasher) {}

  static async create(bits: number): Promise<ShareMaker> {
    return new ShareMaker(createHasher(await loadOrCreateTable({ bits })));
  }

  make(oprHash: Uint8Array, sessionNonce: number, from: number, count: number): Share[] {
    const LEN = ShareMaker.LEN;
    const src = new Uint8Array(LEN * count);
    for (let i = 0; i < count; i++) {
      src.set(oprHash, i * LEN);
      const v = new DataView(src.buffer, i * LEN + 32, 9);
      v.setUint32(0, sessionNonce);
      v.setUint8(4, 0);
      v.setUint32(5, from + i);
    }
    const out = this.hasher.hashBatch(src, LEN, count);
    return Array.from({ length: count }, (_, i) => ({
      nonce: Buffer.from(src.subarray(i * LEN + 32, (i + 1) * LEN)).toString('hex'),
      target: targetOfHash(out, i * 32).toString(16),
    }));
  }
}
