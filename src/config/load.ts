import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { parse as parseToml, TomlError } from 'smol-toml';
import { ProsperError } from '../errors.js';
import { CONFIG_SCHEMA, FREE_SECTIONS, type KeySpec, type KeyType } from './schema.js';

type Schema = typeof CONFIG_SCHEMA;
type ValueOf<T extends KeyType> = T extends 'int' | 'number' | 'duration' ? number : T extends 'bool' ? boolean : string;

/** The effective configuration: every schema key typed (durations in seconds), plus free sections. */
export type PoolConfig = {
  -readonly [S in keyof Schema]: { -readonly [K in keyof Schema[S]]: Schema[S][K] extends { type: infer T extends KeyType } ? ValueOf<T> : never };
} & {
  oracle: Record<string, string>;
  oracledatasources: Record<string, number>;
  oracleassetdatasourcespriority: Record<string, string>;
  /** The file it was read from, if any. */
  source?: string;
};

/** Command-line flags of the seed that override config keys when given explicitly. */
export interface ConfigFlags {
  log?: string;
  fhost?: string;
  phost?: string;
  pport?: number;
  sport?: number;
  tlsport?: number;
  rauth?: boolean;
  testing?: boolean;
  act?: number;
  role?: string;
  edgeid?: string;
  nats?: string;
}

export const DEFAULT_CONFIG_PATH = '$HOME/.prosper/prosper-pool.toml';

/** Expands $HOME, ${HOME}, other $VARS and a leading ~ as the original's viper did. */
export function expandPath(p: string, env: NodeJS.ProcessEnv = process.env): string {
  const home = env.HOME ?? homedir();
  return p
    .replace(/^~(?=$|\/)/, home)
    .replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string | undefined, b: string | undefined) => {
      const name = (a ?? b)!;
      return name === 'HOME' ? home : env[name] ?? '';
    });
}

const configError = (message: string) => new ProsperError('PROSPER_E_CONFIG', message);

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Go-style durations ("1h30m", "500ms", "2s") or a number of seconds. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text)) !== null) {
    total += Number(match[1]) * DURATION_UNITS[match[2]!]!;
    pos = re.lastIndex;
  }
  return pos === text.length && pos > 0 ? total : undefined;
}

function coerce(where: string, spec: KeySpec, raw: unknown): string | number | boolean {
  const fail = (what: string) => configError(`${where}: ${what} (got ${JSON.stringify(raw)})`);
  let value: string | number | boolean;
  switch (spec.type) {
    case 'string':
      if (typeof raw !== 'string') throw fail('must be a string');
      value = raw;
      if (spec.choices && !spec.choices.includes(raw)) throw fail(`must be one of ${spec.choices.join(', ')}`);
      if (spec.pattern && !spec.pattern.test(raw)) throw fail(`must match ${spec.pattern}`);
      return value;
    case 'bool':
      if (typeof raw !== 'boolean') throw fail('must be true or false');
      return raw;
    case 'int':
    case 'number': {
      const n = typeof raw === 'bigint' ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw fail('must be a number');
      if (spec.type === 'int' && !Number.isInteger(n)) throw fail('must be an integer');
      value = n;
      break;
    }
    case 'duration': {
      const s = parseDuration(raw);
      if (s === undefined) throw fail('must be a duration such as "500ms", "2s", "5m" or a number of seconds');
      value = s;
      break;
    }
    case 'decimal': {
      const text = typeof raw === 'number' ? String(raw) : raw;
      if (typeof text !== 'string' || !/^\d+(\.\d+)?$/.test(text.trim())) throw fail('must be a decimal number such as "0.05"');
      const n = Number(text);
      if (spec.min !== undefined && n < spec.min) throw fail(`must be at least ${spec.min}`);
      if (spec.max !== undefined && n > spec.max) throw fail(`must be at most ${spec.max}`);
      return text.trim();
    }
  }
  if (spec.min !== undefined && (value as number) < spec.min) throw fail(`must be at least ${spec.min}`);
  if (spec.max !== undefined && (value as number) > spec.max) throw fail(`must be at most ${spec.max}`);
  return value;
}

/** The built-in config: every key at its schema default (no file, no flags). */
export function defaultConfig(): PoolConfig {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [section, keys] of Object.entries(CONFIG_SCHEMA)) {
    out[section] = {};
    for (const [key, spec] of Object.entries(keys as Record<string, KeySpec>)) {
      out[section][key] = coerce(`[${section}] ${key}`, spec, spec.default);
    }
  }
  for (const s of FREE_SECTIONS) out[s] = {};
  return out as unknown as PoolConfig;
}

function lowerKeys(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k.toLowerCase()] = v;
  return out;
}

/** Applies a parsed TOML document onto `config`, validating every key. */
export function applyDocument(config: PoolConfig, doc: Record<string, unknown>, origin: string): void {
  const schema = CONFIG_SCHEMA as Record<string, Record<string, KeySpec>>;
  for (const [rawSection, body] of Object.entries(doc)) {
    const section = rawSection.toLowerCase();
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw configError(`${origin}: '${rawSection}' must be a [section] table`);
    }
    const entries = lowerKeys(body as Record<string, unknown>);
    const target = (config as unknown as Record<string, Record<string, unknown>>)[section];
    if ((FREE_SECTIONS as readonly string[]).includes(section)) {
      for (const [key, value] of Object.entries(entries)) {
        if (section === 'oracledatasources') {
          const n = typeof value === 'bigint' ? Number(value) : value;
          if (typeof n !== 'number' || !Number.isInteger(n)) throw configError(`${origin}: [${section}] ${key}: must be an integer priority (-1 disables)`);
          target![key] = n;
        } else if (section === 'oracle' && (typeof value === 'number' || typeof value === 'bigint')) {
          // Numeric oracle settings (devnetseed) reach the oracle as text, which it validates.
          target![key] = String(value);
        } else {
          if (typeof value !== 'string') throw configError(`${origin}: [${section}] ${key}: must be a string`);
          target![key] = value;
        }
      }
      continue;
    }
    const keys = schema[section];
    if (!keys) throw configError(`${origin}: unknown section [${rawSection}]; known: ${[...Object.keys(schema), ...FREE_SECTIONS].join(', ')}`);
    for (const [key, value] of Object.entries(entries)) {
      const spec = keys[key];
      if (!spec) throw configError(`${origin}: unknown key '${key}' in [${section}]; known: ${Object.keys(keys).join(', ')}`);
      target![key] = coerce(`${origin}: [${section}] ${key}`, spec, value);
    }
  }
}

/** Explicitly given flags win over the file (viper's precedence). */
export function applyFlags(config: PoolConfig, flags: ConfigFlags): void {
  const set = (section: string, key: string, value: unknown, flag: string) => {
    if (value === undefined) return;
    const spec = (CONFIG_SCHEMA as Record<string, Record<string, KeySpec>>)[section]![key]!;
    (config as unknown as Record<string, Record<string, unknown>>)[section]![key] = coerce(`--${flag}`, spec, value);
  };
  set('app', 'loglevel', flags.log, 'log');
  set('factom', 'factomdlocation', flags.fhost, 'fhost');
  set('database', 'host', flags.phost, 'phost');
  set('database', 'port', flags.pport, 'pport');
  set('stratum', 'stratumport', flags.sport, 'sport');
  set('stratum', 'tlsport', flags.tlsport, 'tlsport');
  set('stratum', 'requireauth', flags.rauth, 'rauth');
  set('pegnet', 'testing', flags.testing, 'testing');
  set('pegnet', 'act', flags.act, 'act');
  set('cluster', 'role', flags.role, 'role');
  set('cluster', 'edgeid', flags.edgeid, 'edgeid');
  set('cluster', 'nats', flags.nats, 'nats');
}

/**
 * The one reader of prosper-pool.toml (the full loader and the oracle's early read share it):
 * the parsed document of the file at `path` (expanded), or undefined when there is none.
 */
export function readConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> | undefined {
  const file = expandPath(path, env);
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ProsperError('PROSPER_E_CONFIG', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (err) {
    const detail = err instanceof TomlError ? `line ${err.line}, column ${err.column}: ${err.message.split('\n')[0]}` : String(err);
    throw configError(`${file} is not valid TOML: ${detail}`);
  }
}

export interface LoadConfigOptions {
  /** Path given with --config; undefined means the default path, which may be absent. */
  path?: string;
  flags?: ConfigFlags;
  env?: NodeJS.ProcessEnv;
}

/**
 * Defaults, then the TOML file, then explicit flags. A missing file at the default path means
 * "run on defaults" (the embedded pool); a missing file that was asked for is an error.
 */
export function loadConfig(opts: LoadConfigOptions = {}): PoolConfig {
  const env = opts.env ?? process.env;
  const config = defaultConfig();
  const explicit = opts.path !== undefined && opts.path !== DEFAULT_CONFIG_PATH;
  const path = expandPath(opts.path ?? DEFAULT_CONFIG_PATH, env);
  const doc = readConfigFile(path, env);
  if (doc) {
    applyDocument(config, doc, path);
    config.source = path;
  } else if (explicit) {
    throw configError(`config does not exist at ${path}`);
  }
  applyFlags(config, opts.flags ?? {});
  config.database.datadir = expandPath(config.database.datadir, env);
  config.devnet.datadir = expandPath(config.devnet.datadir, env);
  config.accounting.spooldir = expandPath(config.accounting.spooldir, env);
  config.pool.identitykey = expandPath(config.pool.identitykey, env);
  config.notify.spooldir = expandPath(config.notify.spooldir, env);
  return config;
}
