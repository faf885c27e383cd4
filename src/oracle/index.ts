/**
 * The oracle: price datasources and the assembly of an OPR's prices. The engine builds one
 * `PriceOracle` from config at startup (it throws OracleConfigError listing every problem) and
 * the job builder calls `getPrices(version, signal)`.
 */
export {
  ASSETS_V1, ASSETS_V2, ASSETS_V4, ASSETS_V5, ALL_PRICED_ASSETS, assetsForVersion, isOprVersion, pricingSymbol,
  type OprVersion,
} from './assets.js';
export {
  embeddedOracleConfig, oracleConfigFromSections, withDevnetDefault, ORACLE_DEFAULTS, ORACLE_KEY_NAMES, SEED_DEFAULT_DATASOURCES,
  type OracleConfig, type OracleTomlSections, type DevnetPriceConfig,
} from './config.js';
export { loadOracleConfigFile } from './config-file.js';
export { OracleConfigError, OracleErrorCode } from './errors.js';
export { selectPrice, toPriceUnits, trimmedMean, truncatePrice, toleranceRate } from './merge.js';
export { assertValidPlan, coverageIssues, planSources, type ConfigIssue, type OraclePlan } from './plan.js';
export { DatasourceHealth, type SourceHealth } from './health.js';
export { PriceOracle, type PriceOracleDeps, type PriceSourceOracle, type SourcePull } from './oracle.js';
export { SOURCE_DESCRIPTORS, findDescriptor, type SourceDescriptor } from './sources/registry.js';
export type { PriceSource, SourceReading } from './sources/types.js';
export { devnetPrice, createDevnetSource } from './sources/devnet.js';
