import { randomUUID } from 'node:crypto';
import { logFields } from '../errors.js';
import type { Logger } from '../log.js';
import type { UserId } from '../domain/index.js';
import type { NotifyStore } from '../store/index.js';
import type { Clock } from '../util/clock.js';
import { USER_EVENTS, type NotifyEventName, type NotifySettings } from './config.js';
import { Deliverer } from './deliverer.js';
import { DeliveryLog, type DeliveryAttempt } from './delivery-log.js';
import { DeliveryQueue } from './queue.js';

/** The counters /metrics shows for deliveries (pool-metrics.ts notify*). */
export interface NotifyCounters {
  outcome(outcome: 'sent' | 'failed' | 'dropped'): void;
  dropped(reason: 'queue-full' | 'unreadable'): void;
  queued(count: number): void;
}

export interface NotifierOptions {
  settings: NotifySettings;
  clock: Clock;
  logger: Logger;
  /** Users' own webhooks (absent: only the operator's URLs). */
  store?: Pick<NotifyStore, 'userWebhook'>;
  counters?: NotifyCounters;
}

/** What every webhook body holds (docs/webhooks.md). */
export interface WebhookEnvelope {
  id: string;
  event: NotifyEventName;
  /** ISO 8601, when the pool saw what happened. */
  createdAt: string;
  data: Record<string, unknown>;
}

/** JSON with bigints as decimal strings (amounts exceed 2^53). */
export function webhookJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * Turns pool events into signed webhook deliveries: each event goes to every operator URL whose
 * `[notify] events` include it, and, for the events about one user's miners or payouts, to that
 * user's own URL. `emit` only writes the durable queue and returns; the deliverer sends later.
 */
export class Notifier {
  readonly log: DeliveryLog;
  private readonly queue: DeliveryQueue;
  private readonly deliverer: Deliverer;

  constructor(private readonly o: NotifierOptions) {
    const s = o.settings;
    const logger = o.logger;
    this.log = new DeliveryLog(s.logSize);
    this.queue = new DeliveryQueue({ dir: s.spoolDir, maxBytes: s.queueMaxBytes, now: () => o.clock.now() }, logger, (d, reason) => {
      o.counters?.dropped(reason);
      if (d) this.log.add({ at: o.clock.now(), eventId: d.eventId, event: d.event, url: d.url, userId: d.userId ?? null, attempt: 0, outcome: 'dropped', status: null, error: reason, ms: 0 });
    });
    this.deliverer = new Deliverer({
      queue: this.queue, log: this.log, clock: o.clock, logger,
      concurrency: s.concurrency, timeoutMs: s.timeoutMs, backoffMs: s.backoffMs, backoffCapMs: s.backoffCapMs, retries: s.retries,
      onOutcome: (outcome) => {
        o.counters?.outcome(outcome);
        o.counters?.queued(this.queue.count);
      },
    });
    o.counters?.queued(this.queue.count);
    if (this.queue.count > 0) logger.info({ queued: this.queue.count }, 'webhook events left by the last run will be delivered');
  }

  /** Starts delivering (what an earlier run left in the queue first). */
  start(): void {
    this.deliverer.pump();
  }

  stop(): Promise<void> {
    return this.deliverer.stop();
  }

  get queued(): number {
    return this.queue.count;
  }

  recent(limit?: number): DeliveryAttempt[] {
    return this.log.recent(limit);
  }

  /**
   * Queues one event. `userId`: the user it is about, whose own webhook also gets it (for
   * USER_EVENTS, with `userData` in place of `data` when given: a payout batch shows a user
   * only their own line; `userOnly`: not to the operator's URLs). Resolves once it is on disk
   * (written in a later turn of the event loop, so the caller is never held up by the fsync).
   */
  async emit(event: NotifyEventName, data: Record<string, unknown>, about?: { userId: UserId; userData?: Record<string, unknown>; userOnly?: boolean }): Promise<void> {
    // Each event is written in its own turn of the event loop, so a burst (every miner going
    // offline at once) fsyncs between socket reads instead of holding them up. Turns run in
    // order, so events keep the order they were emitted in.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const s = this.o.settings;
    const envelope = (d: Record<string, unknown>): WebhookEnvelope => ({ id: randomUUID(), event, createdAt: new Date(this.o.clock.now()).toISOString(), data: d });
    if (!about?.userOnly && s.events.has(event) && s.urls.length > 0) {
      const env = envelope(data);
      const body = webhookJson(env);
      for (const url of s.urls) this.queue.push({ eventId: env.id, event, url, secret: s.secret, body });
    }
    if (about && this.o.store && USER_EVENTS.includes(event)) {
      try {
        const hook = await this.o.store.userWebhook(about.userId);
        if (hook) {
          const env = envelope(about.userData ?? data);
          this.queue.push({ eventId: env.id, event, url: hook.url, secret: hook.secret, userId: about.userId.toString(), body: webhookJson(env) });
        }
      } catch (err) {
        this.o.logger.warn({ ...logFields(err), event, userId: about.userId }, "a user's webhook could not be looked up; that user's event is not sent");
      }
    }
    this.o.counters?.queued(this.queue.count);
    this.deliverer.pump();
  }
}
