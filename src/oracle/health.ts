/**
 * Each price source's health as the pool's pulls saw it: when it last answered, its last error
 * (code and time) and how many reads in a row failed. The /network page shows it; the error
 * counter of /metrics counts the same failures.
 */
import { ProsperError } from '../errors.js';

export interface SourceHealth {
  source: string;
  /** Unix ms of the last good read; null before one. */
  lastSuccessAt: number | null;
  /** The last failure's code (PROSPER_E_* or the thrown error's name) and unix ms; null before one. */
  lastError: { code: string; at: number } | null;
  /** Failed reads since the last good one. */
  consecutiveFailures: number;
}

export class DatasourceHealth {
  private readonly sources = new Map<string, SourceHealth>();

  constructor(private readonly now: () => number = Date.now) {}

  private entry(source: string): SourceHealth {
    let h = this.sources.get(source);
    if (!h) {
      h = { source, lastSuccessAt: null, lastError: null, consecutiveFailures: 0 };
      this.sources.set(source, h);
    }
    return h;
  }

  succeeded(source: string): void {
    const h = this.entry(source);
    h.lastSuccessAt = this.now();
    h.consecutiveFailures = 0;
  }

  failed(source: string, err: unknown): void {
    const h = this.entry(source);
    const code = err instanceof ProsperError ? err.code : err instanceof Error ? err.name : 'UNKNOWN';
    h.lastError = { code, at: this.now() };
    h.consecutiveFailures += 1;
  }

  /** Every source read so far, by name. */
  snapshot(): SourceHealth[] {
    return [...this.sources.values()].map((h) => ({ ...h, lastError: h.lastError && { ...h.lastError } })).sort((a, b) => a.source.localeCompare(b.source));
  }
}
