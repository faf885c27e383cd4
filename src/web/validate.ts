import { checkText } from '../auth/index.js';
import type { JobId } from '../domain/index.js';
import { ProsperError, type ProsperCode } from '../errors.js';
import type { PageQuery, SortOrder } from './ports.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;
export const MAX_OFFSET = 1_000_000;

function bad(code: ProsperCode, message: string): never {
  throw new ProsperError(code, message);
}

/** A non-negative integer from a JSON number or a decimal string; undefined/null/'' give the fallback. */
export function intParam(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) bad('PROSPER_E_WEB_PARAM', `${name} must be a non-negative integer`);
  return Math.min(n, max);
}

/** A uint64 id (job ids) from a JSON number or decimal string. */
export function uint64Param(value: unknown, name: string, fallback: bigint): bigint {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) {
    const v = BigInt(value);
    if (v < 1n << 64n) return v;
  }
  return bad('PROSPER_E_WEB_PARAM', `${name} must be a non-negative integer`);
}

/** A job id (a block height) from a JSON number or a decimal string; absent: 0 (every job). */
export function jobIdParam(value: unknown, name: string): JobId {
  return intParam(value, name, 0, Number.MAX_SAFE_INTEGER);
}

/**
 * limit (default 50, capped at 200), offset, order (asc/desc, any case) and column, which must
 * be one of `columns` (the first is the default): the result only ever holds allow-listed
 * names, so nothing a client sends reaches a query text. `aliases` maps legacy names.
 */
export function parsePageQuery<C extends string>(
  raw: { limit?: unknown; offset?: unknown; order?: unknown; column?: unknown },
  columns: readonly C[],
  aliases: Record<string, C> = {},
): PageQuery<C> {
  const limit = intParam(raw.limit, 'limit', DEFAULT_LIMIT, MAX_LIMIT);
  const offset = intParam(raw.offset, 'offset', 0, MAX_OFFSET);
  let order: SortOrder = 'desc';
  if (raw.order !== undefined && raw.order !== null && raw.order !== '') {
    const o = typeof raw.order === 'string' ? raw.order.toLowerCase() : '';
    if (o !== 'asc' && o !== 'desc') bad('PROSPER_E_WEB_ORDER', 'order must be "asc" or "desc"');
    order = o;
  }
  let column: C = columns[0];
  if (raw.column !== undefined && raw.column !== null && raw.column !== '') {
    const c = typeof raw.column === 'string' ? raw.column.toLowerCase() : '';
    // Own keys only: `aliases["__proto__"]` or `aliases["constructor"]` would otherwise pass the
    // allow-list as a non-column and fail later as an internal error (found by test/hostile).
    const found = columns.find((x) => x === c) ?? (Object.hasOwn(aliases, c) ? aliases[c] : undefined);
    if (found === undefined) bad('PROSPER_E_WEB_COLUMN', `column must be one of: ${columns.join(', ')}`);
    column = found;
  }
  return { limit, offset, order, column };
}

/**
 * A required string field of a JSON body, trimmed of nothing, bounded in length, and text the
 * store can hold (checkText: no control characters, no broken Unicode), as Stratum checks it.
 */
export function stringField(body: Record<string, unknown>, name: string, maxLength: number): string {
  const v = body[name];
  if (typeof v !== 'string' || v.length === 0) bad('PROSPER_E_WEB_PARAM', `${name} is required`);
  if (v.length > maxLength) bad('PROSPER_E_WEB_PARAM', `${name} is longer than ${maxLength} characters`);
  return checkText(v, name, maxLength);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses a JSON object body; anything else is a coded 400. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    bad('PROSPER_E_WEB_UTF8', 'request body is not valid UTF-8');
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    bad('PROSPER_E_WEB_JSON', 'request body is not valid JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) bad('PROSPER_E_WEB_JSON', 'request body must be a JSON object');
  return v as Record<string, unknown>;
}
