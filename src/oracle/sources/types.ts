import type { ProsperError } from '../../errors.js';
import type { HttpGet } from '../http-get.js';

/** One source's answer: a USD price per asset, and why the assets it could not price failed. */
export interface SourceReading {
  source: string;
  /** When the reading was taken (ms since epoch, from the injected clock). */
  takenAt: number;
  prices: Map<string, number>;
  /** Quote times (ms since epoch) of the priced assets. */
  times: Map<string, number>;
  errors: Map<string, ProsperError>;
}

/** A price datasource. `read` throws a coded ProsperError when the whole answer is unusable. */
export interface PriceSource {
  /** The seed's Name(): exact casing, used in overrides and listings. */
  readonly name: string;
  /** The endpoint it calls (no key), for listings. */
  readonly url: string;
  readonly assets: readonly string[];
  read(signal?: AbortSignal): Promise<SourceReading>;
}

/** What every source factory is handed. */
export interface SourceDeps {
  http: HttpGet;
  now: () => number;
  timeoutMs: number;
  /** Staleness limit for quotes. */
  staleMs: number;
  /** The source's endpoint (default or operator override). */
  endpoint: string;
  /** The API key, for keyed sources. */
  key: string;
}
