/**
 * PegNet asset lists per OPR version (docs/pegnet.md section 4). The order is
 * consensus: V2+ OPRs carry prices by position, V1 by name.
 */
import { ProsperError } from '../errors.js';
import type { OprVersion } from './activation.js';

/** V1: PNT first, 14 currencies, 4 metals, 13 cryptos (32). */
export const V1_ASSETS: readonly string[] = Object.freeze([
  'PNT', 'USD', 'EUR', 'JPY', 'GBP', 'CAD', 'CHF', 'INR', 'SGD', 'CNY', 'HKD', 'KRW', 'BRL', 'PHP', 'MXN',
  'XAU', 'XAG', 'XPD', 'XPT',
  'XBT', 'ETH', 'LTC', 'RVN', 'XBC', 'FCT', 'BNB', 'XLM', 'ADA', 'XMR', 'DASH', 'ZEC', 'DCR',
]);

/** V2 and V3: V1 with PNT renamed PEG and XPD, XPT removed (30). */
export const V2_ASSETS: readonly string[] = Object.freeze([
  'PEG', 'USD', 'EUR', 'JPY', 'GBP', 'CAD', 'CHF', 'INR', 'SGD', 'CNY', 'HKD', 'KRW', 'BRL', 'PHP', 'MXN',
  'XAU', 'XAG',
  'XBT', 'ETH', 'LTC', 'RVN', 'XBC', 'FCT', 'BNB', 'XLM', 'ADA', 'XMR', 'DASH', 'ZEC', 'DCR',
]);

/** V4: V2 + 7 currencies + 5 cryptos (42). */
export const V4_ASSETS: readonly string[] = Object.freeze([
  ...V2_ASSETS,
  'AUD', 'NZD', 'SEK', 'NOK', 'RUB', 'ZAR', 'TRY',
  'EOS', 'LINK', 'ATOM', 'BAT', 'XTZ',
]);

/** V5: V4 + 10 cryptos + 10 currencies (62), in the corrected (2020-08-21) order miners use. */
export const V5_ASSETS: readonly string[] = Object.freeze([
  ...V4_ASSETS,
  'HBAR', 'NEO', 'CRO', 'ETC', 'ONT', 'DOGE', 'VET', 'HT', 'ALGO', 'DGB',
  'AED', 'ARS', 'TWD', 'RWF', 'KES', 'UGX', 'TZS', 'BIF', 'ETB', 'NGN',
]);

/** The asset list an OPR of `version` carries. */
export function assetsForVersion(version: OprVersion): readonly string[] {
  switch (version) {
    case 1: return V1_ASSETS;
    case 2: case 3: return V2_ASSETS;
    case 4: return V4_ASSETS;
    case 5: return V5_ASSETS;
    default: throw new ProsperError('PROSPER_E_PEGNET_VERSION', `no OPR version ${String(version)}`);
  }
}

/** V2+ prices are uint64 counts of 1e-8 USD. */
export const PRICE_UNITS_PER_USD = 100_000_000;

/**
 * USD price -> OPR uint64, as the reference's FloatToUint64 (round half away from zero of
 * p * 1e8). Negative, NaN and out-of-range prices are refused: they have no uint64 value.
 */
export function priceToUnits(price: number): bigint {
  const scaled = price * 1e8;
  if (!Number.isFinite(scaled) || scaled < 0 || scaled >= 18446744073709551616) {
    throw new ProsperError('PROSPER_E_PEGNET_PRICE', `price ${price} has no uint64 representation`);
  }
  // Go's math.Round rounds half away from zero; Math.round rounds half up (same for >= 0).
  return BigInt(Math.round(scaled));
}

/** OPR uint64 -> USD float as the grader sees it: float64(u) / 1e8. */
export function unitsToPrice(units: bigint): number {
  return Number(units) / 1e8;
}
