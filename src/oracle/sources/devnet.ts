import { ALL_PRICED_ASSETS, isCrypto, isMetal } from '../assets.js';
import type { PriceSource, SourceReading } from './types.js';
import { oracleError, OracleErrorCode } from '../errors.js';

/**
 * Simulated prices for the devnet and the embedded default (no internet there). Each price is a
 * pure function of (seed, asset, time step): a random walk over a sliding window of the last
 * WINDOW step increments, so it moves like a walk from step to step yet stays near a realistic
 * level forever, and the same seed and clock always give the same prices.
 */
export const DEVNET_BASE_PRICES: Readonly<Record<string, number>> = {
  PEG: 0.0006, USD: 1, EUR: 1.08, JPY: 0.0067, GBP: 1.27, CAD: 0.73, CHF: 1.12, INR: 0.012, SGD: 0.74, CNY: 0.138,
  HKD: 0.128, KRW: 0.00074, BRL: 0.18, PHP: 0.0175, MXN: 0.055, XAU: 2400, XAG: 28, XPD: 1000, XPT: 950,
  XBT: 60000, ETH: 3000, LTC: 80, RVN: 0.02, XBC: 400, FCT: 0.05, BNB: 550, XLM: 0.1, ADA: 0.4, XMR: 160, DASH: 28,
  ZEC: 30, DCR: 15, AUD: 0.66, NZD: 0.6, SEK: 0.095, NOK: 0.093, RUB: 0.011, ZAR: 0.054, TRY: 0.03, EOS: 0.6,
  LINK: 14, ATOM: 6, BAT: 0.2, XTZ: 0.8, HBAR: 0.07, NEO: 10, CRO: 0.09, ETC: 22, ONT: 0.2, DOGE: 0.12, VET: 0.025,
  HT: 0.5, ALGO: 0.15, DGB: 0.008, AED: 0.2723, ARS: 0.0011, TWD: 0.031, RWF: 0.00076, KES: 0.0077, UGX: 0.00027,
  TZS: 0.00038, BIF: 0.00035, ETB: 0.0087, NGN: 0.00065,
};

const WINDOW = 64;

/** Per-step log-volatility by asset class. */
function volatility(asset: string): number {
  if (isCrypto(asset)) return 0.004;
  if (isMetal(asset)) return 0.001;
  return 0.0005;
}

/** A 32-bit integer hash (murmur3 finaliser over mixed inputs) mapped to [-1, 1). */
function noise(seed: number, assetIndex: number, step: number): number {
  let h = (seed ^ Math.imul(assetIndex + 1, 0x9e3779b1) ^ Math.imul(step | 0, 0x85ebca6b) ^ Math.imul(Math.floor(step / 2 ** 32), 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 31 - 1;
}

/** The simulated USD price of `asset` at time step `step`. */
export function devnetPrice(seed: number, asset: string, step: number): number {
  const base = DEVNET_BASE_PRICES[asset];
  if (base === undefined) throw oracleError(OracleErrorCode.MissingAsset, `devnet has no base price for ${asset}`);
  if (asset === 'USD') return 1;
  const idx = ALL_PRICED_ASSETS.indexOf(asset);
  const sigma = volatility(asset);
  let walk = 0;
  for (let k = step - WINDOW + 1; k <= step; k++) walk += sigma * noise(seed, idx, k);
  return base * Math.exp(walk);
}

export function createDevnetSource(opts: { seed: number; stepMs: number; now: () => number }): PriceSource {
  const stepMs = Math.max(1, opts.stepMs);
  return {
    name: 'Devnet',
    url: `simulated (seed ${opts.seed}, step ${stepMs} ms)`,
    assets: ALL_PRICED_ASSETS,
    async read(): Promise<SourceReading> {
      const now = opts.now();
      const step = Math.floor(now / stepMs);
      const prices = new Map<string, number>();
      const times = new Map<string, number>();
      for (const asset of ALL_PRICED_ASSETS) {
        prices.set(asset, devnetPrice(opts.seed, asset, step));
        times.set(asset, step * stepMs);
      }
      return { source: 'Devnet', takenAt: now, prices, times, errors: new Map() };
    },
  };
}
