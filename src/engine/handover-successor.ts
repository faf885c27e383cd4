/**
 * Restart in place, the new process's side (see handover.ts): takes the listening Stratum socket
 * from the process it replaces, queues the connections that arrive before its own Stratum server
 * is up (none is refused, each is served once it is), writes the pid file, and waits until the
 * old process has released the store before the engine starts.
 */
import type { Server, Socket } from 'node:net';
import { ProsperError } from '../errors.js';
import type { Logger } from '../log.js';
import { HANDOVER_ENV, type HandoverMessage } from './handover.js';
import { writePidFile } from './pid-file.js';

/** How long the successor waits for the old process to hand over and then to let go. */
const HANDOVER_WAIT_MS = 15 * 60_000;

export interface Takeover {
  /** The handed-over listener (null when the old process had no Stratum port). */
  listener: Server | null;
  /** Serves the connections queued before the Stratum server took the listener. */
  serveQueued(): void;
}

/**
 * For a process started by a restart in place: the handover, once the old process has released
 * everything; undefined for an ordinary start.
 */
export async function takeOver(pidFile: string, log: Logger): Promise<Takeover | undefined> {
  const from = process.env[HANDOVER_ENV];
  if (from === undefined || !process.send) return undefined;
  delete process.env[HANDOVER_ENV];
  const queued: Socket[] = [];
  let listener: Server | null = null;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ProsperError('PROSPER_E_ENGINE_HANDOVER', `process ${from} did not hand over within ${HANDOVER_WAIT_MS / 1000}s`)), HANDOVER_WAIT_MS);
    const done = () => {
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve();
    };
    const onMessage = (m: HandoverMessage, handle?: unknown) => {
      if (m?.type === 'listener') {
        listener = (handle as Server | undefined) ?? null;
        // Held until the Stratum server takes the listener (Connections.listen replaces this).
        listener?.on('connection', (s: Socket) => {
          s.on('error', () => {});
          queued.push(s);
        });
        writePidFile(pidFile);
        log.info({ from: Number(from), port: m.port }, 'restarting in place: holding the Stratum listener');
        process.send!({ type: 'holding', pid: process.pid } satisfies HandoverMessage);
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
    listener,
    serveQueued: () => {
      for (const s of queued.splice(0)) if (!s.destroyed) listener?.emit('connection', s);
    },
  };
}
