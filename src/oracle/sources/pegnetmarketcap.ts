import { oracleError, OracleErrorCode } from '../errors.js';
import type { HttpSourceSpec } from './http-source.js';
import { isRecord, parseJsonBody, ReadingBuilder, secondsToMs } from './reading.js';
import type { SourceReading } from './types.js';

/** pegnetmarketcap.com: an object (or array) of asset records; only the PEG record is used. */
export const PEGNETMARKETCAP_ENDPOINT = 'https://pegnetmarketcap.com/api/asset/all?columns=ticker_symbol,exchange_price,exchange_price_dateline';
export const PEGNETMARKETCAP_ASSETS: readonly string[] = ['PEG'];

export function parsePegnetMarketCap(body: string, now: number, staleMs: number): SourceReading {
  const name = 'PegnetMarketCap';
  const doc = parseJsonBody(name, body);
  const rows = Array.isArray(doc) ? doc : isRecord(doc) ? Object.values(doc) : undefined;
  if (!rows) throw oracleError(OracleErrorCode.Malformed, `${name}: expected an object of asset records`);
  const b = new ReadingBuilder(name, now, staleMs);
  const peg = rows.find((r) => isRecord(r) && r.ticker_symbol === 'PEG');
  if (isRecord(peg)) {
    if (typeof peg.exchange_price !== 'string' && typeof peg.exchange_price !== 'number') b.malformed('PEG', 'exchange_price missing');
    else b.price('PEG', peg.exchange_price, secondsToMs(peg.exchange_price_dateline));
  }
  return b.finish(PEGNETMARKETCAP_ASSETS);
}

export const pegnetMarketCapSpec: HttpSourceSpec = {
  name: 'PegnetMarketCap',
  assets: PEGNETMARKETCAP_ASSETS,
  request: (d) => ({ url: d.endpoint }),
  parse: parsePegnetMarketCap,
};
