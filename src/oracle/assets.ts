/**
 * Assets as the oracle needs them. The per-version OPR lists (consensus order) are pegnet's;
 * the oracle adds the groups providers describe their coverage with, and market hours.
 */
import {
  assetsForVersion as pegnetAssetsForVersion, isOprVersion, V1_ASSETS, V2_ASSETS, V4_ASSETS, V5_ASSETS, type OprVersion,
} from '../pegnet/index.js';

export { isOprVersion, type OprVersion };

const CURRENCIES = ['USD', 'EUR', 'JPY', 'GBP', 'CAD', 'CHF', 'INR', 'SGD', 'CNY', 'HKD', 'KRW', 'BRL', 'PHP', 'MXN'] as const;
const V1_METALS = ['XAU', 'XAG', 'XPD', 'XPT'] as const;
const V1_CRYPTO = ['XBT', 'ETH', 'LTC', 'RVN', 'XBC', 'FCT', 'BNB', 'XLM', 'ADA', 'XMR', 'DASH', 'ZEC', 'DCR'] as const;
const V4_CURRENCIES = ['AUD', 'NZD', 'SEK', 'NOK', 'RUB', 'ZAR', 'TRY'] as const;
const V4_CRYPTO = ['EOS', 'LINK', 'ATOM', 'BAT', 'XTZ'] as const;
const V5_CRYPTO = ['HBAR', 'NEO', 'CRO', 'ETC', 'ONT', 'DOGE', 'VET', 'HT', 'ALGO', 'DGB'] as const;
const V5_CURRENCIES = ['AED', 'ARS', 'TWD', 'RWF', 'KES', 'UGX', 'TZS', 'BIF', 'ETB', 'NGN'] as const;

/** Asset groups the providers describe their coverage with. */
export const AssetGroups = {
  currencies: CURRENCIES,
  v4Currencies: V4_CURRENCIES,
  v5Currencies: V5_CURRENCIES,
  metals: V1_METALS,
  crypto: V1_CRYPTO,
  v4Crypto: V4_CRYPTO,
  v5Crypto: V5_CRYPTO,
} as const;

export const ASSETS_V1: readonly string[] = V1_ASSETS;
export const ASSETS_V2: readonly string[] = V2_ASSETS;
export const ASSETS_V4: readonly string[] = V4_ASSETS;
export const ASSETS_V5: readonly string[] = V5_ASSETS;

/** Every asset any version prices (V1's PNT is priced as PEG, so it is not listed). */
export const ALL_PRICED_ASSETS: readonly string[] = Object.freeze([...ASSETS_V5, 'XPD', 'XPT']);

export const OPR_VERSIONS: readonly OprVersion[] = [1, 2, 3, 4, 5];

/** The assets an OPR of this version carries, in OPR order. */
export function assetsForVersion(version: OprVersion): readonly string[] {
  return pegnetAssetsForVersion(version);
}

/** V1 calls the pool token PNT; every source knows it as PEG. */
export function pricingSymbol(asset: string): string {
  return asset === 'PNT' ? 'PEG' : asset;
}

const MARKET_HOURS = new Set<string>([...CURRENCIES, ...V4_CURRENCIES, ...V5_CURRENCIES, ...V1_METALS]);

/** Fiat and metals trade in market hours (closed at weekends); crypto and PEG trade all the time. */
export function tradesInMarketHours(asset: string): boolean {
  return MARKET_HOURS.has(asset) && asset !== 'USD';
}

export function isCrypto(asset: string): boolean {
  return (V1_CRYPTO as readonly string[]).includes(asset) || (V4_CRYPTO as readonly string[]).includes(asset)
    || (V5_CRYPTO as readonly string[]).includes(asset) || asset === 'PEG';
}

export function isMetal(asset: string): boolean {
  return (V1_METALS as readonly string[]).includes(asset);
}
