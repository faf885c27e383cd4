import type { PubAck } from 'nats';
import { silentLogger, type Logger } from '../log.js';
import { decodeJob, encodeJob, type JobAnnouncement } from './codec.js';
import type { NatsLink } from './link.js';
import type { ClusterNames } from './subjects.js';
import { logFields, ProsperError } from '../errors.js';

export type NewJobAnnouncement = Omit<JobAnnouncement, 'seq' | 'issuedAt'>;

/**
 * Coordinator side: publishes each new job into the jobs stream (which keeps only the newest),
 * and publishes the newest again whenever the link comes back, so edges never wait for the
 * next block to learn a job announced during an outage.
 */
export class JobPublisher {
  private last: JobAnnouncement | undefined;
  private readonly log: Logger;
  private readonly off: () => void;

  constructor(private readonly o: { link: NatsLink; names: ClusterNames; now: () => number; log?: Logger; timeoutMs?: number }) {
    this.log = o.log ?? silentLogger();
    this.off = o.link.onUp(() => {
      if (this.last) this.send(this.last).catch((err: unknown) => this.log.warn({ ...logFields(err) }, 'job republish failed'));
    });
  }

  /** Announces a job; rejects when NATS did not store it (it is sent again when the link returns). */
  async publish(job: NewJobAnnouncement): Promise<JobAnnouncement> {
    const t = this.o.now();
    // Clock-based so that a restarted coordinator's announcements still order after its earlier ones.
    const seq = Math.max(t, (this.last?.seq ?? 0) + 1);
    const ann: JobAnnouncement = { ...job, seq, issuedAt: t };
    this.last = ann;
    await this.send(ann);
    return ann;
  }

  private async send(ann: JobAnnouncement): Promise<PubAck> {
    const js = this.o.link.js;
    if (!js) throw new ProsperError('PROSPER_E_CLUSTER_LINK', 'NATS link not connected yet');
    return js.publish(this.o.names.jobsSubject, encodeJob(ann), { timeout: this.o.timeoutMs ?? 2000 });
  }

  close(): void {
    this.off();
  }
}

/**
 * Edge side: hears each job as it is announced and, whenever the link comes up, reads the
 * newest stored announcement, so an edge that starts or reconnects mid-job serves the current
 * job at once. Announcements not newer than the one held are ignored (both paths may deliver it).
 */
export class JobSubscriber {
  current: JobAnnouncement | undefined;
  private subscribed = false;
  private readonly log: Logger;
  private readonly off: () => void;

  constructor(private readonly o: { link: NatsLink; names: ClusterNames; onJob: (job: JobAnnouncement) => void; log?: Logger }) {
    this.log = o.log ?? silentLogger();
    this.off = o.link.onUp(() => void this.catchUp());
    if (o.link.up) void this.catchUp();
  }

  private offer(data: Uint8Array, via: string): void {
    let job: JobAnnouncement;
    try {
      job = decodeJob(data);
    } catch (err) {
      this.log.error({ ...logFields(err), via }, 'job announcement dropped');
      return;
    }
    if (this.current && job.seq <= this.current.seq) return;
    this.current = job;
    try {
      this.o.onJob(job);
    } catch (err) {
      this.log.error({ err, jobId: job.jobId }, 'job handler failed');
    }
  }

  /** Subscribes (once: the client renews subscriptions after reconnects) and reads the stored newest job. */
  async catchUp(): Promise<void> {
    const nc = this.o.link.nc;
    if (!nc) return;
    if (!this.subscribed) {
      this.subscribed = true;
      nc.subscribe(this.o.names.jobsSubject, { callback: (err, msg) => (err ? this.log.warn({ err: err.message }, 'job subscription error') : this.offer(msg.data, 'subject')) });
    }
    try {
      const jsm = await nc.jetstreamManager({ checkAPI: false });
      const stored = await jsm.streams.getMessage(this.o.names.jobsStream, { last_by_subj: this.o.names.jobsSubject });
      this.offer(stored.data, 'stream');
    } catch (err) {
      // No job announced yet (404), or the link dropped again: the next `up` retries.
      this.log.debug({ ...logFields(err) }, 'no stored job read');
    }
  }

  close(): void {
    this.off();
  }
}
