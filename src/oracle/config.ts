import { parseDuration } from '../config/load.js';
import { oracleError, OracleErrorCode } from './errors.js';

/**
 * The oracle's config, as a plain typed object. The TOML loader fills `OracleTomlSections`
 * (the seed's section and key names, lower-cased as viper did) and `oracleConfigFromSections`
 * turns it into `OracleConfig`. Validation of source names, priorities and coverage happens in
 * validate.ts, where the registry of sources is known.
 */

/** The four API keys of the seed's `[oracle]` section. */
export const ORACLE_KEY_NAMES = ['apilayerkey', 'coinmarketcapkey', 'openexchangerateskey', '1forgekey'] as const;
export type OracleKeyName = (typeof ORACLE_KEY_NAMES)[number];

/** The seed's default for every key: passes its startup and fails at fetch time; we reject it at startup. */
export const PLACEHOLDER_KEY = 'CHANGEME';

/**
 * Raw sections as prosper-pool.toml holds them (src/config's PoolConfig has this shape, so the
 * engine can pass it straight in). Section and key names are case-insensitive. Durations are Go
 * text ("30m") or, as src/config hands them over, a number of seconds.
 *
 * `[oracle]` keys: the seed's `apilayerkey`, `coinmarketcapkey`, `openexchangerateskey`,
 * `1forgekey`, pegnet's `stalequoteduration`, and Prosper's `deadline` (the whole pull, default
 * 20s), `devnetseed`, `devnetstep` (default 1m) and `<source>url` (e.g. `coingeckourl`: replaces
 * that source's endpoint, for tests and air-gapped mirrors).
 */
export interface OracleTomlSections {
  oracle?: Record<string, string | number | undefined>;
  /** `<source> = <priority>`; lower wins, -1 disables. Names case-insensitive. */
  oracledatasources?: Record<string, number>;
  /** `<asset> = "Name1,Name2"`: replaces that asset's fallback chain. */
  oracleassetdatasourcespriority?: Record<string, string>;
  /** `staleduration` (default 30m), `timeout` of one request (10s), `cacheduration` of a reading (10s). */
  polling?: { staleduration?: string | number; timeout?: string | number; cacheduration?: string | number };
}

export interface DevnetPriceConfig {
  seed: number;
  stepMs: number;
}

export interface OracleConfig {
  keys: Record<OracleKeyName, string>;
  /** Lower-cased source name -> priority, as written (validated later). */
  dataSources: Record<string, number>;
  /** Upper-cased asset -> ordered source names, as written (validated later). */
  assetPriority: Record<string, string[]>;
  /** Lower-cased source name -> endpoint URL override (from `[oracle] <source>url`). */
  baseUrls: Record<string, string>;
  staleMs: number;
  timeoutMs: number;
  deadlineMs: number;
  cacheMs: number;
  devnet: DevnetPriceConfig;
}

/** The seed's viper defaults for `[oracledatasources]`: every listed source disabled. */
export const SEED_DEFAULT_DATASOURCES: Readonly<Record<string, number>> = Object.freeze({
  '1forge': -1, apilayer: -1, coincap: -1, exchangerates: -1, kitco: -1,
  openexchangerates: -1, coinmarketcap: -1, freeforexapi: -1, fixedusd: -1, alternativeme: -1,
});

export const ORACLE_DEFAULTS = Object.freeze({
  staleMs: 30 * 60_000,
  timeoutMs: 10_000,
  deadlineMs: 20_000,
  cacheMs: 10_000,
  devnetSeed: 1,
  devnetStepMs: 60_000,
});

/** Go duration text, or a number of seconds (what src/config produces). */
function durationOr(value: string | number | undefined, fallback: number, key: string): number {
  if (value === undefined) return fallback;
  const seconds = typeof value === 'number' && !(value >= 0) ? undefined : parseDuration(value);
  const ms = seconds === undefined ? undefined : seconds * 1000;
  if (ms === undefined) {
    throw oracleError(OracleErrorCode.ConfigBadValue, `${key} = "${String(value)}" is not a duration (examples: 30m, 8s, 1h30m)`);
  }
  return ms;
}

function lowerKeys<T>(rec: Record<string, T> | undefined): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(rec ?? {})) out[k.toLowerCase()] = v;
  return out;
}

/** Builds the typed config from the raw sections; only syntax is checked here. */
export function oracleConfigFromSections(sections: OracleTomlSections): OracleConfig {
  const oracle = lowerKeys(sections.oracle);
  const polling = lowerKeys(sections.polling as Record<string, string | number | undefined> | undefined);
  const keys = {} as Record<OracleKeyName, string>;
  for (const k of ORACLE_KEY_NAMES) {
    const v = oracle[k];
    keys[k] = v === undefined ? PLACEHOLDER_KEY : String(v);
  }
  const dataSources: Record<string, number> = { ...SEED_DEFAULT_DATASOURCES };
  for (const [name, prio] of Object.entries(lowerKeys(sections.oracledatasources))) {
    dataSources[name] = typeof prio === 'number' ? prio : Number(prio);
  }
  const assetPriority: Record<string, string[]> = {};
  for (const [asset, list] of Object.entries(sections.oracleassetdatasourcespriority ?? {})) {
    assetPriority[asset.toUpperCase()] = String(list).split(',').map((s) => s.trim()).filter((s) => s !== '');
  }
  const baseUrls: Record<string, string> = {};
  for (const [k, v] of Object.entries(oracle)) {
    if (k.endsWith('url') && v !== undefined) baseUrls[k.slice(0, -3)] = String(v);
  }
  const seed = oracle.devnetseed === undefined ? ORACLE_DEFAULTS.devnetSeed : Number(oracle.devnetseed);
  if (!Number.isInteger(seed)) throw oracleError(OracleErrorCode.ConfigBadValue, `oracle.devnetseed = ${String(oracle.devnetseed)} is not an integer`);
  return {
    keys,
    dataSources,
    assetPriority,
    baseUrls,
    staleMs: durationOr(oracle.stalequoteduration ?? polling.staleduration, ORACLE_DEFAULTS.staleMs, 'polling.staleduration'),
    timeoutMs: durationOr(polling.timeout, ORACLE_DEFAULTS.timeoutMs, 'polling.timeout'),
    deadlineMs: durationOr(oracle.deadline, ORACLE_DEFAULTS.deadlineMs, 'oracle.deadline'),
    cacheMs: durationOr(polling.cacheduration, ORACLE_DEFAULTS.cacheMs, 'polling.cacheduration'),
    devnet: { seed, stepMs: durationOr(oracle.devnetstep, ORACLE_DEFAULTS.devnetStepMs, 'oracle.devnetstep') },
  };
}

/** The embedded (devnet) default: simulated prices only, since there is no internet. */
export function embeddedOracleConfig(overrides: Partial<OracleConfig> = {}): OracleConfig {
  const base = oracleConfigFromSections({ oracledatasources: { devnet: 0 } });
  return { ...base, ...overrides };
}

/**
 * The embedded devnet's rule: when the operator enabled no source at all, price with Devnet.
 * Only for devnet mode: a real pool with nothing enabled must fail validation instead of
 * submitting simulated prices.
 */
export function withDevnetDefault(cfg: OracleConfig): OracleConfig {
  if (Object.values(cfg.dataSources).some((p) => p !== -1)) return cfg;
  return { ...cfg, dataSources: { ...cfg.dataSources, devnet: 0 } };
}
