/**
 * Back-pressure, three kinds: a client that does not read (its unsent output grows) is skipped
 * by fan-out and then dropped; a client with too many requests in flight stops being read; a
 * validator that reports busy raises the pool's minimum target (halving share rates) rather
 * than dropping work, and the raise eases off once it keeps up.
 */
import type { Logger } from '../log.js';
import { difficultyFromTarget, targetFromDifficulty } from '../lxr/difficulty.js';
import type { Clock } from '../util/clock.js';
import type { StratumServerConfig } from './config.js';
import { targetHex } from './protocol.js';
import type { Session } from './session.js';
import { clampTarget, type VardiffConfig } from './vardiff.js';

/** Whether a reply would overflow what the client has not read (this turn's corked bytes are not its fault). */
export function overWriteLimit(session: Session, config: StratumServerConfig): boolean {
  return session.socket.writableLength - session.corkedBytes > config.dropWriteBufferBytes;
}

/** What fan-out does with a session given its unsent output. */
export function fanoutAction(session: Session, config: StratumServerConfig): 'send' | 'skip' | 'drop' {
  const buffered = session.socket.writableLength;
  if (buffered > config.dropWriteBufferBytes) return 'drop';
  if (buffered > config.skipWriteBufferBytes) return 'skip';
  return 'send';
}

/** Counts a request in flight; at the limit the socket stops being read. */
export function beginRequest(session: Session, limit: number): void {
  session.pending += 1;
  if (session.pending >= limit) session.socket.pause();
}

export function endRequest(session: Session, limit: number): void {
  session.pending -= 1;
  if (session.pending < limit && !session.closed) session.socket.resume();
}

/** How long the validator must keep up before a raised minimum eases, ms. */
const EASE_AFTER_MS = 60_000;
/** Busy reports closer together than this raise the minimum once, ms. */
const RAISE_AT_MOST_EVERY_MS = 1000;

/** The pool's minimum target: the configured one, raised while the validator is busy. */
export class MinTargetGovernor {
  private minTarget: bigint;
  /** Monotonic ms of the last raise or ease. */
  private lastChange = Number.NEGATIVE_INFINITY;

  constructor(private readonly vardiff: VardiffConfig, private readonly clock: Clock, private readonly log: Logger) {
    this.minTarget = vardiff.minTarget;
  }

  get current(): bigint {
    return this.minTarget;
  }

  /** The validator is backed up: raise the minimum target. */
  noteBusy(): void {
    const t = this.clock.monotonic();
    if (t - this.lastChange < RAISE_AT_MOST_EVERY_MS) return;
    this.lastChange = t;
    const harder = targetFromDifficulty(difficultyFromTarget(this.minTarget) * 2);
    this.minTarget = clampTarget(harder, this.vardiff.minTarget, this.vardiff.maxTarget);
    this.log.warn({ minTarget: targetHex(this.minTarget) }, 'validation busy: raising minimum target');
  }

  /** Eases a raised minimum back one step once the validator has kept up for a minute. */
  relax(): void {
    const t = this.clock.monotonic();
    if (this.minTarget <= this.vardiff.minTarget || t - this.lastChange <= EASE_AFTER_MS) return;
    this.lastChange = t;
    const easier = targetFromDifficulty(Math.max(1e-9, difficultyFromTarget(this.minTarget) / 2));
    this.minTarget = clampTarget(easier, this.vardiff.minTarget, this.vardiff.maxTarget);
  }

  /** A session's target: a vardiff choice bounded by this minimum and the miner's own suggestion. */
  sessionTarget(session: Session, t: bigint): bigint {
    const floor = session.suggestedTarget > this.minTarget ? session.suggestedTarget : this.minTarget;
    return clampTarget(t, floor, this.vardiff.maxTarget);
  }
}
