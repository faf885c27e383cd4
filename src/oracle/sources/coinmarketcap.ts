import { AssetGroups } from '../assets.js';
import { oracleError, OracleErrorCode } from '../errors.js';
import type { SourceReading } from './types.js';
import { withQuery, type HttpSourceSpec } from './http-source.js';
import { isoToMs, isRecord, parseJsonBody, ReadingBuilder, requireRecord } from './reading.js';

export const COINMARKETCAP_ENDPOINT = 'https://pro-api.coinmarketcap.com/v1/cryptocurrency/quotes/latest';

/** CoinMarketCap numeric ids (AlternativeMe uses the same numbers). */
export const CMC_IDS: Readonly<Record<string, number>> = {
  XBT: 1, ETH: 1027, LTC: 2, RVN: 2577, XBC: 1831, FCT: 1087, BNB: 1839, XLM: 512, ADA: 2010, XMR: 328, DASH: 131,
  ZEC: 1437, DCR: 1168, PEG: 4979, EOS: 1765, LINK: 1975, XTZ: 2011, BAT: 1697, ATOM: 3794, HBAR: 4642, NEO: 1376,
  CRO: 3635, ETC: 1321, ONT: 2566, DOGE: 74, VET: 3077, HT: 2502, ALGO: 4030, DGB: 109,
};

export const COINMARKETCAP_ASSETS: readonly string[] = [...AssetGroups.crypto, ...AssetGroups.v4Crypto, 'PEG', ...AssetGroups.v5Crypto];

/** The exchange ticker of a PegNet asset (PegNet renames two). */
export function marketSymbol(asset: string): string {
  return asset === 'XBT' ? 'BTC' : asset === 'XBC' ? 'BCH' : asset;
}

/**
 * Reads the rows keyed by CoinMarketCap id that CoinMarketCap and AlternativeMe both answer
 * with: each row's symbol must be the asset's ticker, its USD quote sits under `quoteKey`
 * (`quote` or `quotes`), and `updatedAt` reads the row's time.
 */
export function readCmcRows(
  b: ReadingBuilder,
  data: Record<string, unknown>,
  assets: readonly string[],
  quoteKey: 'quote' | 'quotes',
  updatedAt: (row: Record<string, unknown>, usd: Record<string, unknown>) => number | undefined,
): void {
  for (const asset of assets) {
    const row = data[String(CMC_IDS[asset])];
    if (row === undefined) continue;
    if (!isRecord(row)) { b.malformed(asset, 'row is not an object'); continue; }
    if (row.symbol !== marketSymbol(asset)) { b.malformed(asset, `row symbol ${JSON.stringify(row.symbol)} is not ${marketSymbol(asset)}`); continue; }
    const quote = row[quoteKey];
    const usd = isRecord(quote) && isRecord(quote.USD) ? quote.USD : undefined;
    if (!usd) { b.malformed(asset, `${quoteKey}.USD missing`); continue; }
    b.price(asset, usd.price, updatedAt(row, usd));
  }
}

export function parseCoinMarketCap(body: string, now: number, staleMs: number): SourceReading {
  const name = 'CoinMarketCap';
  const doc = requireRecord(name, parseJsonBody(name, body), 'the answer');
  const status = isRecord(doc.status) ? doc.status : undefined;
  if (status && typeof status.error_code === 'number' && status.error_code !== 0) {
    throw oracleError(OracleErrorCode.ProviderError, `${name}: API error ${status.error_code}: ${String(status.error_message ?? '')}`);
  }
  const data = requireRecord(name, doc.data, 'data');
  const b = new ReadingBuilder(name, now, staleMs);
  readCmcRows(b, data, COINMARKETCAP_ASSETS, 'quote', (_row, usd) => isoToMs(usd.last_updated));
  return b.finish(COINMARKETCAP_ASSETS);
}

export const coinMarketCapSpec: HttpSourceSpec = {
  name: 'CoinMarketCap',
  assets: COINMARKETCAP_ASSETS,
  request: (d) => ({
    url: withQuery(d.endpoint, { id: COINMARKETCAP_ASSETS.map((a) => CMC_IDS[a]).join(','), convert: 'USD' }),
    headers: { 'X-CMC_PRO_API_KEY': d.key },
  }),
  parse: parseCoinMarketCap,
};
