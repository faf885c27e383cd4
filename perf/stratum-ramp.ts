// Stratum load ramp (issue 11): steps up the sessions held and the share rate offered until the
// server saturates, with a realistic mix of valid, invalid (claimed target not the hash's),
// duplicate (a nonce already accepted) and stale (a job two steps old) shares. Each step
// reports sessions held, shares/s accepted, p50/p99 submit latency, notify fan-out time,
// event-loop delay (server and generator) and memory per session. Open loop: shares are sent at
// the step's rate whatever the answers, each session holding at most --cap unanswered.
// The server (perf/stratum-server.ts) runs in its own process, by default on the pool's
// validation engine (worker threads); loopback only. Usage:
//   node --expose-gc --import tsx perf/stratum-ramp.ts [--steps 500:2000,1000:5000,...] [--seconds 8] [--bits 16] [--validator engine|inline] [--workers 1] [--cap 32]
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { monotonicMs } from '../src/stratum/clock.js';
import { connectSessions, mb, measureFanout, pct, ShareMaker, startLoadServer, type Session, type Share } from './stratum-load-lib.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '500:2000,1000:5000,2000:10000,4000:15000,6000:20000,8000:30000,10000:40000,12000:60000' },
    seconds: { type: 'string', default: '8' },
    bits: { type: 'string', default: '16' },
    validator: { type: 'string', default: 'engine' },
    workers: { type: 'string', default: '1' },
    cap: { type: 'string', default: '32' },
    all: { type: 'boolean', default: false },
  },
});
const STEPS = values.steps!.split(',').map((s) => {
  const [sessions, rate] = s.split(':').map(Number);
  return { sessions: Math.min(15_000, sessions!), rate: Math.min(200_000, rate!) };
});
const SECONDS = Math.min(60, Number(values.seconds));
const BITS = Number(values.bits);
const CAP = Math.min(256, Number(values.cap));
// The mix, out of 20: 17 valid, 1 invalid, 1 duplicate, 1 stale.
type Kind = 'valid' | 'invalid' | 'duplicate' | 'stale';
const kindOf = (n: number): Kind => (['invalid', 'duplicate', 'stale'] as const)[n % 20] ?? 'valid';

const server = await startLoadServer({ LOAD_BITS: String(BITS), LOAD_VALIDATOR: values.validator!, LOAD_WORKERS: values.workers!, LOAD_STALE_MS: '500' });
const mem0 = await server.ask({ cmd: 'mem' });
const maker = await ShareMaker.create(BITS);
const clientLoop = monitorEventLoopDelay({ resolution: 1 });
clientLoop.enable();

const sessions: Session[] = [];
let jobId = 1000;
let staleJob = { id: 0, hex: '' };
let prevJob = { id: 0, hex: '' };
const rows: object[] = [];

for (const step of STEPS) {
  // 1. Hold the step's sessions.
  const t0 = monotonicMs();
  if (sessions.length < step.sessions) sessions.push(...(await connectSessions(server.port, sessions.length, step.sessions - sessions.length)));
  const connectS = (monotonicMs() - t0) / 1000;
  const mem = await server.ask({ cmd: 'mem' });

  // 2. A new job to every session; two steps later its id is stale.
  await server.ask({ cmd: 'loop' });
  clientLoop.reset();
  staleJob = prevJob;
  jobId += 1;
  const oprHash = randomBytes(32);
  const oprHex = oprHash.toString('hex');
  prevJob = { id: jobId, hex: oprHex };
  const fanout = await measureFanout(server, sessions, jobId, oprHash);

  // 3. Real shares for it, made before the clock starts (the generator's hashing is not measured).
  const total = step.rate * SECONDS;
  const perSession = Math.ceil(total / sessions.length) + 2;
  const stock: Share[][] = sessions.map((s) => maker.make(oprHash, s.nonce, 0, perSession));
  const accepted: (Share | undefined)[] = sessions.map(() => undefined);
  const outstanding = new Int32Array(sessions.length);
  const lat: Record<Kind, number[]> = { valid: [], invalid: [], duplicate: [], stale: [] };
  const answers = { accepted: 0, refusedValid: 0, wrongVerdicts: 0, refusedAsExpected: 0, errors: 0, clientDropped: 0 };
  const refusals: Record<string, number> = {};
  const statsBefore = await server.ask({ cmd: 'stats' });

  // 4. Open loop at the step's rate.
  let sent = 0;
  let next = 0;
  const inflight = new Set<Promise<void>>();
  const start = monotonicMs();
  const send = (): boolean => {
    for (let tries = 0; tries < sessions.length; tries++) {
      const i = next;
      next = (next + 1) % sessions.length;
      if (outstanding[i]! >= CAP) continue;
      const s = sessions[i]!;
      let kind = kindOf(sent);
      if (kind === 'duplicate' && !accepted[i]) kind = 'valid';
      if (kind === 'stale' && staleJob.id === 0) kind = 'valid';
      let share: Share | undefined;
      let job = jobId;
      let hex = oprHex;
      if (kind === 'valid' || kind === 'invalid') share = stock[i]!.pop();
      if (kind === 'duplicate') share = accepted[i];
      if (kind === 'stale') {
        share = stock[i]!.pop();
        job = staleJob.id;
        hex = staleJob.hex;
      }
      if (!share) continue;
      const claimed = kind === 'invalid' ? (BigInt('0x' + share.target) ^ 1n).toString(16) : share.target;
      outstanding[i]! += 1;
      sent += 1;
      const at = monotonicMs();
      const p = s.client.submit(s.user, job, share.nonce, hex, claimed).then(
        (r) => {
          lat[kind].push(monotonicMs() - at);
          if (kind === 'valid') {
            if (r.ok) {
              answers.accepted++;
              accepted[i] = share;
            } else {
              answers.refusedValid++;
              const why = r.error?.message ?? String(r.result);
              refusals[why] = (refusals[why] ?? 0) + 1;
            }
          } else if (r.ok) answers.wrongVerdicts++;
          else answers.refusedAsExpected++;
        },
        () => void answers.errors++,
      );
      const q = p.finally(() => {
        outstanding[i]! -= 1;
        inflight.delete(q);
      });
      inflight.add(q);
      return true;
    }
    answers.clientDropped++;
    return false;
  };
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = monotonicMs() - start;
      if (elapsed >= SECONDS * 1000) {
        clearInterval(timer);
        resolve();
        return;
      }
      const due = Math.floor((step.rate * elapsed) / 1000) - sent;
      for (let k = 0; k < due; k++) if (!send()) break;
    }, 5);
  });
  const sendEnd = monotonicMs();
  await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => setTimeout(r, 30_000))]);
  const end = monotonicMs();
  const statsAfter = await server.ask({ cmd: 'stats' });
  const loop = await server.ask({ cmd: 'loop' });
  const cpuS = (statsAfter.cpu.user + statsAfter.cpu.system - statsBefore.cpu.user - statsBefore.cpu.system) / 1e6;
  const wall = (end - start) / 1000;
  const offeredValid = lat.valid.length + answers.errors;
  const acceptedPerS = answers.accepted / wall;
  const row = {
    sessions: mem.sessions,
    offeredPerS: Math.round(sent / ((sendEnd - start) / 1000)),
    acceptedPerS: Math.round(acceptedPerS),
    drainS: +((end - sendEnd) / 1000).toFixed(2),
    validP50Ms: +pct(lat.valid, 50).toFixed(1),
    validP99Ms: +pct(lat.valid, 99).toFixed(1),
    allP99Ms: +pct([...lat.valid, ...lat.invalid, ...lat.duplicate, ...lat.stale], 99).toFixed(1),
    mix: { valid: lat.valid.length, invalid: lat.invalid.length, duplicate: lat.duplicate.length, stale: lat.stale.length },
    refusedAsExpected: answers.refusedAsExpected,
    wrongVerdicts: answers.wrongVerdicts,
    refusedValid: answers.refusedValid,
    refusals,
    clientDropped: answers.clientDropped,
    errors: answers.errors,
    fanout: { serverLoopMs: +fanout.serverLoopMs.toFixed(1), p50Ms: +fanout.p50Ms.toFixed(1), p99Ms: +fanout.p99Ms.toFixed(1), allMs: +fanout.allMs.toFixed(1) },
    serverLoopDelayMs: { p50: +loop.p50.toFixed(1), p99: +loop.p99.toFixed(1), max: +loop.max.toFixed(1) },
    clientLoopDelayP99Ms: +Math.max(0, clientLoop.percentile(99) / 1e6 - 1).toFixed(1),
    serverCpuPct: Math.round((100 * cpuS) / wall),
    serverRssMB: +mb(mem.rss),
    perSessionKB: { rss: +((mem.rss - mem0.rss) / mem.sessions / 1024).toFixed(2), heap: +((mem.heapUsed - mem0.heapUsed) / mem.sessions / 1024).toFixed(2) },
    connectS: +connectS.toFixed(2),
    validatorBusy: statsAfter.validator ? statsAfter.validator.busy - (statsBefore.validator?.busy ?? 0) : undefined,
    loadAverage: loadavg().map((x) => +x.toFixed(2)),
  };
  rows.push(row);
  process.stderr.write(JSON.stringify(row) + '\n');
  // Saturated: the accepted rate falls below 90 % of the valid rate offered, answers take over a
  // second at p99, or the sessions' unanswered caps were all full.
  const saturated = acceptedPerS < 0.9 * (offeredValid / ((sendEnd - start) / 1000)) || row.validP99Ms > 1000 || answers.clientDropped > 0;
  if (saturated && !values.all) {
    process.stderr.write(`saturated at ${step.sessions} sessions, ${step.rate} shares/s offered\n`);
    break;
  }
}

process.stdout.write(JSON.stringify({ tableBits: BITS, validator: values.validator, workers: Number(values.workers), seconds: SECONDS, cap: CAP, memEmptyMB: +mb(mem0.rss), steps: rows }, null, 2) + '\n');
for (const s of sessions) s.client.close();
await server.exit();
