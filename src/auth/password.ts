import { randomBytes as nodeRandomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ProsperError } from '../errors.js';

/** scrypt cost: N = 2^15, r = 8, p = 1 (OWASP's floor for scrypt), 32-byte key, 16-byte salt. */
export interface ScryptCost {
  logN: number;
  r: number;
  p: number;
}
export const DEFAULT_SCRYPT_COST: ScryptCost = { logN: 15, r: 8, p: 1 };
const KEY_LEN = 32;
const SALT_LEN = 16;
export const MAX_PASSWORD_LENGTH = 1024;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const N = 2 ** cost.logN;
  const opts: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LEN, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export function checkPasswordShape(password: unknown): asserts password is string {
  if (typeof password !== 'string' || password.length === 0) {
    throw new ProsperError('PROSPER_E_AUTH_PASSWORD', 'a password is required');
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new ProsperError('PROSPER_E_AUTH_PASSWORD', `password longer than ${MAX_PASSWORD_LENGTH} characters`);
  }
}

/** Hashes to `scrypt$logN$r$p$salt$key` (base64), with a fresh per-user salt. */
export async function hashPassword(
  password: string,
  opts: { cost?: ScryptCost; randomBytes?: (n: number) => Buffer } = {},
): Promise<string> {
  checkPasswordShape(password);
  const cost = opts.cost ?? DEFAULT_SCRYPT_COST;
  const salt = (opts.randomBytes ?? nodeRandomBytes)(SALT_LEN);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.logN, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

function parse(stored: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [logN, r, p] = parts.slice(1, 4).map(Number);
  if (![logN, r, p].every(Number.isInteger) || logN < 1 || logN > 20 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  const salt = Buffer.from(parts[4], 'base64');
  const key = Buffer.from(parts[5], 'base64');
  if (salt.length < 8 || key.length !== KEY_LEN) return null;
  return { cost: { logN, r, p }, salt, key };
}

/** Constant-time check of a password against a stored hash; a malformed hash verifies false. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (typeof password !== 'string' || password.length === 0 || password.length > MAX_PASSWORD_LENGTH) return false;
  const parsed = parse(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.cost);
  return timingSafeEqual(key, parsed.key);
}
