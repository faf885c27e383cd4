import { AssetGroups } from '../assets.js';
import { oracleError, OracleErrorCode } from '../errors.js';
import { readCmcRows } from './coinmarketcap.js';
import { withQuery, type HttpSourceSpec } from './http-source.js';
import { isRecord, parseJsonBody, ReadingBuilder, requireRecord, secondsToMs } from './reading.js';
import type { SourceReading } from './types.js';

/** alternative.me ticker: `data[<CoinMarketCap id>].quotes.USD.price`, `last_updated` in seconds. */
export const ALTERNATIVEME_ENDPOINT = 'https://api.alternative.me/v2/ticker';
export const ALTERNATIVEME_ASSETS: readonly string[] = [
  ...AssetGroups.crypto, 'EOS', 'LINK', 'BAT', 'NEO', 'ETC', 'ONT', 'DOGE', 'HT',
];

export function parseAlternativeMe(body: string, now: number, staleMs: number): SourceReading {
  const name = 'AlternativeMe';
  const doc = requireRecord(name, parseJsonBody(name, body), 'the answer');
  const meta = isRecord(doc.metadata) ? doc.metadata : undefined;
  if (meta && meta.error !== null && meta.error !== undefined) {
    throw oracleError(OracleErrorCode.ProviderError, `${name}: API error: ${String(meta.error)}`);
  }
  const data = requireRecord(name, doc.data, 'data');
  const b = new ReadingBuilder(name, now, staleMs);
  readCmcRows(b, data, ALTERNATIVEME_ASSETS, 'quotes', (row) => secondsToMs(row.last_updated));
  return b.finish(ALTERNATIVEME_ASSETS);
}

export const alternativeMeSpec: HttpSourceSpec = {
  name: 'AlternativeMe',
  assets: ALTERNATIVEME_ASSETS,
  request: (d) => ({ url: withQuery(d.endpoint, { convert: 'USD', limit: '300' }), headers: { Accepts: 'application/json' } }),
  parse: parseAlternativeMe,
};
