/**
 * Writing to one session's socket. Replies produced in one event-loop turn (a validated batch)
 * leave in one write per socket, up to a bound so that a burst still streams out.
 */
import type { Session } from './session.js';

const CORK_LIMIT_BYTES = 16 * 1024;

/**
 * Queues `line` on the session's corked socket. The caller has already checked that the session
 * is open and not over its write-buffer limit (see backpressure.ts).
 */
export function writeCorked(session: Session, line: string | Buffer): void {
  const sock = session.socket;
  if (!session.corked) {
    session.corked = true;
    sock.cork();
    process.nextTick(uncork, session);
  }
  sock.write(line);
  session.corkedBytes += line.length;
  if (session.corkedBytes > CORK_LIMIT_BYTES) {
    sock.uncork();
    session.corkedBytes = 0;
    sock.cork();
  }
}

/** Flushes what this turn corked. */
export function uncork(session: Session): void {
  session.corked = false;
  session.corkedBytes = 0;
  session.socket.uncork();
}
