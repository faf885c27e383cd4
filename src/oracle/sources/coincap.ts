import { AssetGroups } from '../assets.js';
import { oracleError, OracleErrorCode } from '../errors.js';
import { withQuery, type HttpSourceSpec } from './http-source.js';
import { isRecord, millis, parseJsonBody, ReadingBuilder, requireRecord } from './reading.js';
import type { SourceReading } from './types.js';

export const COINCAP_ENDPOINT = 'http://api.coincap.io/v2/assets';

/** CoinCap slugs (no PEG, HBAR or CRO there). */
export const COINCAP_SLUGS: Readonly<Record<string, string>> = {
  XBT: 'bitcoin', ETH: 'ethereum', LTC: 'litecoin', RVN: 'ravencoin', XBC: 'bitcoin-cash', FCT: 'factom',
  BNB: 'binance-coin', XLM: 'stellar', ADA: 'cardano', XMR: 'monero', DASH: 'dash', ZEC: 'zcash', DCR: 'decred',
  EOS: 'eos', LINK: 'chainlink', ATOM: 'cosmos', BAT: 'basic-attention-token', XTZ: 'tezos', NEO: 'neo',
  ETC: 'ethereum-classic', ONT: 'ontology', DOGE: 'dogecoin', VET: 'vechain', HT: 'huobi-token', ALGO: 'algorand',
  DGB: 'digibyte',
};

export const COINCAP_ASSETS: readonly string[] = [
  ...AssetGroups.crypto, ...AssetGroups.v4Crypto, 'NEO', 'ETC', 'ONT', 'DOGE', 'VET', 'HT', 'ALGO', 'DGB',
];

/** CoinCap tickers that PegNet names differently. */
function pegnetSymbol(symbol: string): string {
  return symbol === 'BTC' ? 'XBT' : symbol === 'BCH' ? 'XBC' : symbol === 'ZCASH' ? 'ZEC' : symbol;
}

export function parseCoinCap(body: string, now: number, staleMs: number): SourceReading {
  const name = 'CoinCap';
  const doc = requireRecord(name, parseJsonBody(name, body), 'the answer');
  if (typeof doc.error === 'string') throw oracleError(OracleErrorCode.ProviderError, `${name}: API error: ${doc.error}`);
  if (!Array.isArray(doc.data)) throw oracleError(OracleErrorCode.Malformed, `${name}: expected data to be an array`);
  const time = millis(doc.timestamp);
  const b = new ReadingBuilder(name, now, staleMs);
  const bySlug = new Map<string, string>(COINCAP_ASSETS.map((a) => [COINCAP_SLUGS[a], a]));
  for (const row of doc.data) {
    if (!isRecord(row) || typeof row.id !== 'string') continue;
    const asset = bySlug.get(row.id);
    if (asset === undefined) continue; // a row we did not ask for
    if (typeof row.symbol !== 'string' || pegnetSymbol(row.symbol) !== asset) {
      b.malformed(asset, `row ${row.id} has symbol ${JSON.stringify(row.symbol)}`);
      continue;
    }
    b.price(asset, row.priceUsd, time);
  }
  return b.finish(COINCAP_ASSETS);
}

export const coinCapSpec: HttpSourceSpec = {
  name: 'CoinCap',
  assets: COINCAP_ASSETS,
  request: (d) => ({ url: withQuery(d.endpoint, { ids: COINCAP_ASSETS.map((a) => COINCAP_SLUGS[a]).join(',') }) }),
  parse: parseCoinCap,
};
