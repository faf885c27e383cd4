import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from '../auth/index.js';
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

function int(v: unknown, key: string, min: number, max: number, fallback: number): number {
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) bad(`[web] ${key} must be an integer ${min}..${max}`);
  return n;
}

function bool(v: unknown, key: string, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') bad(`[web] ${key} must be true or false`);
  return v;
}

function str(v: unknown, key: string, fallback: string): string {
  if (v === undefined) return fallback;
  if (typeof v !== 'string') bad(`[web] ${key} must be a string`);
  return v;
}

/**
 * The login limits from `[web]`: they guard every password check, the web login's and Stratum
 * mining.authorize's alike, so the pool reads them even with the web server off.
 */
export function loginLimitsFromSection(section: Record<string, unknown> = {}): LoginLimits {
  const d = DEFAULT_LOGIN_LIMITS;
  return {
    maxFailures: int(section.loginmaxfailures, 'loginmaxfailures', 1, 1000, d.maxFailures),
    windowSeconds: int(section.loginwindow, 'loginwindow', 1, 86400, d.windowSeconds),
    hashConcurrency: int(section.loginhashes, 'loginhashes', 1, 256, d.hashConcurrency),
    hashesPerIp: int(section.loginhashesperip, 'loginhashesperip', 1, 1024, d.hashesPerIp),
  };
}

/** Reads the `[web]` TOML section (keys lower-case). */
export function parseWebConfig(section: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = process.env): WebConfig {
  const secret = str(section.sessionsecret, 'sessionsecret', env.PROSPER_WEB_SECRET ?? '');
  if (secret.length < 32) bad('[web] sessionsecret (or PROSPER_WEB_SECRET) must be set to at least 32 random characters');
  // Empty (the config file's default) means the dashboard files shipped with the pool.
  const assetsDir = str(section.assetsdir, 'assetsdir', '') || undefined;
  return {
    host: str(section.host, 'host', '0.0.0.0'),
    port: int(section.port, 'port', 0, 65535, 7070),
    sessionSecret: secret,
    secureCookies: bool(section.securecookies, 'securecookies', true),
    sessionTtlSeconds: int(section.sessionttl, 'sessionttl', 60, 30 * 86400, 12 * 3600),
    loginLimits: loginLimitsFromSection(section),
    trustProxy: bool(section.trustproxy, 'trustproxy', false),
    metricsToken: str(section.metricstoken, 'metricstoken', ''),
    assetsDir,
  };
}
