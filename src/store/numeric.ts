import { ProsperError } from '../errors.js';
import type { JobId } from '../domain/index.js';
import { UINT64_MAX } from '../lxr/pow.js';

export { UINT64_MAX };

/**
 * Reads a numeric/bigint column as a bigint. pg returns numeric and int8 as strings, PGlite
 * returns int8 as bigint and numeric as a string; both end up here.
 */
export function toBigint(value: unknown, column = 'value'): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new ProsperError('PROSPER_E_STORE_NUMERIC', `${column}: not an integer: ${String(value)}`);
}

/**
 * Reads a job_id (bigint) column as the pool's JobId: the one place a job id crosses from SQL
 * back to a number. Parameters go the other way as plain numbers (both drivers send them as
 * decimal text). A value past 2^53 cannot be a PegNet height (the database was changed outside
 * the pool): refused, never rounded.
 */
export function toJobId(value: unknown, column = 'job_id'): JobId {
  const id = toBigint(value, column);
  if (id < 0n || id > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ProsperError('PROSPER_E_STORE_NUMERIC', `${column} is not a job id (a block height): ${id}`);
  }
  return Number(id);
}

/** Like toBigint, but null/undefined (e.g. SUM over no rows) become 0n. */
export function toBigintOrZero(value: unknown, column = 'value'): bigint {
  return value === null || value === undefined ? 0n : toBigint(value, column);
}

/** A uint64 headed for a numeric(20,0) column: checked, never shifted. */
export function uint64Param(value: bigint, column = 'value'): string {
  if (value < 0n || value > UINT64_MAX) {
    throw new ProsperError('PROSPER_E_STORE_RANGE', `${column} out of uint64 range: ${value}`);
  }
  return value.toString();
}

export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') return new Date(value);
  throw new ProsperError('PROSPER_E_STORE_TIMESTAMP', `not a timestamp: ${String(value)}`);
}
