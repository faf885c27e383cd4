/** One attempt to deliver one event to one endpoint, as the admin page lists it. */
export interface DeliveryAttempt {
  at: number;
  eventId: string;
  event: string;
  /** The endpoint without its query string (displayUrl). */
  url: string;
  /** Whose webhook: a user id, or null for the operator's URLs. */
  userId: string | null;
  attempt: number;
  outcome: 'sent' | 'failed' | 'dropped';
  /** The endpoint's HTTP status, when it answered. */
  status: number | null;
  error: string | null;
  ms: number;
}

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
