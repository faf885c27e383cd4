import { isProsperError } from '../errors.js';
import type { Logger } from '../log.js';
import { createFileSpool, type FileSpool } from '../util/spool.js';

/** One event for one endpoint, as it waits on disk. */
export interface QueuedDelivery {
  /** The event's id, the same for every endpoint and every attempt (receivers deduplicate on it). */
  eventId: string;
  event: string;
  url: string;
  secret: string;
  /** The user whose own webhook this is (absent: an operator URL); decimal, as the file on disk holds it. */
  userId?: string;
  /** The exact JSON body posted. */
  body: string;
}

/**
 * The durable, bounded queue of webhook deliveries on the one spool (util/spool.ts): one fsynced
 * file per event and endpoint, so nothing is lost when the pool stops or crashes while an
 * endpoint is down. Each endpoint's deliveries are kept in order; when the bound is reached
 * the oldest delivery is dropped (logged and counted) so the newest events, which say what is
 * true now, still get through.
 */
export class DeliveryQueue {
  private readonly spool: FileSpool;
  /** Names waiting per endpoint key, oldest first. */
  private readonly byTarget = new Map<string, string[]>();
  private readonly cache = new Map<string, QueuedDelivery>();

  constructor(
    opts: { dir: string; maxBytes: number; now: () => number },
    private readonly log: Logger,
    private readonly onDrop: (d: QueuedDelivery | undefined, reason: 'queue-full' | 'unreadable') => void,
  ) {
    this.spool = createFileSpool({ ...opts, ext: '.hook', fullCode: 'PROSPER_E_NOTIFY_QUEUE_FULL', label: 'webhook queue' });
    for (const name of this.spool.entries()) {
      const d = this.load(name);
      if (d) this.index(name, d);
    }
  }

  static targetKey(d: Pick<QueuedDelivery, 'url' | 'userId'>): string {
    return `${d.userId ?? ''} ${d.url}`;
  }

  get count(): number {
    return this.spool.count;
  }

  /** Stores one delivery durably, dropping the oldest ones while the queue is full. */
  push(d: QueuedDelivery): void {
    for (;;) {
      try {
        const name = this.spool.write(JSON.stringify(d));
        this.index(name, d);
        return;
      } catch (err) {
        if (!isProsperError(err, 'PROSPER_E_NOTIFY_QUEUE_FULL')) throw err;
        const oldest = this.spool.entries()[0];
        if (oldest === undefined) {
          // Larger than the whole bound: this one cannot wait anywhere.
          this.log.warn({ event: d.event, eventId: d.eventId }, 'webhook event larger than [notify] queuemaxbytes dropped');
          this.onDrop(d, 'queue-full');
          return;
        }
        const dropped = this.cache.get(oldest);
        this.log.warn({ event: dropped?.event, eventId: dropped?.eventId }, 'webhook queue full: oldest event dropped');
        this.remove(oldest);
        this.onDrop(dropped, 'queue-full');
      }
    }
  }

  /** The oldest waiting delivery of each endpoint. */
  heads(): { key: string; name: string; delivery: QueuedDelivery }[] {
    const out: { key: string; name: string; delivery: QueuedDelivery }[] = [];
    for (const [key, names] of this.byTarget) {
      const name = names[0];
      const delivery = name === undefined ? undefined : this.cache.get(name);
      if (name !== undefined && delivery) out.push({ key, name, delivery });
    }
    return out;
  }

  /** Whether a delivery is still waiting (a full queue may have dropped it while it was sent). */
  has(name: string): boolean {
    return this.cache.has(name);
  }

  remove(name: string): void {
    const d = this.cache.get(name);
    if (!d) return;
    this.spool.remove(name);
    this.cache.delete(name);
    const key = DeliveryQueue.targetKey(d);
    const names = this.byTarget.get(key) ?? [];
    const at = names.indexOf(name);
    if (at >= 0) names.splice(at, 1);
    if (names.length === 0) this.byTarget.delete(key);
  }

  private index(name: string, d: QueuedDelivery): void {
    this.cache.set(name, d);
    const key = DeliveryQueue.targetKey(d);
    const names = this.byTarget.get(key) ?? [];
    names.push(name);
    this.byTarget.set(key, names);
  }

  private load(name: string): QueuedDelivery | undefined {
    try {
      const d = JSON.parse(Buffer.from(this.spool.read(name)).toString('utf8')) as QueuedDelivery;
      if (typeof d.url === 'string' && typeof d.body === 'string' && typeof d.secret === 'string' && typeof d.eventId === 'string') return d;
    } catch {
      // fall through: moved aside below
    }
    this.log.warn({ entry: name }, 'unreadable webhook queue entry set aside (.bad)');
    this.spool.quarantine(name);
    this.onDrop(undefined, 'unreadable');
    return undefined;
  }
}
