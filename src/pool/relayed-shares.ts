import type { JobId } from '../domain/index.js';
import type { JetStreamManager } from 'nats';
import type { EdgeRegistry } from '../cluster/index.js';

/**
 * Whether every share acknowledged to a miner before a job's stale window closed has been
 * credited, so the job may be settled: each edge has reported, after the window closed, an
 * empty spool (what it held then is in the stream now), and no share the stream held at that
 * moment is left in it. A silent edge holds settlement (up to the block
 * handler's limit): it may be spooling shares through a NATS outage.
 */
export class RelayedShares {
  private readonly marks = new Map<number, number>();

  constructor(
    private readonly registry: Pick<EdgeRegistry, 'list'>,
    private readonly jsm: () => Promise<JetStreamManager>,
    private readonly stream: string,
  ) {}

  async allIn(jobId: JobId, windowClosedAt: number): Promise<boolean> {
    if (this.registry.list().some((e) => e.receivedAt < windowClosedAt || e.report.spooled > 0)) {
      this.marks.delete(jobId);
      return false;
    }
    // The shares stream is a work queue: a share leaves it when the coordinator acks it, after
    // its credit is durable. So once no message up to the mark is left, all of them are credited.
    const state = (await (await this.jsm()).streams.info(this.stream)).state;
    let mark = this.marks.get(jobId);
    if (mark === undefined) {
      mark = state.last_seq;
      this.marks.set(jobId, mark);
    }
    if (state.messages > 0 && state.first_seq <= mark) return false;
    this.marks.delete(jobId);
    return true;
  }
}
