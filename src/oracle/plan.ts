import { ALL_PRICED_ASSETS, assetsForVersion, pricingSymbol, type OprVersion } from './assets.js';
import { PLACEHOLDER_KEY, type OracleConfig } from './config.js';
import { OracleConfigError, OracleErrorCode } from './errors.js';
import { findDescriptor, SOURCE_DESCRIPTORS, type SourceDescriptor } from './sources/registry.js';

/**
 * Which sources are on, in what order, and each asset's fallback chain, from
 * `[oracledatasources]` (lower wins, -1 disables) and `[oracleassetdatasourcespriority]`.
 * Problems are collected, not thrown, so the CLI can show a broken config; the engine calls
 * `assertValidPlan` at startup.
 */
export interface ConfigIssue {
  code: string;
  message: string;
}

export interface EnabledSource {
  descriptor: SourceDescriptor;
  priority: number;
}

export interface OraclePlan {
  /** Enabled sources, lowest priority number first. */
  enabled: EnabledSource[];
  /** Per priced asset (PEG, not PNT): the sources to try, in fallback order. */
  chains: Map<string, SourceDescriptor[]>;
  issues: ConfigIssue[];
}

export function planSources(cfg: OracleConfig): OraclePlan {
  const issues: ConfigIssue[] = [];
  const enabled: EnabledSource[] = [];
  const byPriority = new Map<number, string>();
  for (const [key, prio] of Object.entries(cfg.dataSources)) {
    const d = findDescriptor(key);
    if (!d) {
      issues.push({ code: OracleErrorCode.ConfigUnknownSource, message: `[oracledatasources] ${key}: unknown data source (known: ${SOURCE_DESCRIPTORS.map((s) => s.name).join(', ')})` });
      continue;
    }
    if (!Number.isInteger(prio) || prio < -1) {
      issues.push({ code: OracleErrorCode.ConfigBadValue, message: `[oracledatasources] ${key} = ${String(prio)}: a priority is an integer >= 0, or -1 to disable` });
      continue;
    }
    if (prio === -1) continue;
    const taken = byPriority.get(prio);
    if (taken !== undefined) {
      issues.push({ code: OracleErrorCode.ConfigDuplicatePriority, message: `[oracledatasources] ${d.name} and ${taken} both have priority ${prio}; priorities must be unique` });
      continue;
    }
    byPriority.set(prio, d.name);
    if (d.keyName) {
      const k = cfg.keys[d.keyName]?.trim() ?? '';
      if (k === '' || k === PLACEHOLDER_KEY) {
        issues.push({ code: OracleErrorCode.ConfigMissingKey, message: `${d.name} is enabled but [oracle] ${d.keyName} is ${k === '' ? 'empty' : `the placeholder "${PLACEHOLDER_KEY}"`}; set the key or disable it with ${d.configKey} = -1` });
      }
    }
    enabled.push({ descriptor: d, priority: prio });
  }
  enabled.sort((a, b) => a.priority - b.priority);

  const chains = new Map<string, SourceDescriptor[]>();
  for (const asset of ALL_PRICED_ASSETS) {
    chains.set(asset, enabled.filter((e) => e.descriptor.assets.includes(asset)).map((e) => e.descriptor));
  }
  for (const [rawAsset, names] of Object.entries(cfg.assetPriority)) {
    const asset = pricingSymbol(rawAsset.toUpperCase());
    if (!ALL_PRICED_ASSETS.includes(asset)) {
      issues.push({ code: OracleErrorCode.ConfigBadOverride, message: `[oracleassetdatasourcespriority] ${rawAsset}: not a PegNet asset` });
      continue;
    }
    const chain: SourceDescriptor[] = [];
    for (const n of names) {
      const d = findDescriptor(n);
      const where = `[oracleassetdatasourcespriority] ${rawAsset}`;
      if (!d) issues.push({ code: OracleErrorCode.ConfigBadOverride, message: `${where}: unknown data source "${n}"` });
      else if (!enabled.some((e) => e.descriptor === d)) issues.push({ code: OracleErrorCode.ConfigBadOverride, message: `${where}: ${d.name} is not enabled in [oracledatasources]` });
      else if (!d.assets.includes(asset)) issues.push({ code: OracleErrorCode.ConfigBadOverride, message: `${where}: ${d.name} does not price ${asset}` });
      else if (chain.includes(d)) issues.push({ code: OracleErrorCode.ConfigBadOverride, message: `${where}: ${d.name} is listed twice` });
      else chain.push(d);
    }
    chains.set(asset, chain);
  }
  return { enabled, chains, issues };
}

/** PEG may be 0 up to V2 (and is forced to 0 there), so it needs no source for those versions. */
export function pegRequired(version: OprVersion): boolean {
  return version >= 3;
}

/** Issues for assets of these OPR versions that no enabled source prices (V4 and V5 included). */
export function coverageIssues(plan: OraclePlan, versions: readonly OprVersion[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Set<string>();
  for (const v of versions) {
    for (const a of assetsForVersion(v)) {
      const asset = pricingSymbol(a);
      if (asset === 'PEG' && !pegRequired(v)) continue;
      if (seen.has(asset)) continue;
      if ((plan.chains.get(asset) ?? []).length === 0) {
        seen.add(asset);
        issues.push({ code: OracleErrorCode.ConfigNoSource, message: `asset ${asset} (OPR V${v}) has no data source; enable one that prices it (run \`prosper-pool datasources\` to see them)` });
      }
    }
  }
  return issues;
}

/** Plans and checks everything; throws one coded error listing every problem. */
export function assertValidPlan(cfg: OracleConfig, versions: readonly OprVersion[]): OraclePlan {
  const plan = planSources(cfg);
  const issues = [...plan.issues, ...coverageIssues(plan, versions)];
  if (issues.length > 0) {
    throw new OracleConfigError(issues);
  }
  return plan;
}
