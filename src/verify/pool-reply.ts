/**
 * Reads the pool's verifiable-accounting replies (GET /api/pool/identity, /api/pool/credit/H,
 * /api/pool/credit/H/proof/K): every field checked, a malformed reply is a coded error.
 */
import { ProsperError } from '../errors.js';
import type { CreditProofJson, CreditRootJson } from './credit-json.js';
import type { ProofStep } from './credit-tree.js';

export type RootReply = CreditRootJson;
export type ProofReply = CreditProofJson;

function replyError(message: string): ProsperError {
  return new ProsperError('PROSPER_E_VERIFY_REPLY', message);
}

function object(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw replyError(`${what}: expected a JSON object`);
  return v as Record<string, unknown>;
}

function hex(o: Record<string, unknown>, key: string, chars: number): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length !== chars || !/^[0-9a-f]+$/.test(v)) throw replyError(`${key}: expected ${chars} lowercase hex characters`);
  return v;
}

function decimal(o: Record<string, unknown>, key: string): bigint {
  const v = o[key];
  if (typeof v !== 'string' || !/^(0|[1-9]\d{0,39})$/.test(v)) throw replyError(`${key}: expected a decimal string`);
  return BigInt(v);
}

function count(o: Record<string, unknown>, key: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw replyError(`${key}: expected a non-negative integer`);
  return v;
}

/** The scheme that paid the job; a pool from before payout schemes sends none and paid by PROP. */
function scheme(o: Record<string, unknown>): string {
  const v = o.scheme;
  if (v === undefined) return 'prop';
  if (v !== 'prop' && v !== 'pplns' && v !== 'pps') throw replyError('scheme: expected "prop", "pplns" or "pps"');
  return v;
}

function optionalDecimal(o: Record<string, unknown>, key: string): bigint | null {
  return o[key] === undefined || o[key] === null ? null : decimal(o, key);
}

export function parseIdentityReply(v: unknown): string {
  return hex(object(v, 'identity'), 'publicKey', 64);
}

export function parseRootReply(v: unknown): RootReply {
  const o = object(v, 'credit root');
  return {
    jobId: count(o, 'jobId'), root: hex(o, 'root', 64), total: decimal(o, 'total'), leaves: count(o, 'leaves'), signature: hex(o, 'signature', 128),
    reward: decimal(o, 'reward'), poolFee: decimal(o, 'poolFee'), dust: decimal(o, 'dust'),
    scheme: scheme(o), ppsRateE18: optionalDecimal(o, 'ppsRateE18'), pplnsWindow: optionalDecimal(o, 'pplnsWindow'),
  };
}

export function parseProofReply(v: unknown): ProofReply {
  const o = object(v, 'credit proof');
  if (!Array.isArray(o.path) || o.path.length > 128) throw replyError('path: expected an array of at most 128 steps');
  const path = o.path.map((x, i): ProofStep => {
    const s = object(x, `path[${i}]`);
    if (s.side !== 'L' && s.side !== 'R') throw replyError(`path[${i}].side: expected "L" or "R"`);
    return { side: s.side, hash: hex(s, 'hash', 64), sum: decimal(s, 'sum') };
  });
  return {
    jobId: count(o, 'jobId'), creditKey: hex(o, 'creditKey', 64), credit: decimal(o, 'credit'), path,
    root: hex(o, 'root', 64), total: decimal(o, 'total'), leaves: count(o, 'leaves'), signature: hex(o, 'signature', 128),
  };
}

/** GET `url` as JSON: the parsed body, or null for a 404 (not published yet / no leaf). */
export async function getJson(url: string, timeoutMs = 15_000): Promise<unknown | null> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new ProsperError('PROSPER_E_VERIFY_FETCH', `cannot reach ${url}: ${(err as Error).message}`, { cause: err });
  }
  const text = await res.text();
  if (res.status === 404) return null;
  if (res.status !== 200) throw new ProsperError('PROSPER_E_VERIFY_FETCH', `${url} answered HTTP ${res.status}: ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw replyError(`${url} did not answer JSON`);
  }
}
