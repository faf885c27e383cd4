/**
 * The supported way for tests and load tools to look inside a running Stratum server and bend
 * what production never needs to: rewind the connection-nonce counter (a wrapped uint32), swap
 * the share sink, reach the TLS listener, read the bookkeeping's sizes and a session's socket.
 * The engine, console and admin pages use StratumAdmin instead; the server has no private
 * accessors for tests.
 */
import type { Socket } from 'node:net';
import type { Connections } from './connections.js';
import type { StratumParts } from './context.js';
import type { StratumServer } from './server.js';
import type { ShareSink } from './share-sink.js';

export interface StratumInspection {
  /** The connection nonce the next connection gets. */
  nextNonce: number;
  /** Where accepted shares go. */
  sink: ShareSink;
  /** The TLS listener's port, when one is listening. */
  readonly tlsPort: number | undefined;
  /** Sessions held (open connections). */
  readonly sessionCount: number;
  /** IPs with at least one session. */
  readonly ipCount: number;
  /** A session's socket (to read its buffered bytes), or undefined when there is no such session. */
  socketOf(sessionId: string): Socket | undefined;
}

const inspections = new WeakMap<object, StratumInspection>();

/** Called once by the server it describes. */
export function registerInspection(server: object, parts: StratumParts, conn: Connections): void {
  inspections.set(server, {
    get nextNonce() {
      return conn.nextNonce;
    },
    set nextNonce(n: number) {
      conn.nextNonce = n;
    },
    get sink() {
      return parts.sink;
    },
    set sink(sink: ShareSink) {
      parts.sink = sink;
    },
    get tlsPort() {
      const addr = conn.tls?.address();
      return addr && typeof addr === 'object' ? addr.port : undefined;
    },
    get sessionCount() {
      return parts.sessions.size;
    },
    get ipCount() {
      return parts.sessions.ipCount;
    },
    socketOf: (sessionId) => parts.sessions.get(sessionId)?.socket,
  });
}

/** The inspection of a StratumServer (every server registers itself in its constructor). */
export function inspectStratum(server: StratumServer): StratumInspection {
  return inspections.get(server) as StratumInspection;
}
