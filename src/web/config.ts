import type { LoginLimits } from '../auth/index.js';
import { CONFIG_SCHEMA, type KeySpec, type PoolConfig } from '../config/index.js';
import { ProsperError } from '../errors.js';

export interface WebConfig {
  host: string;
  /** 7070 as in the original; 0 picks a free port (tests). */
  port: number;
  /** HMAC key for session cookies: at least 32 characters, from [web] sessionsecret or PROSPER_WEB_SECRET. */
  sessionSecret: string;
  /** Adds `Secure` to the session cookie. Only turn off for plain-HTTP development. */
  secureCookies: boolean;
  sessionTtlSeconds: number;
  /** Failed logins per IP and per account, and the password-hash bounds (shared with Stratum authorize). */
  loginLimits: LoginLimits;
  /** Take the client address from X-Forwarded-For (only behind a trusted reverse proxy). */
  trustProxy: boolean;
  /** When set, /metrics needs `Authorization: Bearer <token>`. */
  metricsToken: string;
  /** Directory of the dashboard files; defaults to the repo's web-assets/. */
  assetsDir?: string;
}

function bad(message: string): never {
  throw new ProsperError('PROSPER_E_WEB_CONFIG', message);
}

/** The `[web]` keys: their defaults and bounds are the config schema's (one definition). */
const WEB = CONFIG_SCHEMA.web;
type WebKey = keyof typeof WEB;

/** The `[web]` section as the config loader types it. */
export type WebSection = PoolConfig['web'];

function int(section: Record<string, unknown>, key: WebKey): number {
  const spec = WEB[key] as KeySpec;
  const v = section[key];
  if (v === undefined) return spec.default as number;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  const min = spec.min ?? 0;
  const max = spec.max ?? Number.MAX_SAFE_INTEGER;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) bad(`[web] ${key} must be an integer ${min}..${max}`);
  return n;
}

function bool(section: Record<string, unknown>, key: WebKey): boolean {
  const v = section[key];
  if (v === undefined) return WEB[key].default as boolean;
  if (typeof v !== 'boolean') bad(`[web] ${key} must be true or false`);
  return v;
}

function str(section: Record<string, unknown>, key: WebKey, fallback = WEB[key].default as string): string {
  const v = section[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string') bad(`[web] ${key} must be a string`);
  return v;
}

/**
 * The login limits from `[web]`: they guard every password check, the web login's and Stratum
 * mining.authorize's alike, so the pool reads them even with the web server off.
 */
export function loginLimitsFromSection(section: Partial<WebSection> | Record<string, unknown> = {}): LoginLimits {
  const s = section as Record<string, unknown>;
  return {
    maxFailures: int(s, 'loginmaxfailures'),
    windowSeconds: int(s, 'loginwindow'),
    hashConcurrency: int(s, 'loginhashes'),
    hashesPerIp: int(s, 'loginhashesperip'),
  };
}

/** Reads the `[web]` TOML section (keys lower-case). */
export function parseWebConfig(webSection: Partial<WebSection> | Record<string, unknown> = {}, env: NodeJS.ProcessEnv = process.env): WebConfig {
  const section = webSection as Record<string, unknown>;
  const secret = str(section, 'sessionsecret', env.PROSPER_WEB_SECRET ?? '');
  if (secret.length < 32) bad('[web] sessionsecret (or PROSPER_WEB_SECRET) must be set to at least 32 random characters');
  // Empty (the config file's default) means the dashboard files shipped with the pool.
  const assetsDir = str(section, 'assetsdir') || undefined;
  return {
    host: str(section, 'host'),
    port: int(section, 'port'),
    sessionSecret: secret,
    secureCookies: bool(section, 'securecookies'),
    sessionTtlSeconds: int(section, 'sessionttl'),
    loginLimits: loginLimitsFromSection(section),
    trustProxy: bool(section, 'trustproxy'),
    metricsToken: str(section, 'metricstoken'),
    assetsDir,
  };
}
