/**
 * The Stratum server: PegNet's dialect over line-delimited JSON on TCP (and optionally TLS),
 * hardened against hostile clients, holding many sessions on one thread. It composes the parts
 * (docs/stratum.md section 8): connections (sockets, framing, sending, timeouts), dispatch and
 * one handler per method, the pure share check, fan-out, back-pressure, and the admin facade.
 * Share proof is delegated to the injected ShareValidator; accepted shares go to the ShareSink.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Server } from 'node:net';
import { silentLogger, type Logger } from '../log.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import type { ShareValidator } from '../validation/types.js';
import { AdminFacade, type ServerMethod, type StratumAdmin } from './admin.js';
import type { StratumAuthorizer } from './auth.js';
import { MinTargetGovernor } from './backpressure.js';
import { BanList } from './bans.js';
import { stratumClock } from './clock.js';
import { resolveStratumConfig, type StratumConfigInput, type StratumServerConfig } from './config.js';
import { Connections, type InheritedListeners } from './connections.js';

export type { InheritedListeners };
import type { HandlerContext, StratumParts } from './context.js';
import { zeroCounters, type StratumCounters } from './counters.js';
import { dispatchLine } from './dispatch.js';
import { Fanout, type FanoutResult, type NewJob } from './fanout.js';
import { registerInspection } from './inspect.js';
import { JobBook, type Job } from './jobs.js';
import { SessionRegistry } from './registry.js';
import type { SessionSnapshot } from './session.js';
import type { ShareSink } from './share-sink.js';

export type { FanoutResult, NewJob } from './fanout.js';
export type { ServerMethod, StratumAdmin } from './admin.js';
export { zeroCounters, type StratumCounters } from './counters.js';

export interface StratumServerDeps {
  validator: ShareValidator;
  authorizer: StratumAuthorizer;
  sink: ShareSink;
  logger?: Logger;
  /** Time for timeouts, bans, vardiff and timers (default: the system clock). */
  clock?: Clock;
  /** Older form: a fake wall time that also serves as monotonic time (tests); `clock` wins. */
  now?: () => number;
  /** For server→client request ids. */
  random?: () => number;
  randomBytes?: (n: number) => Uint8Array;
}

export class StratumServer extends EventEmitter {
  readonly config: StratumServerConfig;
  readonly counters: StratumCounters = zeroCounters();
  /** What the console and admin pages use. */
  readonly admin: StratumAdmin;
  private readonly parts: HandlerContext;
  private readonly conn: Connections;
  private readonly fanout: Fanout;
  private sweepTimer: TimerHandle | null = null;

  constructor(config: StratumConfigInput, deps: StratumServerDeps) {
    super();
    this.config = resolveStratumConfig(config);
    const clock = stratumClock(deps);
    const log = deps.logger ?? silentLogger();
    const random = deps.random ?? Math.random;
    const randomBytes = deps.randomBytes ?? ((n: number) => cryptoRandomBytes(n));
    const mono = () => clock.monotonic();
    const validator = deps.validator;
    const parts: StratumParts = {
      config: this.config,
      log,
      clock,
      counters: this.counters,
      sessions: new SessionRegistry(),
      bans: new BanList(this.config.bans, mono, () => clock.now()),
      jobs: new JobBook(this.config.staleGraceMs, mono, (job) => {
        if (this.config.manageValidatorJobs) validator.closeJob(job.jobId);
      }),
      governor: new MinTargetGovernor(this.config.vardiff, clock, log),
      validator,
      authorizer: deps.authorizer,
      sink: deps.sink,
      events: this,
      nextRequestId: () => Math.floor(random() * 0x7fffffff),
    };
    this.conn = new Connections(parts, randomBytes, (session, line) => dispatchLine(this.parts, session, line));
    this.fanout = new Fanout(parts, this.conn);
    // One object: what the handlers see is what the other parts see.
    this.parts = Object.assign(parts, { conn: this.conn, fanout: this.fanout });
    this.admin = new AdminFacade(parts, this.conn, this.fanout);
    // Tests and load tools look inside through inspect.ts, not through private fields.
    registerInspection(this, parts, this.conn);
  }

  /** Listens on the configured ports, or on `inherited`, the listening servers handed over at a restart. */
  async listen(inherited?: InheritedListeners): Promise<{ port: number; tlsPort?: number }> {
    const { port, tlsPort } = await this.conn.listen(inherited);
    if (this.config.sweepIntervalMs > 0) {
      this.sweepTimer = this.parts.clock.setInterval(() => this.sweep(), this.config.sweepIntervalMs);
      this.sweepTimer.unref();
    }
    this.parts.log.info({ port, tlsPort }, 'stratum listening');
    return { port, tlsPort };
  }

  /** The plain TCP listener, for a restart to hand over (null when not listening). */
  get listener(): Server | null {
    return this.conn.listener;
  }

  /** The TLS port's listener, for a restart to hand over (null when there is none). */
  get tlsListener(): Server | null {
    return this.conn.tls;
  }

  async close(): Promise<void> {
    this.parts.clock.clearInterval(this.sweepTimer ?? undefined);
    this.sweepTimer = null;
    await this.conn.close();
  }

  /** Reads the TLS certificate files again now (the files are also watched); false keeps the old pair. */
  reloadTls(): boolean {
    return this.conn.reloadTls();
  }

  /** Timeouts, job expiry, ban decay and back-pressure relief. Runs on a timer; tests call it. */
  sweep(): void {
    this.conn.expireIdle();
    this.parts.jobs.expire();
    this.parts.bans.sweep();
    this.parts.governor.relax();
  }

  /** Makes a new job current and sends it to every subscribed session (see Fanout.setJob). */
  setJob(job: NewJob): FanoutResult {
    return this.fanout.setJob(job);
  }

  get currentJob(): Job | null {
    return this.parts.jobs.job;
  }

  // The admin facade, also on the server for the engine's existing callers.

  get minimumTarget(): bigint {
    return this.admin.minimumTarget;
  }

  get sessionCount(): number {
    return this.admin.sessionCount;
  }

  listBans(): { ip: string; until: number }[] {
    return this.admin.listBans();
  }

  listSessions(): SessionSnapshot[] {
    return this.admin.listSessions();
  }

  isBanned(ip: string): boolean {
    return this.admin.isBanned(ip);
  }

  banScore(ip: string): number {
    return this.admin.banScore(ip);
  }

  unban(ip: string): void {
    this.admin.unban(ip);
  }

  stopMining(): number {
    return this.admin.stopMining();
  }

  sendToSession(sessionId: string, method: ServerMethod, params: string[] = []): boolean {
    return this.admin.sendToSession(sessionId, method, params);
  }

  kick(sessionId: string): boolean {
    return this.admin.kick(sessionId);
  }
}
