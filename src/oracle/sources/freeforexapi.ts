import { AssetGroups } from '../assets.js';
import { oracleError, OracleErrorCode } from '../errors.js';
import { withQuery, type HttpSourceSpec } from './http-source.js';
import { isRecord, parseJsonBody, ReadingBuilder, requireRecord, secondsToMs } from './reading.js';
import type { SourceReading } from './types.js';

/** freeforexapi.com live: `rates["USD"+X].rate` is X per USD, so the price is 1/rate. */
export const FREEFOREXAPI_ENDPOINT = 'https://www.freeforexapi.com/api/live';
export const FREEFOREXAPI_ASSETS: readonly string[] = [
  ...AssetGroups.currencies, 'XAU', 'XAG', ...AssetGroups.v4Currencies, ...AssetGroups.v5Currencies,
];

export function parseFreeForexApi(body: string, now: number, staleMs: number): SourceReading {
  const name = 'FreeForexAPI';
  const doc = requireRecord(name, parseJsonBody(name, body), 'the answer');
  if (typeof doc.code === 'number' && doc.code !== 200) {
    throw oracleError(OracleErrorCode.ProviderError, `${name}: API error ${doc.code}: ${String(doc.message ?? '')}`);
  }
  const rates = requireRecord(name, doc.rates, 'rates');
  const b = new ReadingBuilder(name, now, staleMs);
  for (const asset of FREEFOREXAPI_ASSETS) {
    const row = rates['USD' + asset];
    if (row === undefined) continue;
    if (!isRecord(row)) { b.malformed(asset, 'rate entry is not an object'); continue; }
    b.inverse(asset, row.rate, secondsToMs(row.timestamp));
  }
  return b.finish(FREEFOREXAPI_ASSETS);
}

export const freeForexApiSpec: HttpSourceSpec = {
  name: 'FreeForexAPI',
  assets: FREEFOREXAPI_ASSETS,
  request: (d) => ({ url: withQuery(d.endpoint, { pairs: FREEFOREXAPI_ASSETS.map((a) => 'USD' + a).join(',') }) }),
  parse: parseFreeForexApi,
};
