import { AssetGroups } from '../assets.js';
import { oracleError, OracleErrorCode } from '../errors.js';
import { withQuery, type HttpSourceSpec } from './http-source.js';
import { isRecord, parseJsonBody, ReadingBuilder, requireRecord, secondsToMs } from './reading.js';
import type { SourceReading } from './types.js';

export const COINGECKO_ENDPOINT = 'https://api.coingecko.com/api/v3/simple/price';

export const COINGECKO_IDS: Readonly<Record<string, string>> = {
  PEG: 'pegnet', XBT: 'bitcoin', ETH: 'ethereum', LTC: 'litecoin', RVN: 'ravencoin', XBC: 'bitcoin-cash', FCT: 'factom',
  BNB: 'binancecoin', XLM: 'stellar', ADA: 'cardano', XMR: 'monero', DASH: 'dash', ZEC: 'zcash', DCR: 'decred', EOS: 'eos',
  LINK: 'chainlink', ATOM: 'cosmos', BAT: 'basic-attention-token', XTZ: 'tezos', HBAR: 'hedera-hashgraph', NEO: 'neo',
  CRO: 'crypto-com-chain', ETC: 'ethereum-classic', ONT: 'ontology', DOGE: 'dogecoin', VET: 'vechain', HT: 'huobi-token',
  ALGO: 'algorand', DGB: 'digibyte',
};

export const COINGECKO_ASSETS: readonly string[] = ['PEG', ...AssetGroups.crypto, ...AssetGroups.v4Crypto, ...AssetGroups.v5Crypto];

export function parseCoinGecko(body: string, now: number, staleMs: number): SourceReading {
  const name = 'CoinGecko';
  const doc = requireRecord(name, parseJsonBody(name, body), 'the answer');
  if (isRecord(doc.status) && doc.status.error_code !== undefined) {
    throw oracleError(OracleErrorCode.ProviderError, `${name}: API error ${String(doc.status.error_code)}: ${String(doc.status.error_message ?? '')}`);
  }
  if (typeof doc.error === 'string') throw oracleError(OracleErrorCode.ProviderError, `${name}: API error: ${doc.error}`);
  const b = new ReadingBuilder(name, now, staleMs);
  for (const asset of COINGECKO_ASSETS) {
    const row = doc[COINGECKO_IDS[asset]];
    if (row === undefined) continue;
    if (!isRecord(row)) { b.malformed(asset, 'row is not an object'); continue; }
    b.price(asset, row.usd, secondsToMs(row.last_updated_at));
  }
  return b.finish(COINGECKO_ASSETS);
}

export const coinGeckoSpec: HttpSourceSpec = {
  name: 'CoinGecko',
  assets: COINGECKO_ASSETS,
  request: (d) => ({
    url: withQuery(d.endpoint, {
      vs_currencies: 'usd',
      include_last_updated_at: 'true',
      ids: COINGECKO_ASSETS.map((a) => COINGECKO_IDS[a]).join(','),
    }),
  }),
  parse: parseCoinGecko,
};
