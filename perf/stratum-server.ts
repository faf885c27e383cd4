// The server side of perf/stratum-load.ts: a Stratum server in its own process (so load and
// server do not share an event loop), driven over IPC. Loopback only.
import { loadOrCreateTable } from '../src/lxr/index.js';
import { createInlineValidator } from '../src/stratum/inline-validator.js';
import { permissiveAuthorizer } from '../src/stratum/auth.js';
import { StratumServer } from '../src/stratum/server.js';
import { countingSink } from '../src/stratum/share-sink.js';

const bits = Number(process.env.LOAD_BITS ?? 20);
const table = await loadOrCreateTable({ bits });
const sink = countingSink();
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
  },
  { validator: createInlineValidator(table), authorizer: permissiveAuthorizer(), sink },
);
const { port } = await server.listen();

type Cmd = { cmd: 'job'; id: number; oprHash: string } | { cmd: 'mem' } | { cmd: 'stats' } | { cmd: 'exit' };
process.on('message', (m: Cmd) => {
  switch (m.cmd) {
    case 'job':
      process.send!({ cmd: 'job', fanout: server.setJob({ id: m.id, oprHash: Buffer.from(m.oprHash, 'hex') }) });
      break;
    case 'mem':
      globalThis.gc?.();
      process.send!({ cmd: 'mem', sessions: server.sessionCount, ...process.memoryUsage() });
      break;
    case 'stats':
      process.send!({ cmd: 'stats', accepted: sink.count, counters: server.counters, cpu: process.cpuUsage() });
      break;
    case 'exit':
      void server.close().then(() => process.exit(0));
  }
});
process.send!({ cmd: 'ready', port });
