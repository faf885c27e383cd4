/**
 * Restart in place, the new process's side (see handover.ts): takes the listening Stratum sockets
 * (plain and TLS) from the process it replaces, queues the connections that arrive before its own Stratum server
 * is up (none is refused, each is served once it is), writes the pid file, and waits until the
 * old process has released the store before the engine starts.
 */
import type { Server, Socket } from 'node:net';
import { ProsperError } from '../errors.js';
import type { Logger } from '../log.js';
import type { InheritedListeners } from '../stratum/index.js';
import { HANDOVER_ENV, type HandoverMessage } from './handover.js';
import { writePidFile } from './pid-file.js';

/** How long the successor waits for the old process to hand over and then to let go. */
const HANDOVER_WAIT_MS = 15 * 60_000;

export interface Takeover {
  /** The handed-over listeners (none for a port the old process did not have). */
  listeners: InheritedListeners;
  /** Serves the connections queued before the Stratum server took the listeners. */
  serveQueued(): void;
}

/** A handed-over listener and the connections that reach it before the Stratum server is up. */
interface Held {
  server: Server;
  queued: Socket[];
}

/** Holds a handed-over listener: its connections wait (none is refused) until Connections.listen replaces this. */
function hold(server: Server): Held {
  const queued: Socket[] = [];
  server.on('connection', (s: Socket) => {
    s.on('error', () => {});
    queued.push(s);
  });
  return { server, queued };
}

/**
 * For a process started by a restart in place: the handover, once the old process has released
 * everything; undefined for an ordinary start.
 */
export async function takeOver(pidFile: string, log: Logger): Promise<Takeover | undefined> {
  const from = process.env[HANDOVER_ENV];
  if (from === undefined || !process.send) return undefined;
  delete process.env[HANDOVER_ENV];
  let plain: Held | undefined;
  let tls: Held | undefined;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ProsperError('PROSPER_E_ENGINE_HANDOVER', `process ${from} did not hand over within ${HANDOVER_WAIT_MS / 1000}s`)), HANDOVER_WAIT_MS);
    const done = () => {
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve();
    };
    const holding = (ports: { port: number | null; tlsPort: number | null }) => {
      writePidFile(pidFile);
      log.info({ from: Number(from), ...ports }, 'restarting in place: holding the Stratum listeners');
      process.send!({ type: 'holding', pid: process.pid } satisfies HandoverMessage);
    };
    let port: number | null = null;
    const onMessage = (m: HandoverMessage, handle?: unknown) => {
      if (m?.type === 'listener') {
        if (handle) plain = hold(handle as Server);
        port = m.port;
        // With a TLS port its handle follows in the next message: holding once both are held.
        if (m.tlsPort === null) holding({ port, tlsPort: null });
      } else if (m?.type === 'tls-listener') {
        if (handle) tls = hold(handle as Server);
        holding({ port, tlsPort: m.port });
      } else if (m?.type === 'released') done();
    };
    process.on('message', onMessage);
    // The old process gone (released, or died) is a release too: its directory lock is then stale.
    process.once('disconnect', done);
    process.send!({ type: 'waiting' } satisfies HandoverMessage);
  });
  if (process.connected) process.disconnect();
  log.info({ from: Number(from) }, 'restarting in place: the old process has let go; starting');
  return {
    listeners: { plain: plain?.server, tls: tls?.server },
    serveQueued: () => {
      for (const held of [plain, tls]) {
        for (const s of held?.queued.splice(0) ?? []) if (!s.destroyed) held!.server.emit('connection', s);
      }
    },
  };
}
