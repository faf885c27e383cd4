// Notify fan-out with the sessions held by one Stratum process or split over several (what a
// scaled-out pool does with edges): each server process (perf/stratum-server.ts) holds an equal
// share of the sessions; a job is set on all of them at once and its arrival is timed at every
// session. Loopback only, bounded in sessions and jobs. Prints Markdown for perf/RESULTS.md.
//   node --expose-gc --import tsx perf/fanout-split.ts [--sessions 10000] [--servers 1,2] [--jobs 5]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { monotonicMs } from '../src/stratum/clock.js';
import { connectSessions, pct, startLoadServer, type LoadServer, type Session } from './stratum-load-lib.js';

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '10000' }, servers: { type: 'string', default: '1,2' }, jobs: { type: 'string', default: '5' } } });
const SESSIONS = Math.min(15_000, Number(values.sessions));
const SPLITS = values.servers!.split(',').map(Number).filter((n) => n >= 1 && n <= 8);
const JOBS = Math.min(20, Number(values.jobs));

interface Round { p50: number; p99: number; all: number; loopMs: number[] }

async function run(servers: number): Promise<Round[]> {
  const procs: LoadServer[] = [];
  for (let i = 0; i < servers; i++) procs.push(await startLoadServer({ LOAD_BITS: '10' }));
  const per = Math.ceil(SESSIONS / servers);
  const sessions: Session[][] = [];
  for (const [i, p] of procs.entries()) sessions.push(await connectSessions(p.port, i * per, Math.min(per, SESSIONS - i * per)));
  const all = sessions.flat();
  const rounds: Round[] = [];
  for (let j = 0; j < JOBS; j++) {
    const jobId = 500 + j;
    const arrivals: number[] = [];
    const got = new Promise<void>((resolve) => {
      for (const s of all) s.client.once('notify', () => arrivals.push(monotonicMs()) === all.length && resolve());
    });
    const sentAt = monotonicMs();
    const answers = await Promise.all(procs.map((p) => p.ask({ cmd: 'job', id: jobId, oprHash: Buffer.alloc(32, jobId & 255).toString('hex') })));
    await got;
    const lat = arrivals.map((a) => a - sentAt);
    rounds.push({ p50: pct(lat, 50), p99: pct(lat, 99), all: Math.max(...lat), loopMs: answers.map((a) => a.fanout.ms) });
    await new Promise((r) => setTimeout(r, 300));
  }
  for (const s of all) s.client.close();
  for (const p of procs) await p.exit();
  return rounds;
}

const lines = [`fan-out of one job to ${SESSIONS} sessions, ${JOBS} jobs per row, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`, '', '| server processes | arrival p50 (ms) | arrival p99 (ms) | last arrival (ms) | server loop per process (ms) |', '|---|---|---|---|---|'];
for (const n of SPLITS) {
  const rounds = await run(n);
  const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}`;
  lines.push(`| ${n} x ${Math.ceil(SESSIONS / n)} sessions | ${range(rounds.map((r) => r.p50))} | ${range(rounds.map((r) => r.p99))} | ${range(rounds.map((r) => r.all))} | ${range(rounds.flatMap((r) => r.loopMs))} |`);
}
process.stdout.write(lines.join('\n') + '\n');
