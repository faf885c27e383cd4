/**
 * The miner: one Stratum connection, N hashing threads. Handles every server method, submits
 * each share for the job it was mined on, reconnects with backoff (to the address of the last
 * client.reconnect, if any) and prints a status line per job.
 */
import { EventEmitter } from 'node:events';
import { creditForTarget, estimateHashrate, type HashrateFigure } from '../accounting/index.js';
import { logFields, ProsperError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { MINER_DEFAULT_TARGET } from '../lxr/difficulty.js';
import { monotonicMs } from '../util/clock.js';
import { StratumClient, type StratumTlsOptions } from '../stratum/client.js';
import type { FoundShare, MinerThreads } from './threads.js';
import type { JobId } from '../domain/index.js';

export interface MinerOptions {
  host: string;
  port: number;
  username: string;
  minerId: string;
  password?: string;
  inviteCode?: string;
  payoutAddress?: string;
  agent: string;
  threads: MinerThreads;
  logger?: Logger;
  /** Human output (status lines, server messages). */
  print?: (line: string) => void;
  backoff?: { initialMs: number; maxMs: number };
  /** Stratum over TLS (the pool's tlsport): CA or pinned fingerprint, as StratumClient takes it. */
  tls?: StratumTlsOptions;
  sleep?: (ms: number) => Promise<void>;
}

export interface JobStatus {
  jobId: number;
  seconds: number;
  /** Hashes this miner computed for the job (its own count, not the pool's). */
  hashes: number;
  /** Local hashing rate: hashes / seconds. */
  hashRate: number;
  accepted: number;
  rejected: number;
  /**
   * The pool's estimate from this job's accepted shares (the same estimator and credit the pool
   * uses), over the job's duration: what the pool credits, with its 95 % band.
   */
  credited: HashrateFigure | null;
}

export class Miner extends EventEmitter {
  private client: StratumClient | null = null;
  private stopped = false;
  private host: string;
  private port: number;
  private jobId = 1;
  private oprHash = '';
  private target = MINER_DEFAULT_TARGET;
  private connectionNonce = 0;
  private jobStarted = 0;
  private attempts = 0;
  private jobAccepted = 0;
  private jobRejected = 0;
  /** Credit (expected hashes of the assigned target) of the job's accepted shares. */
  private jobCredit = 0n;
  totalSubmitted = 0;
  totalAccepted = 0;
  totalRejected = 0;
  readonly rejectReasons = new Map<string, number>();
  private readonly log: Logger;
  private readonly print: (line: string) => void;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: MinerOptions) {
    super();
    this.host = opts.host;
    this.port = opts.port;
    this.log = opts.logger ?? silentLogger();
    this.print = opts.print ?? (() => {});
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    opts.threads.on('share', (s: FoundShare) => this.submit(s));
    opts.threads.on('warn', (m: string) => this.log.warn(m));
  }

  get currentJob(): { jobId: number; oprHash: string; target: bigint; nonce: number } {
    return { jobId: this.jobId, oprHash: this.oprHash, target: this.target, nonce: this.connectionNonce };
  }

  /** Connects (retrying with backoff) and runs until stop(). */
  async start(): Promise<void> {
    await this.connectLoop();
  }

  private backoffMs(): number {
    const { initialMs, maxMs } = this.opts.backoff ?? { initialMs: 1000, maxMs: 30_000 };
    return Math.min(maxMs, initialMs * 2 ** Math.min(this.attempts, 16));
  }

  private async connectLoop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.connectOnce();
        this.attempts = 0;
        return;
      } catch (err) {
        if (this.stopped) return;
        if (err instanceof ProsperError && err.code === 'PROSPER_E_STRATUM_TLS_FINGERPRINT') {
          // Not the pinned pool: retrying would only talk to whoever is in between again.
          this.print(`${err.code}: ${err.message}.`);
          this.emit('fatal', err);
          await this.stop();
          return;
        }
        const wait = this.backoffMs();
        this.attempts += 1;
        this.log.warn({ ...logFields(err), host: this.host, port: this.port, retryMs: wait }, 'cannot reach the pool; retrying');
        this.emit('retry', wait);
        await this.sleep(wait);
      }
    }
  }

  private async connectOnce(): Promise<void> {
    const client = new StratumClient({ host: this.host, port: this.port, version: this.opts.agent, ...(this.opts.tls ? { tls: this.opts.tls } : {}) });
    await client.connect();
    this.client = client;
    const state = { established: false };
    this.wire(client, state);
    // Pipelined like the original: subscribe, then authorize without waiting.
    const sub = client.subscribe(this.opts.agent);
    const auth = client.authorize(this.opts.username, this.opts.minerId, this.opts.password ?? '', this.opts.inviteCode ?? '', this.opts.payoutAddress ?? '');
    const info = await sub;
    this.log.info({ session: info.sessionId, nonce: info.nonce }, 'subscribed');
    const res = await auth;
    if (!res.ok) {
      const reason = typeof res.error?.data === 'string' ? res.error.data : 'refused';
      if (res.error?.message === 'ErrorBusy') {
        // The pool could not check the login now (its user store is away, too many logins at once):
        // connectLoop tries again with backoff.
        client.close();
        throw new ProsperError('PROSPER_E_MINER_AUTH_BUSY', `the pool cannot authorize now: ${reason}`);
      }
      this.print(`Authorization refused by the pool (${reason}); rather than mining uncredited, shutting down.`);
      this.emit('fatal', new ProsperError('PROSPER_E_MINER_AUTH', `authorization refused: ${reason}`));
      await this.stop();
      return;
    }
    state.established = true;
    this.log.info({ user: this.opts.username, miner: this.opts.minerId }, 'authorized');
    this.emit('authorized');
  }

  /** A drop during the handshake is retried by connectLoop; after it, by the close handler. */
  private wire(client: StratumClient, state: { established: boolean }): void {
    client.on('set_nonce', (n: number) => {
      this.connectionNonce = n;
      this.opts.threads.setNonce(n);
    });
    client.on('set_target', (t: bigint) => {
      this.target = t;
      this.opts.threads.setTarget(t);
      this.log.info({ target: t.toString(16) }, 'new target');
    });
    client.on('notify', (n: { jobId: number; oprHash: string }) => this.onNotify(n.jobId, n.oprHash));
    client.on('stop_mining', () => {
      this.print('Request to stop mining received');
      this.opts.threads.pause();
    });
    client.on('show_message', (m: string) => {
      this.print(`\n\nMessage from server: ${m}\n\n`);
      this.emit('message', m);
    });
    client.on('reconnect', (r: { host: string; port: number; waitSeconds: number }) => void this.redirect(r.host, r.port, r.waitSeconds));
    client.on('close', () => {
      if (this.client !== client) return;
      this.client = null;
      if (this.stopped || !state.established) return;
      this.log.warn('lost connection to the pool; reconnecting');
      this.emit('disconnected');
      this.opts.threads.pause();
      void this.sleep(this.backoffMs()).then(() => this.connectLoop());
    });
  }

  private onNotify(jobId: number, oprHash: string): void {
    if (jobId < this.jobId) {
      this.log.warn({ jobId, current: this.jobId }, 'old job rejected');
      return;
    }
    this.statusLine();
    this.jobId = jobId;
    this.oprHash = oprHash;
    this.jobStarted = monotonicMs();
    this.jobAccepted = 0;
    this.jobRejected = 0;
    this.jobCredit = 0n;
    this.opts.threads.job(jobId, Buffer.from(oprHash, 'hex'), this.connectionNonce, this.target);
    this.emit('job', jobId, oprHash);
  }

  /** Prints the status of the job that is ending. */
  statusLine(): JobStatus | null {
    if (!this.oprHash) return null;
    const seconds = (monotonicMs() - this.jobStarted) / 1000;
    const hashes = this.opts.threads.hashesByJob.get(this.jobId) ?? 0;
    const credited = seconds > 0 ? estimateHashrate({ credit: this.jobCredit, shares: this.jobAccepted }, seconds, creditForTarget(this.target)) : null;
    const status: JobStatus = { jobId: this.jobId, seconds, hashes, hashRate: seconds > 0 ? hashes / seconds : 0, accepted: this.jobAccepted, rejected: this.jobRejected, credited };
    // The local rate counts this machine's hashes; the pool's figure comes from accepted shares
    // only (a Poisson count), so the two differ and both are named for what they are.
    const pool = credited ? `, pool credit ${formatRate(credited.value)} (95 %: ${formatRate(credited.low)} - ${formatRate(credited.high)})` : '';
    this.print(
      `job ${status.jobId}: local rate ${formatRate(status.hashRate)} on ${this.opts.threads.count} threads over ${seconds.toFixed(1)}s, shares accepted ${status.accepted} rejected ${status.rejected}${pool} (total submitted ${this.totalSubmitted})`,
    );
    this.emit('status', status);
    return status;
  }

  private submit(share: FoundShare): void {
    const client = this.client;
    if (!client?.connected) return;
    this.totalSubmitted += 1;
    const nonceHex = Buffer.from(share.nonce).toString('hex');
    // Credited by the target assigned when the share was sent, as the pool credits it.
    const credit = creditForTarget(this.target);
    // The job the share was mined on, not the current one (the original's quirk).
    client
      .submit(this.opts.username, share.jobId, nonceHex, Buffer.from(share.oprHash).toString('hex'), share.target.toString(16))
      .then((r) => {
        if (r.ok) {
          this.totalAccepted += 1;
          if (share.jobId === this.jobId) {
            this.jobAccepted += 1;
            this.jobCredit += credit;
          }
          this.emit('share-accepted', share);
        } else {
          this.totalRejected += 1;
          if (share.jobId === this.jobId) this.jobRejected += 1;
          const reason = r.error?.message ?? 'false';
          this.rejectReasons.set(reason, (this.rejectReasons.get(reason) ?? 0) + 1);
          this.log.debug({ nonce: nonceHex, reason, data: r.error?.data }, 'share rejected');
        }
        this.emit('share-result', r.ok, r.error);
      })
      .catch(() => {});
  }

  private async redirect(host: string, port: number, waitSeconds: number): Promise<void> {
    // A reconnect naming no host or port means the same address (a pool restarting in place).
    if (!host) host = this.host;
    if (!(port > 0 && port <= 65535)) port = this.port;
    this.print(`Pool asks to reconnect to ${host}:${port} in ${waitSeconds}s`);
    const old = this.client;
    this.client = null;
    old?.close();
    this.opts.threads.pause();
    await this.sleep(waitSeconds * 1000);
    // Later drops reconnect here too (the original went back to the first address).
    this.host = host;
    this.port = port;
    this.attempts = 0;
    await this.connectLoop();
  }

  async getOprHash(jobId: JobId): Promise<string | null> {
    const r = await this.client?.getOprHash(jobId);
    if (!r || typeof r.result !== 'string' || !/^[0-9a-fA-F]{64}$/.test(r.result)) return null;
    if (jobId === this.jobId && r.result.toLowerCase() !== this.oprHash) {
      this.oprHash = r.result.toLowerCase();
      this.opts.threads.job(this.jobId, Buffer.from(this.oprHash, 'hex'), this.connectionNonce, this.target);
    }
    return r.result;
  }

  async suggestTarget(hex: string): Promise<boolean> {
    const r = await this.client?.suggestTarget(hex);
    return r?.result === true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.client?.close();
    this.client = null;
    await this.opts.threads.stop();
    this.emit('stopped');
  }
}

export function formatRate(hps: number): string {
  const units = ['h/s', 'kh/s', 'Mh/s', 'Gh/s'];
  let v = hps;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u += 1;
  }
  return `${v.toFixed(2)} ${units[u]}`;
}
