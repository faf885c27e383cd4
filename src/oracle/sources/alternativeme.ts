import { AssetGroups } from '../assets.js';
import { oracleError, OracleErrorCode } from '../errors.js';
import { CMC_IDS, marketSymbol } from './coinmarketcap.js';
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
  for (const asset of ALTERNATIVEME_ASSETS) {
    const row = data[String(CMC_IDS[asset])];
    if (row === undefined) continue;
    if (!isRecord(row)) { b.malformed(asset, 'row is not an object'); continue; }
    if (row.symbol !== marketSymbol(asset)) { b.malformed(asset, `row symbol ${JSON.stringify(row.symbol)} is not ${marketSymbol(asset)}`); continue; }
    const usd = isRecord(row.quotes) && isRecord(row.quotes.USD) ? row.quotes.USD : undefined;
    if (!usd) { b.malformed(asset, 'quotes.USD missing'); continue; }
    b.price(asset, usd.price, secondsToMs(row.last_updated));
  }
  return b.finish(ALTERNATIVEME_ASSETS);
}

export const alternativeMeSpec: HttpSourceSpec = {
  name: 'AlternativeMe',
  assets: ALTERNATIVEME_ASSETS,
  request: (d) => ({ url: withQuery(d.endpoint, { convert: 'USD', limit: '300' }), headers: { Accepts: 'application/json' } }),
  parse: parseAlternativeMe,
};
