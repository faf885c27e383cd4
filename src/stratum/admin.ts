/**
 * What the console, the admin pages and the engine may do to a running Stratum server: look
 * (sessions, bans, counters), act on one session (send a server method, kick), unban.
 */
import { ProsperError } from '../errors.js';
import type { Connections } from './connections.js';
import type { StratumParts } from './context.js';
import type { StratumCounters } from './counters.js';
import type { Fanout, FanoutResult, NewJob } from './fanout.js';
import { parseTargetHex, requestLine } from './protocol.js';
import type { SessionSnapshot } from './session.js';

/** Server→client methods the console and engine may send to one session. */
export type ServerMethod =
  | 'mining.notify'
  | 'mining.set_target'
  | 'mining.set_nonce'
  | 'mining.stop_mining'
  | 'client.get_version'
  | 'client.reconnect'
  | 'client.show_message';

const NO_PARAMS_METHODS = new Set<string>(['mining.stop_mining', 'client.get_version']);

/** The admin surface (the console is written against it). */
export interface StratumAdmin {
  readonly counters: StratumCounters;
  readonly sessionCount: number;
  readonly minimumTarget: bigint;
  listSessions(): SessionSnapshot[];
  listBans(): { ip: string; until: number }[];
  isBanned(ip: string): boolean;
  banScore(ip: string): number;
  unban(ip: string): void;
  setJob(job: NewJob): FanoutResult;
  stopMining(): number;
  sendToSession(sessionId: string, method: ServerMethod, params?: string[]): boolean;
  kick(sessionId: string): boolean;
}

export class AdminFacade implements StratumAdmin {
  constructor(private readonly p: StratumParts, private readonly conn: Connections, private readonly fanout: Fanout) {}

  get counters(): StratumCounters {
    return this.p.counters;
  }

  get sessionCount(): number {
    return this.p.sessions.size;
  }

  /** The pool's current minimum target (raised under back-pressure). */
  get minimumTarget(): bigint {
    return this.p.governor.current;
  }

  listSessions(): SessionSnapshot[] {
    return [...this.p.sessions.values()].map((s) => s.snapshot());
  }

  /** IPs banned now, and until when (wall-clock ms). */
  listBans(): { ip: string; until: number }[] {
    return this.p.bans.banned();
  }

  isBanned(ip: string): boolean {
    return this.p.bans.isBanned(ip);
  }

  banScore(ip: string): number {
    return this.p.bans.score(ip);
  }

  unban(ip: string): void {
    this.p.bans.unban(ip);
  }

  setJob(job: NewJob): FanoutResult {
    return this.fanout.setJob(job);
  }

  /**
   * Tells every subscribed miner to stop (there is no job it could be paid for, e.g. every
   * price source is down); mining resumes with the next mining.notify. Returns how many heard.
   */
  stopMining(): number {
    return this.fanout.stopMining();
  }

  /**
   * Sends a server→client method to one session. Returns false for an unknown session.
   * set_target also becomes the session's target from its next job on; set_nonce becomes the
   * prefix its shares are checked against.
   */
  sendToSession(sessionId: string, method: ServerMethod, params: string[] = []): boolean {
    const session = this.p.sessions.get(sessionId);
    if (!session) return false;
    if (method === 'mining.set_target') {
      const t = parseTargetHex((params[0] ?? '').replace(/^0x/, ''));
      if (t === null) throw new ProsperError('PROSPER_E_STRATUM_TARGET', `not a hex uint64 target: ${params[0]}`);
      session.target = t;
      session.sentTarget = t;
    }
    if (method === 'mining.set_nonce') {
      const text = params[0] ?? '';
      if (!/^\d{1,10}$/.test(text) || Number(text) > 0xffffffff) throw new ProsperError('PROSPER_E_STRATUM_NONCE', `not a decimal uint32 nonce: ${text}`);
      session.changeNonce(Number(text));
    }
    if (method === 'mining.notify') {
      const jobId = Number(params[0]);
      if (Number.isInteger(jobId)) session.assignJob(jobId);
    }
    return this.conn.send(session, requestLine(this.p.nextRequestId(), method, NO_PARAMS_METHODS.has(method) ? null : params));
  }

  /** Closes one session (console `kick`). */
  kick(sessionId: string): boolean {
    const s = this.p.sessions.get(sessionId);
    if (!s) return false;
    this.conn.drop(s);
    return true;
  }
}
