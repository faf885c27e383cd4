// The server side of perf/stratum-load.ts and perf/stratum-ramp.ts: a Stratum server in its own
// process (so load and server do not share an event loop), driven over IPC. Loopback only.
// LOAD_BITS: table size; LOAD_VALIDATOR: `inline` (hash on the server's thread, the default) or
// `engine` (the pool's validation engine on LOAD_WORKERS worker threads); LOAD_STALE_MS: the
// stale grace window.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadOrCreateTable } from '../src/lxr/index.js';
import { createInlineValidator } from '../src/stratum/inline-validator.js';
import { permissiveAuthorizer } from '../src/stratum/auth.js';
import { StratumServer } from '../src/stratum/server.js';
import { countingSink } from '../src/stratum/share-sink.js';
import { createShareValidator } from '../src/validation/index.js';

const bits = Number(process.env.LOAD_BITS ?? 20);
const table = await loadOrCreateTable({ bits });
const sink = countingSink();
const engine = process.env.LOAD_VALIDATOR === 'engine' ? createShareValidator({ table, workers: Number(process.env.LOAD_WORKERS ?? 1) }) : undefined;
const server = new StratumServer(
  {
    host: '127.0.0.1',
    port: 0,
    initialTarget: 0n,
    maxConnections: 30_000,
    maxConnectionsPerIp: 30_000,
    maxPendingRequests: 256,
    welcomeMessage: '',
    vardiff: { enabled: false, minTarget: 0n },
    bans: { threshold: 1e12 },
    ...(process.env.LOAD_STALE_MS ? { staleGraceMs: Number(process.env.LOAD_STALE_MS) } : {}),
  },
  { validator: engine ?? createInlineValidator(table), authorizer: permissiveAuthorizer(), sink },
);
const { port } = await server.listen();
// Sampled every 1 ms; a sample is the whole interval, so 1 ms is taken off each figure.
const loop = monitorEventLoopDelay({ resolution: 1 });
const lag = (ns: number) => Math.max(0, ns / 1e6 - 1);
loop.enable();

type Cmd = { cmd: 'job'; id: number; oprHash: string } | { cmd: 'mem' } | { cmd: 'stats' } | { cmd: 'loop' } | { cmd: 'exit' };
process.on('message', (m: Cmd) => {
  switch (m.cmd) {
    case 'job':
      process.send!({ cmd: 'job', fanout: server.setJob({ jobId: m.id, oprHash: Buffer.from(m.oprHash, 'hex') }) });
      break;
    case 'mem':
      globalThis.gc?.();
      process.send!({ cmd: 'mem', sessions: server.sessionCount, ...process.memoryUsage() });
      break;
    case 'stats':
      process.send!({ cmd: 'stats', accepted: sink.count, counters: server.counters, cpu: process.cpuUsage(), validator: engine?.stats() });
      break;
    case 'loop':
      // Event-loop delay since the last 'loop' (ms).
      process.send!({ cmd: 'loop', p50: lag(loop.percentile(50)), p99: lag(loop.percentile(99)), max: lag(loop.max) });
      loop.reset();
      break;
    case 'exit':
      void server.close().then(async () => {
        await engine?.close();
        process.exit(0);
      });
  }
});
process.send!({ cmd: 'ready', port });
