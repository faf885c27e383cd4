import assert from 'node:assert/strict';
import { CMC_IDS } from '../../src/oracle/sources/coinmarketcap.js';
import { COINCAP_SLUGS } from '../../src/oracle/sources/coincap.js';
import { COINGECKO_IDS } from '../../src/oracle/sources/coingecko.js';
import { findDescriptor } from '../../src/oracle/sources/registry.js';
import { CRYPTO_USD, FX_PER_USD, type SeenRequest } from './helpers.js';

/**
 * Realistic answers for every HTTP provider, built from the answer shapes pegnet's price polling reads, with
 * knobs to make them stale, zero one asset or leave one out.
 */
export interface BodyOpts {
  /** Quote time, ms since epoch. */
  ts: number;
  zero?: string;
  omit?: string;
}

export interface ProviderCase {
  name: string;
  key?: string;
  body(o: BodyOpts): string;
  /** The USD price the source should report for an asset. */
  expected(asset: string): number;
  /** A quote time that must be rejected as stale at NOW. */
  staleTs: number;
  /** An answer in which the provider itself reports an error. */
  providerError?: string;
  checkRequest(req: SeenRequest): void;
  /** Malformed text (most are JSON; Kitco is HTML). */
  malformed: string;
}

const HOUR = 3_600_000;
const assetsOf = (name: string): readonly string[] => findDescriptor(name)!.assets;
const s = (ms: number) => Math.floor(ms / 1000);
const fx = (a: string, o: BodyOpts) => (a === o.zero ? 0 : FX_PER_USD[a]);
const usd = (a: string, o: BodyOpts) => (a === o.zero ? 0 : CRYPTO_USD[a]);
const inv = (a: string) => 1 / FX_PER_USD[a];
const cryptoSym = (a: string) => (a === 'XBT' ? 'BTC' : a === 'XBC' ? 'BCH' : a);
const fmtDate = (ms: number) => {
  const d = new Date(ms);
  return `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()}`;
};

export const PROVIDER_CASES: ProviderCase[] = [
  {
    name: 'APILayer',
    key: 'apl-key-123',
    body: (o) => JSON.stringify({
      success: true, terms: 'https://currencylayer.com/terms', privacy: 'https://currencylayer.com/privacy',
      timestamp: s(o.ts), source: 'USD',
      quotes: Object.fromEntries(assetsOf('APILayer').filter((a) => a !== o.omit).map((a) => ['USD' + a, fx(a, o)])),
    }),
    expected: inv,
    staleTs: Date.UTC(2026, 10, 25, 6, 0, 0),
    providerError: JSON.stringify({ success: false, error: { code: 101, type: 'invalid_access_key', info: 'You have not supplied a valid API Access Key.' } }),
    checkRequest: (r) => { assert.equal(r.url.pathname, '/api/live'); assert.equal(r.url.searchParams.get('access_key'), 'apl-key-123'); },
    malformed: '{"success":true,"quotes":',
  },
  {
    name: 'CoinMarketCap',
    key: 'cmc-key-456',
    body: (o) => JSON.stringify({
      status: { timestamp: new Date(o.ts).toISOString(), error_code: 0, error_message: null, elapsed: 12, credit_count: 1 },
      data: Object.fromEntries(assetsOf('CoinMarketCap').filter((a) => a !== o.omit).map((a) => [String(CMC_IDS[a]), {
        id: CMC_IDS[a], name: a, symbol: cryptoSym(a), slug: a.toLowerCase(), cmc_rank: 10,
        last_updated: new Date(o.ts).toISOString(),
        quote: { USD: { price: usd(a, o), volume_24h: 1e6, percent_change_1h: 0.1, market_cap: 1e9, last_updated: new Date(o.ts).toISOString() } },
      }])),
    }),
    expected: (a) => CRYPTO_USD[a],
    staleTs: Date.UTC(2026, 10, 25, 11, 0, 0),
    providerError: JSON.stringify({ status: { timestamp: '2026-11-25T12:00:00.000Z', error_code: 1001, error_message: 'This API Key is invalid.' } }),
    checkRequest: (r) => {
      assert.equal(r.url.pathname, '/v1/cryptocurrency/quotes/latest');
      assert.equal(r.headers['x-cmc_pro_api_key'], 'cmc-key-456');
      assert.equal(r.url.searchParams.get('convert'), 'USD');
      assert.deepEqual(r.url.searchParams.get('id')!.split(',').map(Number).sort((x, y) => x - y),
        assetsOf('CoinMarketCap').map((a) => CMC_IDS[a]).sort((x, y) => x - y));
    },
    malformed: 'not json at all',
  },
  {
    name: 'OpenExchangeRates',
    key: 'oer-app-789',
    body: (o) => JSON.stringify({
      disclaimer: 'Usage subject to terms: https://openexchangerates.org/terms', license: 'https://openexchangerates.org/license',
      timestamp: s(o.ts), base: 'USD',
      rates: Object.fromEntries(assetsOf('OpenExchangeRates').filter((a) => a !== o.omit)
        .map((a) => [a === 'XBT' ? 'BTC' : a, a === 'XBT' ? (a === o.zero ? 0 : 1 / CRYPTO_USD.XBT) : fx(a, o)])),
    }),
    expected: (a) => (a === 'XBT' ? 1 / (1 / CRYPTO_USD.XBT) : inv(a)),
    staleTs: Date.UTC(2026, 10, 25, 6, 0, 0),
    providerError: JSON.stringify({ error: true, status: 401, message: 'invalid_app_id', description: 'Invalid App ID provided.' }),
    checkRequest: (r) => { assert.equal(r.url.pathname, '/api/latest.json'); assert.equal(r.url.searchParams.get('app_id'), 'oer-app-789'); },
    malformed: '[1,2,3]',
  },
  {
    name: '1Forge',
    key: 'forge-key',
    body: (o) => JSON.stringify(assetsOf('1Forge').filter((a) => a !== o.omit).map((a) => {
      const p = a === o.zero ? 0 : 1 / FX_PER_USD[a];
      return { p, a: p * 1.0001, b: p * 0.9999, s: `${a}/USD`, t: o.ts };
    })),
    expected: inv,
    staleTs: Date.UTC(2026, 10, 25, 11, 0, 0),
    providerError: JSON.stringify({ error: true, message: 'API Key Not Valid. Please go to 1forge.com to get an API key.' }),
    checkRequest: (r) => {
      assert.equal(r.url.pathname, '/quotes');
      assert.equal(r.url.searchParams.get('api_key'), 'forge-key');
      assert.ok(r.url.searchParams.get('pairs')!.split(',').includes('EUR/USD'));
    },
    malformed: '{"oops"',
  },
  {
    name: 'CoinCap',
    body: (o) => JSON.stringify({
      data: [
        ...assetsOf('CoinCap').filter((a) => a !== o.omit).map((a, i) => ({
          id: COINCAP_SLUGS[a], rank: String(i + 1), symbol: cryptoSym(a), name: a, supply: '1000000.0000000000000000',
          priceUsd: String(usd(a, o)), changePercent24Hr: '0.8123', vwap24Hr: String(usd(a, o)),
        })),
        { id: 'tether', rank: '3', symbol: 'USDT', name: 'Tether', priceUsd: '1.0001' },
      ],
      timestamp: o.ts,
    }),
    expected: (a) => CRYPTO_USD[a],
    staleTs: Date.UTC(2026, 10, 25, 11, 0, 0),
    providerError: JSON.stringify({ error: 'use of this endpoint requires an API key', timestamp: 1 }),
    checkRequest: (r) => { assert.equal(r.url.pathname, '/v2/assets'); assert.ok(r.url.searchParams.get('ids')!.split(',').includes('binance-coin')); },
    malformed: '{"data": {"not": "an array"}, "timestamp": 1}',
  },
  {
    name: 'CoinGecko',
    body: (o) => JSON.stringify(Object.fromEntries(assetsOf('CoinGecko').filter((a) => a !== o.omit)
      .map((a) => [COINGECKO_IDS[a], { usd: usd(a, o), last_updated_at: s(o.ts) }]))),
    expected: (a) => CRYPTO_USD[a],
    staleTs: Date.UTC(2026, 10, 25, 11, 0, 0),
    providerError: JSON.stringify({ status: { error_code: 429, error_message: "You've exceeded the Rate Limit." } }),
    checkRequest: (r) => {
      assert.equal(r.url.pathname, '/api/v3/simple/price');
      assert.equal(r.url.searchParams.get('vs_currencies'), 'usd');
      assert.equal(r.url.searchParams.get('include_last_updated_at'), 'true');
      assert.ok(r.url.searchParams.get('ids')!.split(',').includes('hedera-hashgraph'));
    },
    malformed: '"just a string"',
  },
  {
    name: 'PegnetMarketCap',
    body: (o) => JSON.stringify({
      '0': { ticker_symbol: 'pUSD', exchange_price: '0.9981', exchange_price_dateline: s(o.ts) },
      ...(o.omit === 'PEG' ? {} : { '1': { ticker_symbol: 'PEG', exchange_price: String(usd('PEG', o)), exchange_price_dateline: s(o.ts) } }),
    }),
    expected: (a) => CRYPTO_USD[a],
    staleTs: Date.UTC(2026, 10, 25, 11, 0, 0),
    checkRequest: (r) => { assert.equal(r.url.pathname, '/api/asset/all'); assert.equal(r.url.searchParams.get('columns'), 'ticker_symbol,exchange_price,exchange_price_dateline'); },
    malformed: '{"1": {"ticker_symbol": "PEG", "exchange_price": "0.1"',
  },
  {
    name: 'AlternativeMe',
    body: (o) => JSON.stringify({
      data: Object.fromEntries(assetsOf('AlternativeMe').filter((a) => a !== o.omit).map((a) => [String(CMC_IDS[a]), {
        id: CMC_IDS[a], name: a, symbol: cryptoSym(a), website_slug: a.toLowerCase(), rank: 5, circulating_supply: 1e7,
        quotes: { USD: { price: usd(a, o), volume_24h: 1e8, market_cap: 1e9, percentage_change_1h: 0.1 } }, last_updated: s(o.ts),
      }])),
      metadata: { timestamp: s(o.ts), num_cryptocurrencies: 2000, error: null },
    }),
    expected: (a) => CRYPTO_USD[a],
    staleTs: Date.UTC(2026, 10, 25, 11, 0, 0),
    providerError: JSON.stringify({ data: {}, metadata: { timestamp: 1, error: 'limit exceeded' } }),
    checkRequest: (r) => {
      assert.equal(r.url.pathname, '/v2/ticker');
      assert.equal(r.url.searchParams.get('convert'), 'USD');
      assert.equal(r.url.searchParams.get('limit'), '300');
      assert.equal(r.headers.accepts, 'application/json');
    },
    malformed: '',
  },
  {
    name: 'FreeForexAPI',
    body: (o) => JSON.stringify({
      rates: Object.fromEntries(assetsOf('FreeForexAPI').filter((a) => a !== o.omit).map((a) => ['USD' + a, { rate: fx(a, o), timestamp: s(o.ts) }])),
      code: 200,
    }),
    expected: inv,
    staleTs: Date.UTC(2026, 10, 25, 11, 0, 0),
    providerError: JSON.stringify({ code: 1001, message: 'Pairs parameter is required' }),
    checkRequest: (r) => { assert.equal(r.url.pathname, '/api/live'); assert.ok(r.url.searchParams.get('pairs')!.split(',').includes('USDNGN')); },
    malformed: '{"rates": 5, "code": 200}',
  },
  {
    name: 'Kitco',
    body: (o) => {
      const row = (code: string, asset: string) => asset === o.omit ? '' : [
        `<tr><td class="metal">${asset}</td>`,
        `<td><span id="wsp-${code}-date">${fmtDate(o.ts)}</span></td>`,
        `<td><span id="wsp-${code}-time">11:58</span></td>`,
        `<td><span id="wsp-${code}-bid">${(asset === o.zero ? 0 : 1 / FX_PER_USD[asset]).toLocaleString('en-US', { maximumFractionDigits: 2 })}</span></td>`,
        `<td><span id="wsp-${code}-ask">0.00</span></td></tr>`,
      ].join('\n');
      return ['<html><head><title>Kitco</title></head><body>', '<table class="world_spot_price">',
        row('AU', 'XAU'), row('AG', 'XAG'), row('PT', 'XPT'), row('PD', 'XPD'), '</table>', '</body></html>'].join('\n');
    },
    expected: (a) => Number((1 / FX_PER_USD[a]).toFixed(2)),
    staleTs: Date.UTC(2026, 10, 15, 12, 0, 0),
    checkRequest: (r) => { assert.equal(r.url.pathname, '/market/'); },
    malformed: '<html><table class="world_spot_price"><tr><td><span id="wsp-AU-date">2026-11-25</span><span id="wsp-AU-bid">abc</span></td></tr></table>',
  },
  {
    name: 'ExchangeRates',
    body: (o) => JSON.stringify({
      rates: Object.fromEntries(assetsOf('ExchangeRates').filter((a) => a !== o.omit && a !== 'USD').map((a) => [a, fx(a, o)])),
      base: 'USD', date: new Date(o.ts).toISOString().slice(0, 10),
    }),
    expected: inv,
    staleTs: Date.UTC(2026, 10, 15, 12, 0, 0),
    providerError: JSON.stringify({ success: false, error: { code: 101, type: 'missing_access_key', info: 'You have not supplied an API Access Key.' } }),
    checkRequest: (r) => { assert.equal(r.url.pathname, '/latest'); assert.equal(r.url.searchParams.get('base'), 'USD'); },
    malformed: '{"rates": {"EUR": 0.9}, "base": "USD", "date": "yesterday"}',
  },
  {
    name: 'Factoshiio',
    body: (o) => JSON.stringify(o.omit === 'PEG' ? { updated_at: new Date(o.ts).toISOString() } : { price: usd('PEG', o), updated_at: new Date(o.ts).toISOString() }),
    expected: (a) => CRYPTO_USD[a],
    staleTs: Date.UTC(2026, 10, 25, 11, 0, 0),
    checkRequest: (r) => { assert.equal(r.url.pathname, '/'); },
    malformed: '{price: 1}',
  },
];

export { HOUR };
