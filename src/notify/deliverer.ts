import type { Logger } from '../log.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import type { DeliveryLog } from './delivery-log.js';
import { DeliveryQueue, type QueuedDelivery } from './queue.js';
import { EVENT_HEADER, EVENT_ID_HEADER, signatureHeaders } from './sign.js';
import { displayUrl } from './url.js';

export interface DelivererOptions {
  queue: DeliveryQueue;
  log: DeliveryLog;
  clock: Clock;
  logger: Logger;
  /** POSTs in flight at once, over all endpoints. */
  concurrency: number;
  timeoutMs: number;
  backoffMs: number;
  backoffCapMs: number;
  /** Failed attempts after which a delivery is given up (0: never). */
  retries: number;
  onOutcome?: (outcome: 'sent' | 'failed' | 'dropped') => void;
}

interface TargetState {
  failures: number;
  busy: boolean;
  retryTimer: TimerHandle | undefined;
}

/** The exponential wait after `failures` failed attempts in a row, capped. */
export function backoffDelay(failures: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, Math.min(failures - 1, 40)));
}

/**
 * Sends the queue's deliveries, off the pool's hot path: each endpoint gets its events one at a
 * time in the order they were queued (a failing head holds the ones behind it, so the order is
 * kept), all endpoints together have at most `concurrency` POSTs in flight, each bounded by a
 * timeout. A failure waits an exponential backoff (capped) on the clock before the next
 * attempt. Delivery is at least once: a delivery is removed from the queue only after a 2xx,
 * so a crash between the reply and the removal sends it again with the same event id.
 */
export class Deliverer {
  private readonly targets = new Map<string, TargetState>();
  private active = 0;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  /** Aborts the POSTs in flight at stop: their deliveries stay queued for the next start. */
  private readonly stopping = new AbortController();

  constructor(private readonly o: DelivererOptions) {}

  /** Starts whatever can be sent now; called after every enqueue, reply and backoff. */
  pump(): void {
    if (this.stopped) return;
    for (const head of this.o.queue.heads()) {
      if (this.active >= this.o.concurrency) return;
      const state = this.state(head.key);
      if (state.busy || state.retryTimer !== undefined) continue;
      state.busy = true;
      this.active += 1;
      const p = this.attempt(head.name, head.delivery, state).finally(() => {
        this.inFlight.delete(p);
        state.busy = false;
        this.active -= 1;
        this.pump();
      });
      this.inFlight.add(p);
    }
  }

  /** Stops sending: the POSTs in flight are cut off, and what waits stays on disk for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    for (const s of this.targets.values()) this.o.clock.clearTimeout(s.retryTimer);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private state(key: string): TargetState {
    let s = this.targets.get(key);
    if (!s) {
      s = { failures: 0, busy: false, retryTimer: undefined };
      this.targets.set(key, s);
    }
    return s;
  }

  private async attempt(name: string, d: QueuedDelivery, state: TargetState): Promise<void> {
    const started = this.o.clock.monotonic();
    const attempt = state.failures + 1;
    const { status, error } = await this.post(d);
    const ms = Math.round(this.o.clock.monotonic() - started);
    const ok = status !== null && status >= 200 && status < 300;
    const record = (outcome: 'sent' | 'failed' | 'dropped', why: string | null) => {
      this.o.log.add({ at: this.o.clock.now(), eventId: d.eventId, event: d.event, url: displayUrl(d.url), userId: d.userId ?? null, attempt, outcome, status, error: why, ms });
      this.o.onOutcome?.(outcome);
    };
    if (this.stopped && !ok) return; // cut off by the stop: not a failure of the endpoint
    if (ok) {
      state.failures = 0;
      this.o.queue.remove(name);
      record('sent', null);
      return;
    }
    const why = error ?? `HTTP ${status}`;
    state.failures += 1;
    if (this.o.retries > 0 && state.failures >= this.o.retries) {
      this.o.logger.warn({ url: displayUrl(d.url), event: d.event, eventId: d.eventId, attempts: state.failures, err: why }, 'webhook given up after [notify] retries failed attempts');
      state.failures = 0;
      this.o.queue.remove(name);
      record('dropped', why);
      return;
    }
    record('failed', why);
    const wait = backoffDelay(state.failures, this.o.backoffMs, this.o.backoffCapMs);
    if (state.failures === 1) this.o.logger.warn({ url: displayUrl(d.url), event: d.event, err: why }, 'webhook delivery failed; retrying with backoff');
    if (this.stopped) return;
    state.retryTimer = this.o.clock.setTimeout(() => {
      state.retryTimer = undefined;
      this.pump();
    }, wait).unref();
  }

  private async post(d: QueuedDelivery): Promise<{ status: number | null; error: string | null }> {
    const secret = d.secret;
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'prosper-pool-webhook',
      [EVENT_HEADER]: d.event,
      [EVENT_ID_HEADER]: d.eventId,
      ...signatureHeaders(secret, Math.floor(this.o.clock.now() / 1000), d.body),
    };
    try {
      // No redirects: a signed event goes only where it was configured to go.
      const res = await fetch(d.url, { method: 'POST', headers, body: d.body, redirect: 'manual', signal: AbortSignal.any([AbortSignal.timeout(this.o.timeoutMs), this.stopping.signal]) });
      await res.body?.cancel().catch(() => undefined);
      return { status: res.status, error: null };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const error = e.name === 'TimeoutError' ? `no reply within ${this.o.timeoutMs} ms` : (e.cause?.code ?? e.message);
      return { status: null, error };
    }
  }
}
