/**
 * Jobs out to miners: a new job to every subscribed session (vardiff retargets here, targets are
 * fixed per job), one job or target to one session, and stop_mining to all.
 */
import { ProsperError } from '../errors.js';
import { monotonicMs } from '../util/clock.js';
import { fanoutAction } from './backpressure.js';
import type { Connections } from './connections.js';
import type { StratumParts } from './context.js';
import type { Job } from './jobs.js';
import { requestLine, targetHex } from './protocol.js';
import type { Session } from './session.js';
import { retarget } from './vardiff.js';
import { uncork } from './wire.js';

export interface NewJob {
  id: number;
  oprHash: Uint8Array;
  /** Shares at or above it compete for network submission (passed to the validator). */
  submitThreshold?: bigint;
}

export interface FanoutResult {
  sessions: number;
  sent: number;
  skipped: number;
  dropped: number;
  /** Wall time of the loop, ms. */
  ms: number;
  /** CPU time the process spent in it, ms (differs from `ms` on a busy machine). */
  cpuMs: number;
}

export class Fanout {
  constructor(private readonly p: StratumParts, private readonly conn: Connections) {}

  notifyLine(job: Job): string {
    return requestLine(this.p.nextRequestId(), 'mining.notify', [String(job.id), job.oprHashHex, '']);
  }

  sendTarget(session: Session): void {
    session.sentTarget = session.target;
    this.conn.send(session, requestLine(this.p.nextRequestId(), 'mining.set_target', [targetHex(session.target)]));
  }

  /** Sends a job with its fixed target: set_target first when the target changed. */
  sendJob(session: Session, job: Job, notifyLine: string | Buffer): void {
    session.assignJob(job.id);
    if (session.corked) {
      // Replies of this turn are waiting: join them, and flush now.
      if (session.target !== session.sentTarget) this.sendTarget(session);
      this.conn.send(session, notifyLine);
      if (session.corked && !session.closed) uncork(session);
      return;
    }
    // The fan-out's common case: one write straight to the socket (set_target and notify joined
    // when the target changed), no cork and no tick callback per session.
    if (session.closed) return;
    if (session.target !== session.sentTarget) {
      session.sentTarget = session.target;
      const target = requestLine(this.p.nextRequestId(), 'mining.set_target', [targetHex(session.target)]);
      session.socket.write(Buffer.concat([Buffer.from(target), typeof notifyLine === 'string' ? Buffer.from(notifyLine) : notifyLine]));
    } else {
      session.socket.write(notifyLine);
    }
  }

  /**
   * Makes a new job current and sends it to every subscribed session. A session whose socket
   * buffer is over the skip limit is skipped (it is behind), over the drop limit dropped.
   */
  setJob(newJob: NewJob): FanoutResult {
    if (newJob.oprHash.length !== 32) throw new ProsperError('PROSPER_E_STRATUM_JOB', 'OPR hash must be 32 bytes');
    const { config, clock, sessions, governor } = this.p;
    // The loop's own cost is measured on the process's real time, whatever clock drives policy.
    const started = monotonicMs();
    const cpuStarted = process.cpuUsage();
    const job: Job = {
      id: newJob.id,
      oprHash: Uint8Array.from(newJob.oprHash),
      oprHashHex: Buffer.from(newJob.oprHash).toString('hex'),
      submitThreshold: newJob.submitThreshold ?? 0xffffffffffffffffn,
      startedAt: clock.now(),
    };
    this.p.jobs.setJob(job);
    if (config.manageValidatorJobs) this.p.validator.openJob(job.id, job.submitThreshold);
    // Encoded once; every socket gets the same bytes.
    const line = Buffer.from(this.notifyLine(job));
    const result: FanoutResult = { sessions: sessions.size, sent: 0, skipped: 0, dropped: 0, ms: 0, cpuMs: 0 };
    const t = clock.monotonic();
    for (const session of sessions.values()) {
      if (!session.subscribed) continue;
      const action = fanoutAction(session, config);
      if (action === 'drop') {
        this.conn.drop(session);
        result.dropped += 1;
        continue;
      }
      if (action === 'skip') {
        result.skipped += 1;
        continue;
      }
      const next = retarget(session.vardiff, config.vardiff, session.target, t);
      session.target = governor.sessionTarget(session, next ?? session.target);
      this.sendJob(session, job, line);
      result.sent += 1;
    }
    result.ms = monotonicMs() - started;
    const cpu = process.cpuUsage(cpuStarted);
    result.cpuMs = (cpu.user + cpu.system) / 1000;
    this.p.events.emit('fanout', job.id, result);
    return result;
  }

  /** stop_mining to every subscribed session; returns how many heard. */
  stopMining(): number {
    let sent = 0;
    const line = requestLine(this.p.nextRequestId(), 'mining.stop_mining', null);
    for (const session of this.p.sessions.values()) {
      if (session.subscribed && !session.closed && this.conn.send(session, line)) sent += 1;
    }
    return sent;
  }
}
