import type { WebDeliveryAttempt } from '../web/index.js';

/** One attempt to deliver one event to one endpoint, as the admin page lists it (routes-notify.ts). */
export type DeliveryAttempt = WebDeliveryAttempt;

/** The last N delivery attempts, newest first: the delivery log of the admin page and API. */
export class DeliveryLog {
  private readonly ring: DeliveryAttempt[] = [];

  constructor(private readonly size: number) {}

  add(a: DeliveryAttempt): void {
    this.ring.push(a);
    if (this.ring.length > this.size) this.ring.splice(0, this.ring.length - this.size);
  }

  recent(limit = this.size): DeliveryAttempt[] {
    return this.ring.slice(-limit).reverse();
  }
}
