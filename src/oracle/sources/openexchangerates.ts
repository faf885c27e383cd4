import { AssetGroups } from '../assets.js';
import { oracleError, OracleErrorCode } from '../errors.js';
import type { SourceReading } from './types.js';
import { withQuery, type HttpSourceSpec } from './http-source.js';
import { parseJsonBody, ReadingBuilder, requireRecord, secondsToMs } from './reading.js';

/** Open Exchange Rates: `rates[X]` is X per USD (XBT is listed as BTC), so the price is 1/r. */
export const OPENEXCHANGERATES_ENDPOINT = 'https://openexchangerates.org/api/latest.json';
export const OPENEXCHANGERATES_ASSETS: readonly string[] = [
  ...AssetGroups.currencies, ...AssetGroups.metals, 'XBT', ...AssetGroups.v4Currencies, ...AssetGroups.v5Currencies,
];

export function parseOpenExchangeRates(body: string, now: number, staleMs: number): SourceReading {
  const name = 'OpenExchangeRates';
  const doc = requireRecord(name, parseJsonBody(name, body), 'the answer');
  if (doc.error === true || doc.error !== undefined && doc.error !== false) {
    throw oracleError(OracleErrorCode.ProviderError, `${name}: API error ${String(doc.status ?? '?')}: ${String(doc.message ?? '')} ${String(doc.description ?? '')}`.trim());
  }
  if (doc.base !== undefined && doc.base !== 'USD') throw oracleError(OracleErrorCode.Malformed, `${name}: base is ${String(doc.base)}, expected USD`);
  const rates = requireRecord(name, doc.rates, 'rates');
  const time = secondsToMs(doc.timestamp);
  const b = new ReadingBuilder(name, now, staleMs);
  for (const asset of OPENEXCHANGERATES_ASSETS) {
    const r = rates[asset === 'XBT' ? 'BTC' : asset];
    if (r !== undefined) b.inverse(asset, r, time);
  }
  return b.finish(OPENEXCHANGERATES_ASSETS);
}

export const openExchangeRatesSpec: HttpSourceSpec = {
  name: 'OpenExchangeRates',
  assets: OPENEXCHANGERATES_ASSETS,
  request: (d) => ({ url: withQuery(d.endpoint, { app_id: d.key }) }),
  parse: parseOpenExchangeRates,
};
