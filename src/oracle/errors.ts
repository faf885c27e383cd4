import { ProsperError } from '../errors.js';

/** Every error code the oracle raises; callers and tests match on these. */
export const OracleErrorCode = {
  Timeout: 'PROSPER_E_ORACLE_TIMEOUT',
  Aborted: 'PROSPER_E_ORACLE_ABORTED',
  Network: 'PROSPER_E_ORACLE_NETWORK',
  HttpStatus: 'PROSPER_E_ORACLE_HTTP_STATUS',
  RateLimited: 'PROSPER_E_ORACLE_RATE_LIMITED',
  BodyTooLarge: 'PROSPER_E_ORACLE_BODY_TOO_LARGE',
  Malformed: 'PROSPER_E_ORACLE_MALFORMED',
  ProviderError: 'PROSPER_E_ORACLE_PROVIDER_ERROR',
  Stale: 'PROSPER_E_ORACLE_STALE',
  MissingAsset: 'PROSPER_E_ORACLE_MISSING_ASSET',
  ZeroPrice: 'PROSPER_E_ORACLE_ZERO_PRICE',
  NoPrice: 'PROSPER_E_ORACLE_NO_PRICE',
  Deadline: 'PROSPER_E_ORACLE_DEADLINE',
  UnsupportedVersion: 'PROSPER_E_ORACLE_UNSUPPORTED_VERSION',
  Config: 'PROSPER_E_ORACLE_CONFIG',
  ConfigUnknownSource: 'PROSPER_E_ORACLE_CONFIG_UNKNOWN_SOURCE',
  ConfigDuplicatePriority: 'PROSPER_E_ORACLE_CONFIG_DUPLICATE_PRIORITY',
  ConfigMissingKey: 'PROSPER_E_ORACLE_CONFIG_MISSING_KEY',
  ConfigBadValue: 'PROSPER_E_ORACLE_CONFIG_BAD_VALUE',
  ConfigBadOverride: 'PROSPER_E_ORACLE_CONFIG_BAD_OVERRIDE',
  ConfigNoSource: 'PROSPER_E_ORACLE_CONFIG_NO_SOURCE',
} as const;

export type OracleErrorCode = (typeof OracleErrorCode)[keyof typeof OracleErrorCode];

export function oracleError(code: OracleErrorCode, message: string, cause?: unknown): ProsperError {
  return new ProsperError(code, message, cause === undefined ? undefined : { cause });
}

/** Startup validation failure: every problem found, each with its own code. */
export class OracleConfigError extends ProsperError {
  readonly issues: ReadonlyArray<{ code: string; message: string }>;
  constructor(issues: ReadonlyArray<{ code: string; message: string }>) {
    super(OracleErrorCode.Config, `oracle config is invalid:\n  - ${issues.map((i) => i.message).join('\n  - ')}`);
    this.issues = issues;
  }
}
