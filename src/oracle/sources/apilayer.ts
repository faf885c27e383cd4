import { AssetGroups } from '../assets.js';
import { oracleError, OracleErrorCode } from '../errors.js';
import type { SourceReading } from './types.js';
import { withQuery, type HttpSourceSpec } from './http-source.js';
import { isRecord, parseJsonBody, ReadingBuilder, requireRecord, secondsToMs } from './reading.js';

/** apilayer currencylayer "live": `quotes["USD"+X]` is X per USD, so the price is 1/q. */
export const APILAYER_ENDPOINT = 'http://www.apilayer.net/api/live';
export const APILAYER_ASSETS: readonly string[] = [...AssetGroups.currencies, ...AssetGroups.v4Currencies, ...AssetGroups.v5Currencies];

export function parseApiLayer(body: string, now: number, staleMs: number): SourceReading {
  const name = 'APILayer';
  const doc = requireRecord(name, parseJsonBody(name, body), 'the answer');
  if (doc.success !== true) {
    const e = isRecord(doc.error) ? doc.error : {};
    throw oracleError(OracleErrorCode.ProviderError, `${name}: API error ${String(e.code ?? '?')}: ${String(e.info ?? e.type ?? 'success is not true')}`);
  }
  const quotes = requireRecord(name, doc.quotes, 'quotes');
  const time = secondsToMs(doc.timestamp);
  const b = new ReadingBuilder(name, now, staleMs);
  for (const asset of APILAYER_ASSETS) {
    const q = quotes['USD' + asset];
    if (q !== undefined) b.inverse(asset, q, time);
  }
  return b.finish(APILAYER_ASSETS);
}

export const apiLayerSpec: HttpSourceSpec = {
  name: 'APILayer',
  assets: APILAYER_ASSETS,
  request: (d) => ({ url: withQuery(d.endpoint, { access_key: d.key }) }),
  parse: parseApiLayer,
};
