/**
 * The Stratum server: PegNet's dialect over line-delimited JSON on TCP (and optionally TLS),
 * hardened against hostile clients, holding many sessions on one thread. Share proof is
 * delegated to the injected ShareValidator; accepted shares go to the ShareSink.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { checkText } from '../auth/index.js';
import { isProsperError, ProsperError } from '../errors.js';
import { monotonicMs } from './clock.js';
import { silentLogger, type Logger } from '../log.js';
import { difficultyFromTarget, targetFromDifficulty } from '../lxr/difficulty.js';
import type { ShareValidator } from '../validation/types.js';
import type { StratumAuthorizer } from './auth.js';
import { BanList } from './bans.js';
import { resolveStratumConfig, type BanPoints, type StratumConfigInput, type StratumServerConfig } from './config.js';
import { JobBook, type Job } from './jobs.js';
import { LineSplitter, LineTooLongError } from './line-splitter.js';
import { errorLine, parseMessage, requestLine, resultLine, targetHex, decodeHex, parseTargetHex, type RpcErrorKind } from './protocol.js';
import { Session, type SessionSnapshot } from './session.js';
import type { ShareSink } from './share-sink.js';
import { clampTarget, recordShare, retarget } from './vardiff.js';

export interface StratumServerDeps {
  validator: ShareValidator;
  authorizer: StratumAuthorizer;
  sink: ShareSink;
  logger?: Logger;
  now?: () => number;
  /** For server→client request ids. */
  random?: () => number;
  randomBytes?: (n: number) => Uint8Array;
}

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

export interface StratumCounters {
  connections: number;
  accepted: number;
  stale: number;
  duplicate: number;
  invalid: number;
  rejected: number;
  garbage: number;
  banned: number;
  refused: number;
}

/** Counters at zero (a new server; a sum over several). */
export function zeroCounters(): StratumCounters {
  return { connections: 0, accepted: 0, stale: 0, duplicate: 0, invalid: 0, rejected: 0, garbage: 0, banned: 0, refused: 0 };
}

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

export class StratumServer extends EventEmitter {
  readonly config: StratumServerConfig;
  private readonly validator: ShareValidator;
  private readonly authorizer: StratumAuthorizer;
  private readonly sink: ShareSink;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly randomBytes: (n: number) => Uint8Array;
  private readonly sessions = new Map<string, Session>();
  private readonly byIp = new Map<string, Set<Session>>();
  private readonly bans: BanList;
  private readonly jobs: JobBook;
  private nextNonce: number;
  private tcp: Server | null = null;
  private tls: TlsServer | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  /** Raised above the configured minimum while the validator reports it is busy. */
  private minTarget: bigint;
  private lastBusyAt = 0;
  private readonly difficultyCache = new Map<bigint, number>();
  readonly counters: StratumCounters = zeroCounters();

  constructor(config: StratumConfigInput, deps: StratumServerDeps) {
    super();
    this.config = resolveStratumConfig(config);
    this.validator = deps.validator;
    this.authorizer = deps.authorizer;
    this.sink = deps.sink;
    this.log = deps.logger ?? silentLogger();
    this.now = deps.now ?? Date.now;
    this.random = deps.random ?? Math.random;
    this.randomBytes = deps.randomBytes ?? ((n) => cryptoRandomBytes(n));
    this.bans = new BanList(this.config.bans, this.now);
    this.jobs = new JobBook(this.config.staleGraceMs, this.now, (job) => {
      if (this.config.manageValidatorJobs) this.validator.closeJob(job.id);
    });
    this.minTarget = this.config.vardiff.minTarget;
    // The original seeded the per-connection nonce counter from 4 random bytes.
    const seed = this.randomBytes(4);
    this.nextNonce = ((seed[0]! << 24) | (seed[1]! << 16) | (seed[2]! << 8) | seed[3]!) >>> 0;
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  async listen(): Promise<{ port: number; tlsPort?: number }> {
    const onConnection = (socket: Socket) => this.accept(socket);
    this.tcp = createServer({ noDelay: true, keepAlive: true }, onConnection);
    this.tcp.maxConnections = this.config.maxConnections;
    const port = await listenOn(this.tcp, this.config.port, this.config.host);
    let tlsPort: number | undefined;
    if (this.config.tls) {
      this.tls = createTlsServer({ key: this.config.tls.key, cert: this.config.tls.cert }, onConnection);
      tlsPort = await listenOn(this.tls, this.config.tls.port, this.config.host);
    }
    if (this.config.sweepIntervalMs > 0) {
      this.sweepTimer = setInterval(() => this.sweep(), this.config.sweepIntervalMs);
      this.sweepTimer.unref();
    }
    this.log.info({ port, tlsPort }, 'stratum listening');
    return { port, tlsPort };
  }

  async close(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    const closing = [this.tcp, this.tls].filter((s): s is Server => s !== null).map((s) => new Promise<void>((r) => s.close(() => r())));
    for (const s of this.sessions.values()) s.socket.destroy();
    await Promise.all(closing);
    this.tcp = null;
    this.tls = null;
  }

  // ---- connections --------------------------------------------------------------------------

  private accept(socket: Socket): void {
    const ip = normalizeIp(socket.remoteAddress ?? '');
    const sameIp = this.byIp.get(ip);
    if (this.bans.isBanned(ip) || this.sessions.size >= this.config.maxConnections || (sameIp?.size ?? 0) >= this.config.maxConnectionsPerIp) {
      this.counters.refused += 1;
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    const id = Buffer.from(this.randomBytes(16)).toString('hex');
    const nonce = this.nextNonce;
    this.nextNonce = (this.nextNonce + 1) >>> 0;
    const session = new Session(id, nonce, ip, socket, this.now(), clampTarget(this.config.initialTarget, this.minTarget, this.config.vardiff.maxTarget));
    this.sessions.set(id, session);
    if (sameIp) sameIp.add(session);
    else this.byIp.set(ip, new Set([session]));
    this.counters.connections += 1;
    const splitter = new LineSplitter(this.config.maxLineBytes);
    socket.on('data', (chunk: Buffer) => {
      let events;
      try {
        events = splitter.push(chunk);
      } catch (err) {
        if (err instanceof LineTooLongError) {
          this.log.debug({ ip, session: id }, 'too many bytes on pipe');
          this.penalize(session, this.config.banPoints.garbage);
          this.drop(session);
          return;
        }
        throw err;
      }
      for (const ev of events) {
        if (session.closed) return;
        session.lastActivity = this.now();
        if (!ev.ok) {
          this.counters.garbage += 1;
          this.send(session, errorLine(0, 'ParseError', 'invalid UTF-8'));
          this.penalize(session, this.config.banPoints.garbage);
          continue;
        }
        this.handleLine(session, ev.line);
      }
    });
    socket.on('error', (err) => this.log.debug({ err: err.message, session: id }, 'socket error'));
    socket.on('close', () => this.forget(session));
    this.emit('connect', session.snapshot());
  }

  private forget(session: Session): void {
    if (session.closed && !this.sessions.has(session.id)) return;
    session.closed = true;
    this.sessions.delete(session.id);
    const set = this.byIp.get(session.ip);
    if (set) {
      set.delete(session);
      if (set.size === 0) this.byIp.delete(session.ip);
    }
    this.emit('disconnect', session.id);
  }

  private drop(session: Session): void {
    session.closed = true;
    session.socket.destroy();
    this.forget(session);
  }

  /** Adds ban points; over the threshold, every connection of that IP is closed. */
  private penalize(session: Session, points: number): void {
    if (!this.bans.add(session.ip, points)) return;
    this.counters.banned += 1;
    this.log.warn({ ip: session.ip }, 'ip banned');
    this.emit('ban', session.ip, this.bans.banned().find((b) => b.ip === session.ip)?.until ?? this.now());
    for (const s of [...(this.byIp.get(session.ip) ?? [])]) this.drop(s);
  }

  private send(session: Session, line: string | Buffer): boolean {
    if (session.closed) return false;
    const sock = session.socket;
    // What the client has not read yet; this turn's corked bytes are not its fault.
    if (sock.writableLength - session.corkedBytes > this.config.dropWriteBufferBytes) {
      this.drop(session);
      return false;
    }
    // Replies produced in one turn (a validated batch) leave in one write per socket, up to a
    // bound so that a burst still streams out.
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
    return true;
  }

  /** Credit per assigned target; targets repeat, the float math is not free. */
  private difficultyOf(target: bigint): number {
    let d = this.difficultyCache.get(target);
    if (d === undefined) {
      if (this.difficultyCache.size > 1024) this.difficultyCache.clear();
      d = difficultyFromTarget(target);
      this.difficultyCache.set(target, d);
    }
    return d;
  }

  private nextId(): number {
    return Math.floor(this.random() * 0x7fffffff);
  }

  // ---- requests -----------------------------------------------------------------------------

  private handleLine(session: Session, line: string): void {
    const msg = parseMessage(line);
    switch (msg.kind) {
      case 'garbage':
        this.counters.garbage += 1;
        this.send(session, errorLine(0, 'ParseError', msg.reason));
        this.penalize(session, this.config.banPoints.garbage);
        return;
      case 'response':
        this.emit('response', session.id, msg);
        return;
      case 'bad-params':
        this.send(session, errorLine(msg.id, 'InvalidParams', 'params must be an array of strings'));
        this.penalize(session, this.config.banPoints.invalidParams);
        return;
      case 'request':
        this.handleRequest(session, msg.id, msg.method, msg.params);
    }
  }

  private handleRequest(session: Session, id: number, method: string, params: string[]): void {
    switch (method) {
      case 'mining.subscribe':
        return this.subscribe(session, id, params);
      case 'mining.authorize':
        return this.track(session, id, this.authorize(session, id, params));
      case 'mining.submit':
        return this.track(session, id, this.submit(session, id, params));
      case 'mining.get_oprhash':
        return this.getOprHash(session, id, params);
      case 'mining.suggest_target':
        return this.suggestTarget(session, id, params);
      default:
        this.send(session, errorLine(id, 'MethodNotFound', method.slice(0, 64)));
        this.penalize(session, this.config.banPoints.unknownMethod);
    }
  }

  /** Counts an async request; reading pauses while a session has too many in flight. */
  private track(session: Session, id: number, work: Promise<void>): void {
    if (session.pending >= this.config.maxPendingRequests) {
      // Already over: the read side is paused; lines of the same chunk get this answer.
      this.send(session, errorLine(id, 'TooManyPending', `at most ${this.config.maxPendingRequests} requests in flight`, false));
      return;
    }
    session.pending += 1;
    if (session.pending >= this.config.maxPendingRequests) session.socket.pause();
    work
      .catch((err: unknown) => {
        this.log.error({ err, session: session.id }, 'request failed');
        this.send(session, errorLine(id, 'InternalError', 'internal error', false));
      })
      .finally(() => {
        session.pending -= 1;
        if (session.pending < this.config.maxPendingRequests && !session.closed) session.socket.resume();
      });
  }

  private subscribe(session: Session, id: number, params: string[]): void {
    session.agent = (params[0] ?? '').slice(0, 128);
    session.subscribed = true;
    this.send(
      session,
      resultLine(id, [
        { type: 'mining.notify', id: session.id },
        { type: 'mining.set_target', id: session.id },
        { type: 'mining.set_nonce', id: String(session.nonce) },
      ]),
    );
    // As the original: set_target, then the current job, right after the reply.
    this.sendTarget(session);
    const job = this.jobs.job;
    if (job) this.sendJob(session, job, requestLine(this.nextId(), 'mining.notify', [String(job.id), job.oprHashHex, '']));
  }

  private sendTarget(session: Session): void {
    session.sentTarget = session.target;
    this.send(session, requestLine(this.nextId(), 'mining.set_target', [targetHex(session.target)]));
  }

  /** Sends a job with its fixed target: set_target first when the target changed. */
  private sendJob(session: Session, job: Job, notifyLine: string | Buffer): void {
    session.assignJob(job.id);
    if (session.corked) {
      // Replies of this turn are waiting: join them, and flush now.
      if (session.target !== session.sentTarget) this.sendTarget(session);
      this.send(session, notifyLine);
      if (session.corked && !session.closed) uncork(session);
      return;
    }
    // The fan-out's common case: one write straight to the socket (set_target and notify joined
    // when the target changed), no cork and no tick callback per session.
    if (session.closed) return;
    if (session.target !== session.sentTarget) {
      session.sentTarget = session.target;
      const target = requestLine(this.nextId(), 'mining.set_target', [targetHex(session.target)]);
      session.socket.write(Buffer.concat([Buffer.from(target), typeof notifyLine === 'string' ? Buffer.from(notifyLine) : notifyLine]));
    } else {
      session.socket.write(notifyLine);
    }
  }

  private async authorize(session: Session, id: number, params: string[]): Promise<void> {
    if (params.length < 1) {
      this.send(session, errorLine(id, 'InvalidParams', 'authorize requires params'));
      return;
    }
    const parts = params[0]!.split(',');
    if (parts.length !== 2) {
      this.send(session, errorLine(id, 'InvalidParams', "authorize requires 'username,minerid'"));
      return;
    }
    const [username, minerId] = parts as [string, string];
    if (username.length > 254 || minerId.length > 128) {
      this.send(session, errorLine(id, 'InvalidParams', 'username or minerid too long'));
      return;
    }
    const [, password = '', inviteCode = '', payoutAddress = ''] = params;
    try {
      // Control characters and broken Unicode never reach the authorizer (nor the store behind it).
      for (const [field, value] of [['username', username], ['miner id', minerId], ['password', password], ['invite code', inviteCode], ['payout address', payoutAddress]] as const) {
        checkText(value, field, 1024);
      }
    } catch (err) {
      if (!isProsperError(err)) throw err;
      this.send(session, errorLine(id, 'InvalidParams', `${err.code}: ${err.message}`));
      this.penalize(session, this.config.banPoints.invalidParams);
      return;
    }
    let done!: () => void;
    const running = new Promise<void>((r) => (done = r));
    session.authorizing = running;
    try {
      const res = await this.authorizer.authorize({ username, minerId, password, inviteCode, payoutAddress, ip: session.ip });
      if (session.closed) return;
      if (!res.ok) {
        // Unlike the original, identity is only set once authorization succeeds.
        session.authorized = false;
        const data = res.code ? `${res.code}: ${res.reason}` : res.reason;
        // The pool could not check (store away, hashes busy): the miner should simply retry.
        this.send(session, errorLine(id, res.retryable ? 'Busy' : 'Unauthorized', data, false));
        if (res.code === 'PROSPER_E_AUTH_PASSWORD' || res.code === 'PROSPER_E_AUTH_RATE_LIMIT') this.penalize(session, this.config.banPoints.badPassword);
        return;
      }
      session.username = username;
      session.minerId = minerId;
      session.userId = res.userId;
      session.authorized = true;
      this.send(session, resultLine(id, true));
      if (this.config.welcomeMessage) this.send(session, requestLine(this.nextId(), 'client.show_message', [this.config.welcomeMessage]));
      this.emit('authorize', session.snapshot());
    } finally {
      if (session.authorizing === running) session.authorizing = null;
      done();
    }
  }

  private getOprHash(session: Session, id: number, params: string[]): void {
    if (params.length < 1) {
      this.send(session, errorLine(id, 'InvalidParams', 'get_oprhash requires a job id'));
      return;
    }
    const job = this.jobs.open().find((j) => String(j.id) === params[0]);
    if (!job) {
      this.send(session, errorLine(id, 'StaleJob', `unknown job ${params[0]!.slice(0, 32)}`));
      return;
    }
    this.send(session, resultLine(id, job.oprHashHex));
  }

  private suggestTarget(session: Session, id: number, params: string[]): void {
    const t = params.length >= 1 ? parseTargetHex(params[0]!.replace(/^0x/, '')) : null;
    if (t === null) {
      this.send(session, errorLine(id, 'InvalidParams', 'suggest_target requires a hex target'));
      return;
    }
    const target = clampTarget(t, this.minTarget, this.config.vardiff.maxTarget);
    session.suggestedTarget = target;
    session.target = target;
    // Before any job, it applies now; otherwise with the next job (targets are fixed per job).
    if (session.jobTargets.size === 0 && session.subscribed) this.sendTarget(session);
    this.send(session, resultLine(id, true));
  }

  private reject(session: Session, id: number, kind: RpcErrorKind, data: string, points: number): void {
    session.rejected += 1;
    this.counters.rejected += 1;
    this.send(session, errorLine(id, kind, data, false));
    if (points > 0) this.penalize(session, points);
  }

  private async submit(session: Session, id: number, params: string[]): Promise<void> {
    const pts: BanPoints = this.config.banPoints;
    if (session.authorizing) await session.authorizing;
    if (session.closed) return;
    if (!session.subscribed) return this.reject(session, id, 'NotSubscribed', 'subscribe first', pts.unauthorizedSubmit);
    if (!session.authorized) return this.reject(session, id, 'Unauthorized', 'authorize first', pts.unauthorizedSubmit);
    if (params.length < 5) return this.reject(session, id, 'InvalidParams', 'submit requires [username, jobid, nonce, oprhash, target]', pts.invalidParams);
    const [username, jobIdText, nonceHex, oprHashHex, claimedHex] = params as [string, string, string, string, string];
    if (username !== session.username) return this.reject(session, id, 'InvalidParams', 'username not as expected', pts.invalidParams);
    const oprHash = decodeHex(oprHashHex, 32);
    const nonce = decodeHex(nonceHex, this.config.maxNonceBytes);
    const claimed = parseTargetHex(claimedHex);
    if (!/^\d{1,10}$/.test(jobIdText) || !oprHash || oprHash.length !== 32 || !nonce || claimed === null) {
      return this.reject(session, id, 'InvalidParams', 'malformed job id, nonce, oprhash or target', pts.invalidParams);
    }
    const found = this.jobs.lookup(Number(jobIdText), oprHash);
    if (!found.ok) {
      if (found.stale) {
        session.stale += 1;
        this.counters.stale += 1;
        return this.reject(session, id, 'StaleJob', 'job is no longer current', 0);
      }
      return this.reject(session, id, 'StaleJob', this.jobs.job ? 'unknown job' : 'no job yet', 0);
    }
    const job = found.job;
    if (!session.hasPrefix(nonce, job.id)) return this.reject(session, id, 'NonceNotOurs', 'nonce must start with this connection nonce', pts.badNonce);
    const assigned = session.jobTargets.get(job.id);
    if (assigned === undefined) return this.reject(session, id, 'StaleJob', 'job was not sent to this session', 0);
    if (claimed < assigned) return this.reject(session, id, 'LowTarget', `target below assigned ${targetHex(assigned)}`, pts.lowTarget);
    if (!this.jobs.markNonce(job.id, job.oprHashHex, nonce)) {
      this.counters.duplicate += 1;
      return this.reject(session, id, 'DuplicateShare', 'duplicate share', pts.duplicate);
    }
    const verdict = await this.validator.validate({ jobId: job.id, oprHash: job.oprHash, nonce, claimedTarget: claimed, minTarget: assigned });
    if (session.closed) return;
    if (!verdict.valid) {
      switch (verdict.reason) {
        case 'busy':
          this.noteBusy();
          return this.reject(session, id, 'Busy', verdict.message, 0);
        case 'unknown-job':
          return this.reject(session, id, 'StaleJob', verdict.message, 0);
        case 'failed':
          return this.reject(session, id, 'InternalError', verdict.message, 0);
        case 'below-minimum':
          this.counters.invalid += 1;
          return this.reject(session, id, 'LowTarget', verdict.message, pts.invalidShare);
        default:
          this.counters.invalid += 1;
          return this.reject(session, id, 'TargetMismatch', verdict.message, pts.invalidShare);
      }
    }
    const receivedAt = this.now();
    // The miner hears "accepted" only once the credit is durable (the sink resolves then).
    const credited = this.sink.accept({
      jobId: job.id,
      userId: session.userId,
      username: session.username,
      minerId: session.minerId,
      sessionId: session.id,
      ip: session.ip,
      nonce,
      target: verdict.target,
      assignedTarget: assigned,
      difficulty: this.difficultyOf(assigned),
      submit: verdict.submit,
      receivedAt,
    });
    if (credited) {
      try {
        await credited;
      } catch (err) {
        this.log.warn({ err: (err as Error).message, jobId: job.id }, 'share credit failed');
        return this.reject(session, id, 'InternalError', 'the pool could not record the share; submit it again', 0);
      }
      if (session.closed) return;
    }
    session.accepted += 1;
    this.counters.accepted += 1;
    this.send(session, resultLine(id, true));
    const next = recordShare(session.vardiff, this.config.vardiff, session.target, receivedAt);
    if (next !== null) session.target = this.sessionTarget(session, next);
  }

  /** A vardiff choice bounded by the current pool minimum and the miner's own suggestion. */
  private sessionTarget(session: Session, t: bigint): bigint {
    const floor = session.suggestedTarget > this.minTarget ? session.suggestedTarget : this.minTarget;
    return clampTarget(t, floor, this.config.vardiff.maxTarget);
  }

  /** The validator is backed up: raise the minimum target (halve share rates) rather than drop work. */
  private noteBusy(): void {
    const t = this.now();
    if (t - this.lastBusyAt < 1000) return;
    this.lastBusyAt = t;
    const harder = targetFromDifficulty(difficultyFromTarget(this.minTarget) * 2);
    this.minTarget = clampTarget(harder, this.config.vardiff.minTarget, this.config.vardiff.maxTarget);
    this.log.warn({ minTarget: targetHex(this.minTarget) }, 'validation busy: raising minimum target');
  }

  /** The pool's current minimum target (raised under back-pressure). */
  get minimumTarget(): bigint {
    return this.minTarget;
  }

  // ---- jobs and fan-out ---------------------------------------------------------------------

  /**
   * Makes a new job current and sends it to every subscribed session. A session whose socket
   * buffer is over the skip limit is skipped (it is behind), over the drop limit dropped.
   */
  setJob(newJob: NewJob): FanoutResult {
    if (newJob.oprHash.length !== 32) throw new ProsperError('PROSPER_E_STRATUM_JOB', 'OPR hash must be 32 bytes');
    const started = monotonicMs();
    const cpuStarted = process.cpuUsage();
    const t = this.now();
    const job: Job = {
      id: newJob.id,
      oprHash: Uint8Array.from(newJob.oprHash),
      oprHashHex: Buffer.from(newJob.oprHash).toString('hex'),
      submitThreshold: newJob.submitThreshold ?? 0xffffffffffffffffn,
      startedAt: t,
    };
    this.jobs.setJob(job);
    if (this.config.manageValidatorJobs) this.validator.openJob(job.id, job.submitThreshold);
    // Encoded once; every socket gets the same bytes.
    const line = Buffer.from(requestLine(this.nextId(), 'mining.notify', [String(job.id), job.oprHashHex, '']));
    const result: FanoutResult = { sessions: this.sessions.size, sent: 0, skipped: 0, dropped: 0, ms: 0, cpuMs: 0 };
    for (const session of this.sessions.values()) {
      if (!session.subscribed) continue;
      const buffered = session.socket.writableLength;
      if (buffered > this.config.dropWriteBufferBytes) {
        this.drop(session);
        result.dropped += 1;
        continue;
      }
      if (buffered > this.config.skipWriteBufferBytes) {
        result.skipped += 1;
        continue;
      }
      const next = retarget(session.vardiff, this.config.vardiff, session.target, t);
      session.target = this.sessionTarget(session, next ?? session.target);
      this.sendJob(session, job, line);
      result.sent += 1;
    }
    result.ms = monotonicMs() - started;
    const cpu = process.cpuUsage(cpuStarted);
    result.cpuMs = (cpu.user + cpu.system) / 1000;
    this.emit('fanout', job.id, result);
    return result;
  }

  get currentJob(): Job | null {
    return this.jobs.job;
  }

  // ---- housekeeping -------------------------------------------------------------------------

  /** Timeouts, job expiry, ban decay and back-pressure relief. Runs on a timer; tests call it. */
  sweep(): void {
    const t = this.now();
    for (const s of [...this.sessions.values()]) {
      // A session waiting for its authorize (a password hash) is not idle: it gets its answer.
      if (!(s.subscribed && s.authorized) && !s.authorizing && t - s.connectedAt >= this.config.handshakeTimeoutMs) {
        this.log.debug({ session: s.id }, 'handshake timeout');
        this.drop(s);
      } else if (t - s.lastActivity >= this.config.idleTimeoutMs) {
        this.log.debug({ session: s.id }, 'idle timeout');
        this.drop(s);
      }
    }
    this.jobs.expire();
    this.bans.sweep();
    // Ease the raised minimum back once the validator has kept up for a minute.
    if (this.minTarget > this.config.vardiff.minTarget && t - this.lastBusyAt > 60_000) {
      this.lastBusyAt = t;
      const easier = targetFromDifficulty(Math.max(1e-9, difficultyFromTarget(this.minTarget) / 2));
      this.minTarget = clampTarget(easier, this.config.vardiff.minTarget, this.config.vardiff.maxTarget);
    }
  }

  // ---- admin / console ----------------------------------------------------------------------

  /** IPs banned now, and until when (for the console and the admin page). */
  listBans(): { ip: string; until: number }[] {
    return this.bans.banned();
  }

  listSessions(): SessionSnapshot[] {
    return [...this.sessions.values()].map((s) => s.snapshot());
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  isBanned(ip: string): boolean {
    return this.bans.isBanned(ip);
  }

  banScore(ip: string): number {
    return this.bans.score(ip);
  }

  unban(ip: string): void {
    this.bans.unban(ip);
  }

  /**
   * Tells every subscribed miner to stop (there is no job it could be paid for, e.g. every
   * price source is down); mining resumes with the next mining.notify. Returns how many heard.
   */
  stopMining(): number {
    let sent = 0;
    const line = requestLine(this.nextId(), 'mining.stop_mining', null);
    for (const session of this.sessions.values()) {
      if (session.subscribed && !session.closed && this.send(session, line)) sent += 1;
    }
    return sent;
  }

  /**
   * Sends a server→client method to one session (console, tests). Returns false for an unknown
   * session. set_target also becomes the session's target from its next job on; set_nonce
   * becomes the prefix its shares are checked against.
   */
  sendToSession(sessionId: string, method: ServerMethod, params: string[] = []): boolean {
    const session = this.sessions.get(sessionId);
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
    return this.send(session, requestLine(this.nextId(), method, NO_PARAMS_METHODS.has(method) ? null : params));
  }

  /** Closes one session (console `kick`). */
  kick(sessionId: string): boolean {
    const s = this.sessions.get(sessionId);
    if (!s) return false;
    this.drop(s);
    return true;
  }
}

const CORK_LIMIT_BYTES = 16 * 1024;

function uncork(session: Session): void {
  session.corked = false;
  session.corkedBytes = 0;
  session.socket.uncork();
}

function listenOn(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** "::ffff:1.2.3.4" and "1.2.3.4" are the same client. */
function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}
