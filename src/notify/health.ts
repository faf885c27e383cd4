export type PoolService = 'database' | 'factomd' | 'nats';

export interface HealthChange {
  kind: 'degraded' | 'recovered';
  /** The service that went away (degraded) or came back (recovered). */
  service: PoolService;
  reason: string;
  /** Every service still away after this change (empty on the last recovery: the pool is whole). */
  away: { service: PoolService; since: number; reason: string }[];
}

/**
 * The pool's dependencies as the outage trackers report them. Reports repeat (every failed sync
 * step says "factomd is away"); only changes are announced: a service going away (degraded) and
 * coming back (recovered), each with the list of what is still away.
 */
export class HealthBoard {
  private readonly away = new Map<PoolService, { since: number; reason: string }>();

  constructor(private readonly onChange: (change: HealthChange) => void, private readonly now: () => number) {}

  report(service: PoolService, up: boolean, reason = ''): void {
    if (up === !this.away.has(service)) return;
    if (up) this.away.delete(service);
    else this.away.set(service, { since: this.now(), reason });
    const away = [...this.away].map(([s, v]) => ({ service: s, ...v }));
    this.onChange({ kind: up ? 'recovered' : 'degraded', service, reason, away });
  }
}
