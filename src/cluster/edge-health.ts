import type { Subscription } from 'nats';
import { silentLogger, type Logger } from '../log.js';
import { decodeReport, encodeReport, type EdgeReport } from './codec.js';
import type { NatsLink } from './link.js';
import { checkToken, type ClusterNames } from './subjects.js';
import { logFields, ProsperError } from '../errors.js';

/**
 * Edge side: publishes a health/load report on a timer (plain NATS, not stored: a missed report
 * is replaced by the next). The caller supplies the figures; sentAt and edgeId are filled in.
 */
export class EdgeReporter {
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: { link: NatsLink; names: ClusterNames; edgeId: string; now: () => number; intervalMs?: number; snapshot: () => Omit<EdgeReport, 'edgeId' | 'sentAt'> }) {
    checkToken('edge id', o.edgeId);
  }

  /** Sends one report now; false when the link is down. */
  report(): boolean {
    const nc = this.o.link.nc;
    if (!nc || !this.o.link.up) return false;
    nc.publish(this.o.names.healthSubject(this.o.edgeId), encodeReport({ ...this.o.snapshot(), edgeId: this.o.edgeId, sentAt: this.o.now() }));
    return true;
  }

  start(): void {
    this.report();
    this.timer = setInterval(() => this.report(), this.o.intervalMs ?? 5000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

export interface EdgeStatus {
  report: EdgeReport;
  /** The coordinator's clock when the latest report arrived. */
  receivedAt: number;
  /** No report for longer than the registry's `staleAfterMs`. */
  stale: boolean;
}

/** Coordinator side: the latest report of each edge, with when it arrived (for the web UI). */
export class EdgeRegistry {
  private readonly latest = new Map<string, { report: EdgeReport; receivedAt: number }>();
  private sub: Subscription | undefined;
  private readonly log: Logger;
  rejected = 0;

  constructor(private readonly o: { link: NatsLink; names: ClusterNames; now: () => number; staleAfterMs?: number; log?: Logger }) {
    this.log = o.log ?? silentLogger();
  }

  async start(): Promise<void> {
    await this.o.link.ready();
    const nc = this.o.link.nc;
    if (!nc) throw new ProsperError('PROSPER_E_CLUSTER_LINK', 'NATS link closed');
    this.sub = nc.subscribe(this.o.names.healthWildcard, { callback: (err, msg) => (err ? this.log.warn({ err: err.message }, 'health subscription error') : this.record(msg.subject, msg.data)) });
    // Resolves once the server has the subscription, so no report sent after start() is missed.
    await nc.flush();
  }

  /** Takes one report; the subject's edge id must match the report's (no edge speaks for another). */
  record(subject: string, data: Uint8Array): void {
    let report: EdgeReport;
    try {
      report = decodeReport(data);
      if (subject !== this.o.names.healthSubject(report.edgeId)) throw new ProsperError('PROSPER_E_CLUSTER_BAD_MESSAGE', `edge ${report.edgeId} reported on ${subject}`);
    } catch (err) {
      this.rejected += 1;
      this.log.warn({ ...logFields(err), subject }, 'edge report dropped');
      return;
    }
    this.latest.set(report.edgeId, { report, receivedAt: this.o.now() });
  }

  get(edgeId: string): EdgeStatus | undefined {
    const e = this.latest.get(edgeId);
    return e && this.status(e);
  }

  list(): EdgeStatus[] {
    return [...this.latest.values()].map((e) => this.status(e)).sort((a, b) => a.report.edgeId.localeCompare(b.report.edgeId));
  }

  /** Forgets edges silent for longer than `olderThanMs` (decommissioned). Returns how many. */
  prune(olderThanMs: number): number {
    const t = this.o.now();
    let n = 0;
    for (const [id, e] of this.latest) if (t - e.receivedAt > olderThanMs) this.latest.delete(id) && n++;
    return n;
  }

  private status(e: { report: EdgeReport; receivedAt: number }): EdgeStatus {
    return { ...e, stale: this.o.now() - e.receivedAt > (this.o.staleAfterMs ?? 15_000) };
  }

  stop(): void {
    this.sub?.unsubscribe();
  }
}
