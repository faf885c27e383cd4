import type { Logger } from '../log.js';
import { logFields } from '../errors.js';

/** A subscriber: may return a promise, which the bus tracks so a stop can wait for it. */
export type Subscriber<T> = (event: T) => void | Promise<void>;

/**
 * A small typed message bus: producers publish named events, subscribers registered for a name
 * receive them in the order they subscribed, synchronously. One subscriber's failure (a throw or
 * a rejected promise) is logged and never reaches the producer or the other subscribers, so a
 * web feed that breaks cannot stop a settlement. `drain()` waits for the asynchronous work the
 * subscribers started (the engine calls it while stopping, before the store closes).
 */
export class EventBus<M extends { [K in keyof M]: unknown }> {
  private readonly subscribers = new Map<keyof M, Subscriber<never>[]>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly log: Logger) {}

  /** Subscribes to one event name; returns the unsubscribe. */
  on<K extends keyof M>(name: K, fn: Subscriber<M[K]>): () => void {
    const list = this.subscribers.get(name) ?? [];
    list.push(fn as Subscriber<never>);
    this.subscribers.set(name, list);
    return () => {
      const at = list.indexOf(fn as Subscriber<never>);
      if (at >= 0) list.splice(at, 1);
    };
  }

  publish<K extends keyof M>(name: K, event: M[K]): void {
    const list = this.subscribers.get(name);
    if (list === undefined || list.length === 0) return; // the hot path (ShareAccepted) often has none
    for (const fn of list.slice()) {
      try {
        const out = (fn as Subscriber<M[K]>)(event);
        if (out instanceof Promise) this.track(name, out);
      } catch (err) {
        this.failed(name, err);
      }
    }
  }

  /** Waits for the subscribers' asynchronous work started so far (and what that starts). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private track(name: keyof M, p: Promise<void>): void {
    const tracked = p.catch((err: unknown) => this.failed(name, err)).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private failed(name: keyof M, err: unknown): void {
    this.log.error({ event: String(name), ...logFields(err) }, 'an event subscriber failed');
  }
}
