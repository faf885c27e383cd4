import { oracleError, OracleErrorCode } from '../errors.js';
import type { SourceReading } from './types.js';
import { withQuery, type HttpSourceSpec } from './http-source.js';
import { isRecord, millis, parseJsonBody, ReadingBuilder, secondsToMs } from './reading.js';

/**
 * 1Forge quotes: an array of `{s:"EUR/USD", p, b, a, t(ms)}`; the older format the seed used
 * was `{symbol:"EURUSD", price, bid, ask, timestamp(s)}`. Both are accepted. X/USD is already
 * the USD price of one X.
 */
export const ONEFORGE_ENDPOINT = 'https://api.1forge.com/quotes';
export const ONEFORGE_ASSETS: readonly string[] = [
  'EUR', 'JPY', 'GBP', 'CAD', 'CHF', 'SGD', 'HKD', 'MXN', 'XAU', 'XAG', 'AUD', 'NZD', 'SEK', 'NOK', 'RUB', 'ZAR', 'TRY',
];

export function parseOneForge(body: string, now: number, staleMs: number): SourceReading {
  const name = '1Forge';
  const doc = parseJsonBody(name, body);
  if (isRecord(doc) && (doc.error === true || typeof doc.message === 'string')) {
    throw oracleError(OracleErrorCode.ProviderError, `${name}: API error: ${String(doc.message ?? 'error')}`);
  }
  if (!Array.isArray(doc)) throw oracleError(OracleErrorCode.Malformed, `${name}: expected an array of quotes`);
  const b = new ReadingBuilder(name, now, staleMs);
  const wanted = new Set(ONEFORGE_ASSETS);
  for (const row of doc) {
    if (!isRecord(row)) continue;
    const sym = typeof row.s === 'string' ? row.s : typeof row.symbol === 'string' ? row.symbol : undefined;
    const m = sym === undefined ? null : /^([A-Z]{3})\/?USD$/.exec(sym);
    if (!m || !wanted.has(m[1])) continue;
    const newFormat = row.s !== undefined;
    b.price(m[1], newFormat ? row.p : row.price, newFormat ? millis(row.t) : secondsToMs(row.timestamp));
  }
  return b.finish(ONEFORGE_ASSETS);
}

export const oneForgeSpec: HttpSourceSpec = {
  name: '1Forge',
  assets: ONEFORGE_ASSETS,
  request: (d) => ({ url: withQuery(d.endpoint, { pairs: ONEFORGE_ASSETS.map((a) => `${a}/USD`).join(','), api_key: d.key }) }),
  parse: parseOneForge,
};
