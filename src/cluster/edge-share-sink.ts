import { silentLogger, type Logger } from '../log.js';
import type { AcceptedShare, ShareSink } from '../stratum/index.js';
import { decodeShare, encodeShare, shareMsgId, type EdgeShare } from './codec.js';
import type { EdgeSpool } from './edge-spool.js';
import type { NatsLink } from './link.js';
import { checkToken, type ClusterNames } from './subjects.js';
import { logFields, ProsperError } from '../errors.js';

export interface EdgeShareSinkOptions {
  link: NatsLink;
  names: ClusterNames;
  edgeId: string;
  spool: EdgeSpool;
  /** Longest a share waits for JetStream's ack before it is spooled instead. Default 2 s. */
  publishTimeoutMs?: number;
  /** How often to retry the spool while it holds shares (besides on every link `up`). Default 2 s. */
  replayIntervalMs?: number;
  log?: Logger;
}

/**
 * The edge's share sink: each accepted share goes to the coordinator's JetStream stream with
 * its deduplication id, and `accept()` resolves only once JetStream acknowledged it, or, while
 * NATS is unreachable, once it is fsynced in the local spool. Either way the share can no longer
 * be lost when the miner hears "accepted". Spooled shares are replayed under the same ids, so a
 * share whose first publish did reach the stream is not stored twice.
 */
export class EdgeShareSink implements ShareSink {
  /** Shares JetStream acknowledged on first publish / after replay / that it already held. */
  published = 0;
  replayed = 0;
  duplicates = 0;
  spooled = 0;
  private replaying: Promise<number> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly log: Logger;
  private readonly subject: string;
  private readonly offUp: () => void;

  constructor(private readonly o: EdgeShareSinkOptions) {
    checkToken('edge id', o.edgeId);
    this.log = o.log ?? silentLogger();
    this.subject = o.names.sharesSubject(o.edgeId);
    this.offUp = o.link.onUp(() => void this.replay());
    // Shares spooled by an earlier run of this edge go out as soon as the link is up.
    if (o.spool.count > 0) this.scheduleReplay();
  }

  async accept(share: AcceptedShare): Promise<void> {
    const edgeShare: EdgeShare = { ...share, edgeId: this.o.edgeId };
    const data = encodeShare(edgeShare);
    const id = shareMsgId(edgeShare);
    if (this.o.link.up) {
      try {
        await this.publish(id, data);
        this.published += 1;
        return;
      } catch (err) {
        this.log.warn({ ...logFields(err), id }, 'share publish failed; spooling');
      }
    }
    // Throws PROSPER_E_CLUSTER_SPOOL_FULL when full: the miner then hears an error, not "accepted".
    this.o.spool.write(data);
    this.spooled += 1;
    this.scheduleReplay();
  }

  private async publish(id: string, data: Uint8Array): Promise<void> {
    const js = this.o.link.js;
    if (!js) throw new ProsperError('PROSPER_E_CLUSTER_LINK', 'NATS link not connected');
    const ack = await js.publish(this.subject, data, { msgID: id, timeout: this.o.publishTimeoutMs ?? 2000 });
    if (ack.duplicate) this.duplicates += 1;
  }

  /** Sends spooled shares oldest first; stops at the first failure. Returns shares sent. */
  replay(): Promise<number> {
    if (!this.replaying) {
      this.replaying = this.replayOnce().finally(() => {
        this.replaying = undefined;
        if (this.o.spool.count > 0) this.scheduleReplay();
      });
    }
    return this.replaying;
  }

  private async replayOnce(): Promise<number> {
    let sent = 0;
    for (const name of this.o.spool.entries()) {
      if (this.closed || !this.o.link.up) break;
      let id: string;
      let data: Uint8Array;
      try {
        data = this.o.spool.read(name);
        id = shareMsgId(decodeShare(data));
      } catch (err) {
        this.log.error({ ...logFields(err), name }, 'unreadable spooled share quarantined');
        this.o.spool.quarantine(name);
        continue;
      }
      try {
        await this.publish(id, data);
      } catch (err) {
        this.log.warn({ ...logFields(err), left: this.o.spool.count }, 'spool replay paused');
        break;
      }
      this.o.spool.remove(name);
      this.replayed += 1;
      sent += 1;
    }
    if (sent > 0) this.log.info({ sent, left: this.o.spool.count }, 'replayed spooled shares');
    return sent;
  }

  private scheduleReplay(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.replay();
    }, this.o.replayIntervalMs ?? 2000);
    this.timer.unref();
  }

  /** Shares waiting in the spool. */
  get backlog(): number {
    return this.o.spool.count;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.offUp();
    if (this.timer) clearTimeout(this.timer);
    await this.replaying;
  }
}
