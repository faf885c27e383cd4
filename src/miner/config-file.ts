/**
 * prosper-miner's config file (~/.prosper/prosper-miner.toml): pool.host, miner.threads,
 * miner.username, miner.minerid, and miner.bits once --bits was given. Written on first run (and
 * when --bits changes); secrets are never persisted.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'smol-toml';
import { ProsperError } from '../errors.js';
import { MAX_MAP_BITS, MIN_MAP_BITS } from '../lxr/params.js';

export interface MinerFileConfig {
  host?: string;
  threads?: number;
  username?: string;
  minerId?: string;
  /** The LXRHash table size last given with --bits, so a later run without it hashes the same way. */
  bits?: number;
}

export function defaultMinerConfigPath(): string {
  return join(homedir(), '.prosper', 'prosper-miner.toml');
}

export function readMinerConfig(path: string): MinerFileConfig | null {
  if (!existsSync(path)) return null;
  let doc: Record<string, unknown>;
  try {
    doc = parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new ProsperError('PROSPER_E_MINER_CONFIG', `cannot parse ${path}: ${(err as Error).message}`);
  }
  const pool = (doc.pool ?? {}) as Record<string, unknown>;
  const miner = (doc.miner ?? {}) as Record<string, unknown>;
  const out: MinerFileConfig = {};
  if (typeof pool.host === 'string') out.host = pool.host;
  if (typeof miner.threads === 'number' || typeof miner.threads === 'bigint') out.threads = Number(miner.threads);
  if (typeof miner.username === 'string') out.username = miner.username;
  if (typeof miner.minerid === 'string') out.minerId = miner.minerid;
  if (miner.bits !== undefined) {
    const bits = Number(miner.bits);
    if (!Number.isInteger(bits) || bits < MIN_MAP_BITS || bits > MAX_MAP_BITS) {
      throw new ProsperError('PROSPER_E_MINER_CONFIG', `${path}: miner.bits must be an integer ${MIN_MAP_BITS}..${MAX_MAP_BITS}`);
    }
    out.bits = bits;
  }
  return out;
}

export function writeMinerConfig(path: string, cfg: Required<Omit<MinerFileConfig, 'bits'>> & Pick<MinerFileConfig, 'bits'>): void {
  mkdirSync(dirname(path), { recursive: true });
  const miner = { threads: cfg.threads, username: cfg.username, minerid: cfg.minerId, ...(cfg.bits === undefined ? {} : { bits: cfg.bits }) };
  const text = stringify({ pool: { host: cfg.host }, miner });
  writeFileSync(path, text + '\n', { mode: 0o600 });
}

const ADJECTIVES = ['autumn', 'hidden', 'bitter', 'misty', 'silent', 'empty', 'dry', 'dark', 'summer', 'icy', 'delicate', 'quiet', 'white', 'cool', 'spring', 'winter', 'patient', 'twilight', 'dawn', 'crimson', 'wispy', 'weathered', 'blue', 'billowing', 'broken', 'cold', 'damp', 'falling', 'frosty', 'green', 'long', 'late', 'lingering', 'bold', 'little', 'morning', 'muddy', 'old', 'red', 'rough', 'still', 'small', 'sparkling', 'shy', 'wandering', 'withered', 'wild', 'black', 'young', 'holy', 'solitary', 'fragrant', 'aged', 'snowy', 'proud', 'floral', 'restless', 'divine', 'polished', 'ancient', 'purple', 'lively', 'nameless'];
const NOUNS = ['waterfall', 'river', 'breeze', 'moon', 'rain', 'wind', 'sea', 'morning', 'snow', 'lake', 'sunset', 'pine', 'shadow', 'leaf', 'dawn', 'glitter', 'forest', 'hill', 'cloud', 'meadow', 'sun', 'glade', 'bird', 'brook', 'butterfly', 'bush', 'dew', 'dust', 'field', 'fire', 'flower', 'firefly', 'feather', 'grass', 'haze', 'mountain', 'night', 'pond', 'darkness', 'snowflake', 'silence', 'sound', 'sky', 'shape', 'surf', 'thunder', 'violet', 'water', 'wildflower', 'wave', 'resonance', 'wood', 'dream', 'cherry', 'tree', 'fog', 'frost', 'voice', 'paper', 'frog', 'smoke', 'star'];

/** A random "adjective-noun" miner id, as the original's default. */
export function randomMinerId(random: () => number = Math.random): string {
  return `${ADJECTIVES[Math.floor(random() * ADJECTIVES.length)]}-${NOUNS[Math.floor(random() * NOUNS.length)]}`;
}

const EMAIL_RE = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export function isValidEmail(s: string): boolean {
  return s.length <= 254 && EMAIL_RE.test(s);
}
