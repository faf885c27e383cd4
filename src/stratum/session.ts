/** Per-connection state. */
import type { JobId } from '../domain/index.js';
import type { Socket } from 'node:net';
import { newVardiffState, type VardiffState } from './vardiff.js';

export class Session {
  agent = '';
  username = '';
  minerId = '';
  userId = '';
  subscribed = false;
  authorized = false;
  /** A running authorize; submits wait for it (the miner pipelines them). */
  authorizing: Promise<void> | null = null;
  /** Target of the next job (vardiff, suggest_target). */
  target: bigint;
  /** The target last sent with set_target (the miner's current minimum). */
  sentTarget = -1n;
  /** A floor the miner asked for with suggest_target. */
  suggestedTarget = 0n;
  /** Target fixed per job when the job was sent to this session. */
  readonly jobTargets = new Map<JobId, bigint>();
  readonly vardiff: VardiffState;
  pending = 0;
  /** Monotonic ms of the last line from the client (idle timeout). */
  lastActivity: number;
  accepted = 0;
  rejected = 0;
  stale = 0;
  /** The connection nonce: the one sent at subscribe, or the last mining.set_nonce. */
  nonce: number;
  /** Big-endian bytes of `nonce`: every share's nonce must start with them. */
  noncePrefix: Uint8Array;
  /** The prefix before the last set_nonce, still ours for the jobs the miner already had then. */
  private previousPrefix: { prefix: Uint8Array; jobs: Set<number> } | null = null;
  closed = false;
  /** The socket is corked until the end of this turn. */
  corked = false;
  corkedBytes = 0;

  constructor(
    readonly id: string,
    nonce: number,
    readonly ip: string,
    readonly socket: Socket,
    /** Wall-clock ms (shown on the admin pages). */
    readonly connectedAt: number,
    /** Monotonic ms (handshake timeout, vardiff windows). */
    readonly openedAt: number,
    initialTarget: bigint,
  ) {
    this.target = initialTarget;
    this.lastActivity = openedAt;
    this.vardiff = newVardiffState(openedAt);
    this.nonce = nonce;
    this.noncePrefix = prefixBytes(nonce);
  }

  /**
   * mining.set_nonce: shares must carry the new prefix from now on. Shares of the jobs the
   * miner already holds may still carry the old one (they were being ground when it changed).
   */
  changeNonce(nonce: number): void {
    this.previousPrefix = { prefix: this.noncePrefix, jobs: new Set(this.jobTargets.keys()) };
    this.nonce = nonce;
    this.noncePrefix = prefixBytes(nonce);
  }

  /** Assigns the session's target for a job it is being sent; keeps the last two jobs. */
  assignJob(jobId: JobId): bigint {
    this.jobTargets.set(jobId, this.target);
    if (this.jobTargets.size > 2) {
      const oldest = Math.min(...this.jobTargets.keys());
      this.jobTargets.delete(oldest);
    }
    return this.target;
  }

  /** Whether a share's nonce for `jobId` starts with this connection's prefix. */
  hasPrefix(nonce: Uint8Array, jobId: JobId): boolean {
    if (startsWith(nonce, this.noncePrefix)) return true;
    const prev = this.previousPrefix;
    return prev !== null && prev.jobs.has(jobId) && startsWith(nonce, prev.prefix);
  }

  snapshot(): SessionSnapshot {
    return {
      sessionId: this.id,
      ip: this.ip,
      nonce: this.nonce,
      agent: this.agent,
      username: this.username,
      minerId: this.minerId,
      subscribed: this.subscribed,
      authorized: this.authorized,
      userId: this.authorized && this.userId !== '' ? this.userId : null,
      target: this.target.toString(16),
      accepted: this.accepted,
      rejected: this.rejected,
      stale: this.stale,
      connectedAt: this.connectedAt,
    };
  }
}

/** What admin pages and the console show about a session. */
export interface SessionSnapshot {
  sessionId: string;
  ip: string;
  nonce: number;
  agent: string;
  username: string;
  minerId: string;
  subscribed: boolean;
  authorized: boolean;
  /** The store's user id once authorized (null before). */
  userId: string | null;
  target: string;
  accepted: number;
  rejected: number;
  stale: number;
  connectedAt: number;
}

function prefixBytes(nonce: number): Uint8Array {
  return new Uint8Array([(nonce >>> 24) & 255, (nonce >>> 16) & 255, (nonce >>> 8) & 255, nonce & 255]);
}

function startsWith(nonce: Uint8Array, p: Uint8Array): boolean {
  return nonce.length >= 4 && nonce[0] === p[0] && nonce[1] === p[1] && nonce[2] === p[2] && nonce[3] === p[3];
}
