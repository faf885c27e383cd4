import { logFields, ProsperError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { assetsForVersion, isOprVersion, pricingSymbol, type OprVersion } from './assets.js';
import { CachedSource } from './cache.js';
import type { OracleConfig } from './config.js';
import { oracleError, OracleErrorCode } from './errors.js';
import { DatasourceHealth } from './health.js';
import { httpGet, type HttpGet } from './http-get.js';
import { toPriceUnits, selectPrice } from './merge.js';
import { assertValidPlan, pegRequired, planSources, type OraclePlan } from './plan.js';
import type { SourceDescriptor } from './sources/registry.js';
import type { PriceSource, SourceReading } from './sources/types.js';

export interface PriceOracleDeps {
  now?: () => number;
  logger?: Logger;
  /** The HTTP client; tests and air-gapped setups may pass their own. */
  http?: HttpGet;
  /** OPR versions whose assets must all have a source (startup check). Default: [5]. */
  versions?: readonly OprVersion[];
  /** Skip the startup check (the CLI shows broken configs instead of refusing them). */
  soft?: boolean;
  /** Told of every failed source read (metrics count them per source). */
  onSourceError?: (source: string, err: unknown) => void;
}

/** One source's outcome in a pull, for `datasources pull` and the logs. */
export interface SourcePull {
  name: string;
  prices: Map<string, number>;
  error?: ProsperError;
  assetErrors: Map<string, ProsperError>;
}

/** What the job builder calls: the OPR's prices for a version, in OPR asset order. */
export interface PriceSourceOracle {
  getPrices(version: OprVersion, signal?: AbortSignal): Promise<Map<string, bigint>>;
}

/**
 * Builds the enabled sources once, then for each pull fetches every source the version needs
 * at the same time (each once, through its cache) and merges per asset in fallback order. A
 * hanging provider costs at most its timeout, and the whole pull is bounded by the deadline.
 */
export class PriceOracle implements PriceSourceOracle {
  readonly plan: OraclePlan;
  private readonly sources = new Map<SourceDescriptor, CachedSource>();
  private readonly now: () => number;
  private readonly log: Logger;

  private readonly onSourceError: PriceOracleDeps['onSourceError'];
  /** Each source's last success, last error and failures in a row (the /network page). */
  readonly health: DatasourceHealth;

  constructor(private readonly cfg: OracleConfig, deps: PriceOracleDeps = {}) {
    this.onSourceError = deps.onSourceError;
    this.now = deps.now ?? Date.now;
    this.log = deps.logger ?? silentLogger();
    this.health = new DatasourceHealth(this.now);
    this.plan = deps.soft ? planSources(cfg) : assertValidPlan(cfg, deps.versions ?? [5]);
    for (const { descriptor: d } of this.plan.enabled) {
      const inner = d.create(
        {
          http: deps.http ?? httpGet,
          now: this.now,
          timeoutMs: cfg.timeoutMs,
          staleMs: Math.max(cfg.staleMs, d.minStaleMs),
          endpoint: cfg.baseUrls[d.configKey] ?? d.defaultEndpoint,
          key: d.keyName ? cfg.keys[d.keyName] : '',
        },
        { devnetSeed: cfg.devnet.seed, devnetStepMs: cfg.devnet.stepMs },
      );
      this.sources.set(d, new CachedSource(inner, { ttlMs: cfg.cacheMs, now: this.now }));
    }
  }

  /** The enabled sources, in priority order. */
  enabledSources(): PriceSource[] {
    return this.plan.enabled.map((e) => this.sources.get(e.descriptor)!);
  }

  /** The fallback chain of one asset (V1's PNT is PEG), by source name. */
  chain(asset: string): string[] {
    return (this.plan.chains.get(pricingSymbol(asset)) ?? []).map((d) => d.name);
  }

  async getPrices(version: OprVersion, signal?: AbortSignal): Promise<Map<string, bigint>> {
    if (!isOprVersion(version)) throw oracleError(OracleErrorCode.UnsupportedVersion, `OPR version ${String(version)} is not 1..5`);
    const deadline = AbortSignal.timeout(this.cfg.deadlineMs);
    const pullSignal = signal ? AbortSignal.any([signal, deadline]) : deadline;
    const assets = assetsForVersion(version);

    // Which sources this pull needs, each fetched once and all at once.
    const needed = new Set<SourceDescriptor>();
    for (const a of assets) {
      const asset = pricingSymbol(a);
      if (asset === 'PEG' && !pegRequired(version)) continue;
      for (const d of this.plan.chains.get(asset) ?? []) needed.add(d);
    }
    const readings = new Map<SourceDescriptor, Promise<SourceReading>>();
    for (const d of needed) {
      const p = this.sources.get(d)!.read(pullSignal);
      // Handled per asset below; logged once here so an operator sees which provider is down.
      p.then(() => this.health.succeeded(d.name), (err: unknown) => {
        if (!pullSignal.aborted) this.health.failed(d.name, err);
        if (!pullSignal.aborted) this.onSourceError?.(d.name, err);
        if (!pullSignal.aborted) this.log.warn({ source: d.name, ...logFields(err) }, 'price source failed; falling back');
      });
      readings.set(d, p);
    }
    const bounded = <T>(p: Promise<T>): Promise<T> => new Promise<T>((resolve, reject) => {
      if (pullSignal.aborted) return reject(this.deadlineError(signal, deadline));
      const onAbort = () => reject(this.deadlineError(signal, deadline));
      pullSignal.addEventListener('abort', onAbort, { once: true });
      p.then(resolve, reject).finally(() => pullSignal.removeEventListener('abort', onAbort));
    });

    const out = new Map<string, bigint>();
    for (const a of assets) {
      const asset = pricingSymbol(a);
      if (asset === 'PEG' && !pegRequired(version)) { out.set(a, 0n); continue; }
      const prices: number[] = [];
      let lastError: ProsperError | undefined;
      const chain = this.plan.chains.get(asset) ?? [];
      for (const d of chain) {
        try {
          const r = await bounded(readings.get(d)!);
          const p = r.prices.get(asset);
          if (p !== undefined && p > 0) prices.push(p);
          else lastError = r.errors.get(asset) ?? oracleError(OracleErrorCode.MissingAsset, `${d.name}: no ${asset} price`);
        } catch (err) {
          if (pullSignal.aborted) throw this.deadlineError(signal, deadline);
          lastError = err instanceof ProsperError ? err : oracleError(OracleErrorCode.Network, `${d.name}: ${String(err)}`, err);
        }
      }
      const chosen = selectPrice(version, prices);
      if (chosen === undefined) {
        if (lastError) throw oracleError(OracleErrorCode.NoPrice, `no price for ${asset}: every source failed; last: ${lastError.message}`, lastError);
        throw oracleError(OracleErrorCode.NoPrice, `no price for ${asset}: it has no data source configured`);
      }
      const units = toPriceUnits(version, chosen);
      if (units === 0n) throw oracleError(OracleErrorCode.NoPrice, `price of ${asset} (${chosen}) truncates to 0 in OPR V${version}`);
      out.set(a, units);
    }
    this.log.debug({ version, assets: out.size }, 'oracle prices assembled');
    return out;
  }

  /** Fetches every enabled source now (no cache) and reports each one's prices and errors. */
  async pullSources(signal?: AbortSignal): Promise<SourcePull[]> {
    const list = this.enabledSources() as CachedSource[];
    return Promise.all(list.map(async (s): Promise<SourcePull> => {
      s.invalidate();
      try {
        const r = await s.read(signal);
        return { name: s.name, prices: r.prices, assetErrors: r.errors };
      } catch (err) {
        const e = err instanceof ProsperError ? err : oracleError(OracleErrorCode.Network, String(err), err);
        return { name: s.name, prices: new Map(), assetErrors: new Map(), error: e };
      }
    }));
  }

  private deadlineError(signal: AbortSignal | undefined, deadline: AbortSignal): ProsperError {
    if (deadline.aborted) return oracleError(OracleErrorCode.Deadline, `price pull exceeded its ${this.cfg.deadlineMs} ms deadline`);
    return oracleError(OracleErrorCode.Aborted, 'price pull aborted by the caller', signal?.reason);
  }
}
