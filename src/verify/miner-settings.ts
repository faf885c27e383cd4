/**
 * What the miner remembers for verification, beside its config file
 * (prosper-miner-verify.json): the pool's web address, the user's credit key, and the pool
 * keys pinned on first use, per pool web address.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ProsperError } from '../errors.js';
import { isCreditKey } from './credit-tree.js';

export interface VerifySettings {
  poolWeb?: string;
  creditKey?: string;
  pins: Record<string, string>;
}

export function verifySettingsPath(minerConfigPath: string): string {
  return join(dirname(minerConfigPath), 'prosper-miner-verify.json');
}

/** The default journal of a miner id, beside the config file. */
export function defaultJournalPath(minerConfigPath: string, minerId: string): string {
  return join(dirname(minerConfigPath), 'journal', `${minerId.replace(/[^A-Za-z0-9._-]/g, '_')}.jsonl`);
}

export function readVerifySettings(path: string): VerifySettings {
  if (!existsSync(path)) return { pins: {} };
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new ProsperError('PROSPER_E_VERIFY_SETTINGS', `cannot parse ${path}: ${(err as Error).message}`);
  }
  const pins: Record<string, string> = {};
  if (typeof o.pins === 'object' && o.pins !== null) {
    for (const [url, key] of Object.entries(o.pins)) if (typeof key === 'string' && /^[0-9a-f]{64}$/.test(key)) pins[url] = key;
  }
  return {
    ...(typeof o.poolWeb === 'string' ? { poolWeb: o.poolWeb } : {}),
    ...(isCreditKey(o.creditKey) ? { creditKey: o.creditKey } : {}),
    pins,
  };
}

export function writeVerifySettings(path: string, s: VerifySettings): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(s, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, path);
}

export function parsePoolWeb(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ProsperError('PROSPER_E_VERIFY_SETTINGS', `not a URL: ${url}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ProsperError('PROSPER_E_VERIFY_SETTINGS', `the pool web address must be http(s): ${url}`);
  return u.origin;
}

export function parseCreditKey(hex: string): string {
  const key = hex.trim().toLowerCase();
  if (!isCreditKey(key)) throw new ProsperError('PROSPER_E_VERIFY_SETTINGS', 'a credit key is 64 hex characters (shown on your account page)');
  return key;
}
