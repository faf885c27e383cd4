import type { OracleKeyName } from '../config.js';
import { ALTERNATIVEME_ENDPOINT, alternativeMeSpec } from './alternativeme.js';
import { APILAYER_ENDPOINT, apiLayerSpec } from './apilayer.js';
import { COINCAP_ENDPOINT, coinCapSpec } from './coincap.js';
import { COINGECKO_ENDPOINT, coinGeckoSpec } from './coingecko.js';
import { COINMARKETCAP_ENDPOINT, coinMarketCapSpec } from './coinmarketcap.js';
import { ALL_PRICED_ASSETS } from '../assets.js';
import { createDevnetSource } from './devnet.js';
import { EXCHANGERATES_ENDPOINT, exchangeRatesSpec } from './exchangerates.js';
import { FACTOSHIIO_ENDPOINT, factoshiioSpec } from './factoshiio.js';
import { createFixedUsd, FIXEDUSD_ASSETS } from './fixedusd.js';
import { FREEFOREXAPI_ENDPOINT, freeForexApiSpec } from './freeforexapi.js';
import { httpSource, type HttpSourceSpec } from './http-source.js';
import { KITCO_ENDPOINT, kitcoSpec } from './kitco.js';
import { ONEFORGE_ENDPOINT, oneForgeSpec } from './oneforge.js';
import { OPENEXCHANGERATES_ENDPOINT, openExchangeRatesSpec } from './openexchangerates.js';
import { PEGNETMARKETCAP_ENDPOINT, pegnetMarketCapSpec } from './pegnetmarketcap.js';
import type { PriceSource, SourceDeps } from './types.js';

const HOUR = 3_600_000;

/** Everything the oracle needs to know about a source before building it. */
export interface SourceDescriptor {
  /** The seed's Name(), exact casing. */
  name: string;
  /** `[oracledatasources]` key: the lower-cased name. */
  configKey: string;
  /** `[oracle]` key holding its API key, for keyed sources. */
  keyName?: OracleKeyName;
  /** Shown by `prosper-pool datasources` (the seed hid ExchangeRates and Factoshiio). */
  listed: boolean;
  assets: readonly string[];
  defaultEndpoint: string;
  /**
   * Quotes this source cannot be fresher than (hourly free plans, day-dated rates); the
   * effective staleness limit is the larger of this and the configured one.
   */
  minStaleMs: number;
  create(deps: SourceDeps, extra: { devnetSeed: number; devnetStepMs: number }): PriceSource;
}

function http(spec: HttpSourceSpec, endpoint: string, extra: Partial<SourceDescriptor> = {}): SourceDescriptor {
  return {
    name: spec.name,
    configKey: spec.name.toLowerCase(),
    listed: true,
    assets: spec.assets,
    defaultEndpoint: endpoint,
    minStaleMs: 0,
    create: (deps) => httpSource(spec, deps),
    ...extra,
  };
}

/** All sources, in the seed's listing order, then the hidden ones, then Devnet. */
export const SOURCE_DESCRIPTORS: readonly SourceDescriptor[] = [
  http(apiLayerSpec, APILAYER_ENDPOINT, { keyName: 'apilayerkey', minStaleMs: 2 * HOUR }),
  http(coinCapSpec, COINCAP_ENDPOINT),
  {
    name: 'FixedUSD', configKey: 'fixedusd', listed: true, assets: FIXEDUSD_ASSETS, defaultEndpoint: 'none (always 1)',
    minStaleMs: 0, create: (deps) => createFixedUsd(deps.now),
  },
  http(kitcoSpec, KITCO_ENDPOINT, { minStaleMs: 4 * 24 * HOUR }),
  http(openExchangeRatesSpec, OPENEXCHANGERATES_ENDPOINT, { keyName: 'openexchangerateskey', minStaleMs: 2 * HOUR }),
  http(coinMarketCapSpec, COINMARKETCAP_ENDPOINT, { keyName: 'coinmarketcapkey' }),
  http(freeForexApiSpec, FREEFOREXAPI_ENDPOINT),
  http(oneForgeSpec, ONEFORGE_ENDPOINT, { keyName: '1forgekey' }),
  http(alternativeMeSpec, ALTERNATIVEME_ENDPOINT),
  http(pegnetMarketCapSpec, PEGNETMARKETCAP_ENDPOINT),
  http(coinGeckoSpec, COINGECKO_ENDPOINT),
  http(exchangeRatesSpec, EXCHANGERATES_ENDPOINT, { listed: false, minStaleMs: 4 * 24 * HOUR }),
  http(factoshiioSpec, FACTOSHIIO_ENDPOINT, { listed: false }),
  {
    name: 'Devnet', configKey: 'devnet', listed: true, assets: ALL_PRICED_ASSETS, defaultEndpoint: 'simulated',
    minStaleMs: 0, create: (deps, extra) => createDevnetSource({ seed: extra.devnetSeed, stepMs: extra.devnetStepMs, now: deps.now }),
  },
];

/** Looks a source up by config key or name, case-insensitively (as the seed did). */
export function findDescriptor(name: string): SourceDescriptor | undefined {
  const key = name.trim().toLowerCase();
  return SOURCE_DESCRIPTORS.find((d) => d.configKey === key);
}
