// A load of honest miners in a process of its own (forked by test/faults/helpers.ts, so the
// grinding never holds the event loop of the pool under test): real StratumClient sessions that
// follow set_target and notify, grind real LXRHash shares for the current job, submit them, and
// count per miner what the pool acknowledged (`true`), refused, or left unanswered (the socket
// closed or the reply timed out). Sessions reconnect when the pool goes away, and on
// client.reconnect (once their submits in flight are answered). Driven over IPC:
//   parent -> {cmd:'start', ...LoadStart} | {cmd:'stop'}
//   child  -> {ev:'ready'} | {ev:'progress', ...} | {ev:'done', report}
import { createHasher, loadOrCreateTable, targetOfHash } from '../../src/lxr/index.js';
import { StratumClient } from '../../src/stratum/client.js';
import type { LoadReport, LoadStart, MinerCounts } from './load-types.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const LEN = 32 + 8; // oprhash || 4-byte session nonce || 4-byte counter
const CHUNK = 256;

let stopping = false;
let stopped: (() => void) | undefined;
const allStopped = new Promise<void>((r) => (stopped = r));

async function run(o: LoadStart): Promise<void> {
  const table = await loadOrCreateTable({ bits: o.bits });
  const hasher = createHasher(table);
  const counts = new Map<string, MinerCounts>();
  const refusals: Record<string, number> = {};
  let lastAckAt = 0;
  // Time spent hashing since the start, over every session (the duty cycle is the process's).
  let grinding = 0;
  const loadStart = performance.now();
  let connects = 0;
  /** Successful subscribe+authorize per miner (a restart in place shows each coming back). */
  const connectsByMiner: Record<string, number> = {};

  const send = (m: object) => process.send?.(m);
  const totals = () => {
    let acked = 0, refused = 0, unanswered = 0;
    for (const c of counts.values()) {
      acked += c.acked;
      refused += c.refused;
      unanswered += c.unanswered;
    }
    return { acked, refused, unanswered };
  };
  const progress = setInterval(() => send({ ev: 'progress', ...totals(), lastAckAt, connects, connectsByMiner, refusals }), 250);

  async function session(i: number): Promise<void> {
    const miner = `${o.prefix}${i}`;
    const user = `${o.prefix}${i}@faults.test`;
    const c: MinerCounts = { acked: 0, refused: 0, unanswered: 0 };
    counts.set(miner, c);
    let counter = 0;
    while (!stopping) {
      const client = new StratumClient({ host: '127.0.0.1', port: o.port, requestTimeoutMs: o.requestTimeoutMs, connectTimeoutMs: 2000 });
      let job: { id: number; oprHash: Buffer } | undefined;
      let target = 0n;
      client.on('set_target', (t: bigint) => (target = t > target ? t : target));
      client.on('notify', (n: { jobId: number; oprHash: string }) => (job = { id: n.jobId, oprHash: Buffer.from(n.oprHash, 'hex') }));
      client.on('socket-error', () => undefined);
      // Asked to reconnect (a pool restarting in place): finish what is in flight, then come back.
      let asked = false;
      client.on('reconnect', () => (asked = true));
      try {
        await client.connect();
        const sub = await client.subscribe('faults/1.0');
        const auth = await client.authorize(user, miner);
        if (!auth.ok) throw new Error(`authorize refused: ${JSON.stringify(auth.error)}`);
        connects++;
        connectsByMiner[miner] = (connectsByMiner[miner] ?? 0) + 1;
        const input = new Uint8Array(LEN * CHUNK);
        const out = new Uint8Array(32 * CHUNK);
        const inflight = new Set<Promise<void>>();
        while (!stopping && !asked && client.connected) {
          if (!job || target === 0n) {
            await sleep(20);
            continue;
          }
          const { id, oprHash } = job;
          for (let k = 0; k < CHUNK; k++) {
            input.set(oprHash, k * LEN);
            const v = new DataView(input.buffer, k * LEN + 32, 8);
            v.setUint32(0, sub.nonce);
            v.setUint32(4, counter + k);
          }
          const hashStart = performance.now();
          hasher.hashBatch(input, LEN, CHUNK, out);
          const hashMs = performance.now() - hashStart;
          for (let k = 0; k < CHUNK; k++) {
            const t = targetOfHash(out, k * 32);
            if (t < target) continue;
            const nonce = Buffer.from(input.subarray(k * LEN + 32, (k + 1) * LEN)).toString('hex');
            while (inflight.size >= o.inflight) await Promise.race(inflight);
            const p = client.submit(user, id, nonce, oprHash.toString('hex'), t.toString(16)).then(
              (r) => {
                if (r.ok) {
                  c.acked++;
                  lastAckAt = Date.now();
                } else {
                  c.refused++;
                  const why = r.error?.message ?? String(r.result);
                  const key = why.replace(/[0-9a-f]{8,}/g, '…').slice(0, 60);
                  refusals[key] = (refusals[key] ?? 0) + 1;
                }
              },
              () => void c.unanswered++,
            );
            const q = p.finally(() => inflight.delete(q));
            inflight.add(q);
          }
          counter += CHUNK;
          // Give the socket a turn between chunks (each chunk is well under a millisecond), and
          // grind only `duty` of the time: the machine is shared with the pool under test.
          grinding += hashMs;
          const ahead = grinding / o.duty - (performance.now() - loadStart);
          if (ahead >= 1) await sleep(ahead);
          else await new Promise((r) => setImmediate(r));
        }
        await Promise.allSettled([...inflight]);
      } catch {
        // The pool is away (killed, restarting) or refused us: back off and reconnect.
      } finally {
        client.close();
      }
      if (!stopping) await sleep(o.reconnectMs);
    }
  }

  await Promise.all(Array.from({ length: o.sessions }, (_, i) => session(i)));
  clearInterval(progress);
  const report: LoadReport = { miners: Object.fromEntries(counts), refusals, connects, ...totals() };
  send({ ev: 'done', report });
  stopped?.();
}

process.on('message', (m: { cmd: 'start' } & LoadStart | { cmd: 'stop' }) => {
  if (m.cmd === 'start') {
    run(m).catch((err: unknown) => {
      process.stderr.write(`miner load failed: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    });
  } else if (m.cmd === 'stop') {
    stopping = true;
    void allStopped.then(() => setTimeout(() => process.exit(0), 50));
  }
});
process.send?.({ ev: 'ready' });
