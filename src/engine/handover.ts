/**
 * Restart in place, the old process's side (README "Restarts in place"). On RESTART_SIGNAL the
 * running pool starts its successor (the same binary path, argv and environment, so an upgraded
 * install is what runs) and hands it the listening Stratum sockets (plain and TLS) over the IPC
 * channel; the successor holds them (connections wait in its queues, none is refused) while this process stops
 * accepting, asks its miners to reconnect spread over `[stratum] reconnectspread`, and then
 * stops as usual (shares in flight settled, credit flushed, the store closed and its directory
 * lock released). Only then does the successor open the store: a PGlite directory has one
 * process at a time, and the same order serves PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:net';
import { ProsperError } from '../errors.js';
import type { Logger } from '../log.js';
import type { StratumServer } from '../stratum/index.js';

/** The signal that restarts a pool in place (systemd: ExecReload=kill -USR2 $MAINPID). */
export const RESTART_SIGNAL = 'SIGUSR2';
/** Set in the successor's environment to the old process's pid: it starts by taking over. */
export const HANDOVER_ENV = 'PROSPER_HANDOVER_FROM';
/** How long the successor has to take the listener before the restart is given up. */
const TAKEOVER_TIMEOUT_MS = 60_000;
/** Beyond the spread, how long miners get to go before the rest are dropped at stop. */
const DRAIN_GRACE_MS = 15_000;

/** The messages of the handover, in the order they are sent. */
export type HandoverMessage =
  | { type: 'waiting' } // successor → old: listening for the socket
  | { type: 'listener'; port: number | null; tlsPort: number | null } // old → successor, with the plain server handle when port is not null
  | { type: 'tls-listener'; port: number } // old → successor after 'listener' when tlsPort is not null, with the TLS server handle
  | { type: 'holding'; pid: number } // successor → old: it accepts (and queues) connections
  | { type: 'released' }; // old → successor: the store and the other ports are free

export interface HandoverOptions {
  /** The Stratum server whose listeners go to the successor (none on a coordinator). */
  stratum: StratumServer | undefined;
  spreadMs: number;
  logger: Logger;
}

/**
 * Starts the successor and hands it the listener, then drains this process's miners. Resolves
 * with the successor once this process may stop; throws PROSPER_E_ENGINE_HANDOVER (this process
 * keeps serving) when the successor does not take over.
 */
export async function handOver(o: HandoverOptions): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    env: { ...process.env, [HANDOVER_ENV]: String(process.pid) },
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  o.logger.info({ successor: child.pid }, 'restarting in place: successor started');
  try {
    await successorHolds(child, o.stratum?.listener ?? null, o.stratum?.tlsListener ?? null);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  if (o.stratum) await drain(o.stratum, o.spreadMs, o.logger);
  return child;
}

/** Tells the successor the store and ports are free, and lets it go its own way. */
export function releaseSuccessor(child: ChildProcess): Promise<void> {
  // The successor outlives this process: its handle must not keep this one running.
  child.unref();
  if (!child.connected) return Promise.resolve();
  return new Promise<void>((resolve) => {
    child.send({ type: 'released' } satisfies HandoverMessage, () => {
      if (child.connected) child.disconnect();
      resolve();
    });
  });
}

function successorHolds(child: ChildProcess, listener: Server | null, tlsListener: Server | null): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fail = (why: string) => {
      cleanup();
      reject(new ProsperError('PROSPER_E_ENGINE_HANDOVER', `the new pool process ${child.pid ?? ''} did not take over (${why}); this one keeps serving`));
    };
    const timer = setTimeout(() => fail(`no answer in ${TAKEOVER_TIMEOUT_MS / 1000}s`), TAKEOVER_TIMEOUT_MS);
    const onExit = (code: number | null, signal: string | null) => fail(`it exited with ${signal ?? code}`);
    const onError = (err: Error) => fail(err.message);
    const onMessage = (m: HandoverMessage) => {
      if (m?.type === 'waiting') {
        const port = listener ? portOf(listener) : null;
        const tlsPort = tlsListener ? portOf(tlsListener) : null;
        const msg: HandoverMessage = { type: 'listener', port, tlsPort };
        if (listener) child.send(msg, listener);
        else child.send(msg);
        // One handle per message; messages (with or without a handle) arrive in the order sent.
        if (tlsListener && tlsPort !== null) child.send({ type: 'tls-listener', port: tlsPort } satisfies HandoverMessage, tlsListener);
      } else if (m?.type === 'holding') {
        cleanup();
        resolve();
      }
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.off('exit', onExit).off('error', onError).off('message', onMessage);
    };
    child.on('exit', onExit).on('error', onError).on('message', onMessage);
  });
}

function portOf(server: Server): number | null {
  const a = server.address();
  return a !== null && typeof a === 'object' ? a.port : null;
}

/**
 * Stops accepting (the successor holds the socket, so nothing is refused) and asks each miner to
 * reconnect, one after another over the spread, so the successor is not hit by all at once;
 * waits until they have gone (or the spread and a grace have passed: the stop drops the rest).
 */
async function drain(stratum: StratumServer, spreadMs: number, log: Logger): Promise<void> {
  // Stops accepting at once (its callback would wait for the open connections, so none is awaited).
  stratum.listener?.close();
  stratum.tlsListener?.close();
  const sessions = stratum.listSessions();
  log.info({ sessions: sessions.length, spreadSeconds: spreadMs / 1000 }, 'restarting in place: no longer accepting; asking miners to reconnect');
  const step = sessions.length > 1 ? spreadMs / (sessions.length - 1) : 0;
  const timers = sessions.map((s, i) => setTimeout(() => stratum.sendToSession(s.sessionId, 'client.reconnect', []), Math.round(i * step)));
  const deadline = Date.now() + spreadMs + DRAIN_GRACE_MS;
  try {
    while (stratum.sessionCount > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    for (const t of timers) clearTimeout(t);
  }
  log.info({ left: stratum.sessionCount }, 'restarting in place: miners drained');
}
