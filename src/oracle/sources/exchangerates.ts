import { AssetGroups } from '../assets.js';
import { oracleError, OracleErrorCode } from '../errors.js';
import { withQuery, type HttpSourceSpec } from './http-source.js';
import { isRecord, parseJsonBody, ReadingBuilder, requireRecord } from './reading.js';
import type { SourceReading } from './types.js';

/** exchangeratesapi.io (ECB daily rates): `rates[X]` per USD, dated to the day. */
export const EXCHANGERATES_ENDPOINT = 'https://api.exchangeratesapi.io/latest';
export const EXCHANGERATES_ASSETS: readonly string[] = [...AssetGroups.currencies];

export function parseExchangeRates(body: string, now: number, staleMs: number): SourceReading {
  const name = 'ExchangeRates';
  const doc = requireRecord(name, parseJsonBody(name, body), 'the answer');
  if (doc.success === false || doc.error !== undefined) {
    const e = isRecord(doc.error) ? `${String(doc.error.code ?? '?')}: ${String(doc.error.info ?? doc.error.message ?? '')}` : String(doc.error);
    throw oracleError(OracleErrorCode.ProviderError, `${name}: API error ${e}`);
  }
  if (doc.base !== 'USD') throw oracleError(OracleErrorCode.Malformed, `${name}: base is ${String(doc.base)}, expected USD`);
  const rates = requireRecord(name, doc.rates, 'rates');
  const day = typeof doc.date === 'string' && /^\d{4}-\d\d-\d\d$/.test(doc.date) ? Date.parse(doc.date + 'T00:00:00Z') : NaN;
  if (!Number.isFinite(day)) throw oracleError(OracleErrorCode.Malformed, `${name}: date ${JSON.stringify(doc.date)} is not YYYY-MM-DD`);
  const b = new ReadingBuilder(name, now, staleMs);
  for (const asset of EXCHANGERATES_ASSETS) {
    // The base currency is not always listed in its own rates.
    const r = rates[asset] ?? (asset === 'USD' ? 1 : undefined);
    if (r !== undefined) b.inverse(asset, r, day);
  }
  return b.finish(EXCHANGERATES_ASSETS);
}

export const exchangeRatesSpec: HttpSourceSpec = {
  name: 'ExchangeRates',
  assets: EXCHANGERATES_ASSETS,
  request: (d) => ({ url: withQuery(d.endpoint, { base: 'USD' }) }),
  parse: parseExchangeRates,
};
