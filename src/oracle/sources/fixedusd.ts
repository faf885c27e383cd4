import type { PriceSource, SourceReading } from './types.js';

/** USD is 1 by definition; no request. */
export const FIXEDUSD_ASSETS: readonly string[] = ['USD'];

export function createFixedUsd(now: () => number): PriceSource {
  return {
    name: 'FixedUSD',
    url: 'none (always 1)',
    assets: FIXEDUSD_ASSETS,
    async read(): Promise<SourceReading> {
      const t = now();
      return { source: 'FixedUSD', takenAt: t, prices: new Map([['USD', 1]]), times: new Map([['USD', t]]), errors: new Map() };
    },
  };
}
