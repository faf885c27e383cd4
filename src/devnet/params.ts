import { invalidParams } from './rpc-errors.js';

/**
 * Named params as factomd maps them onto a Go struct: absent params = all zero values; an array
 * or a field of the wrong JSON type = -32602 Invalid params.
 */
export type Params = Record<string, unknown>;

export function asParams(raw: unknown): Params {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalidParams();
  return raw as Params;
}

export function stringParam(p: Params, key: string): string {
  const v = p[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw invalidParams();
  return v;
}

export function intParam(p: Params, key: string): number {
  const v = p[key];
  if (v === undefined || v === null) return 0;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidParams();
  return v;
}

export function boolParam(p: Params, key: string): boolean {
  const v = p[key];
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw invalidParams();
  return v;
}

const HEX32 = /^[0-9a-fA-F]{64}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** A 32-byte hex parameter, lowercased; undefined if it is not exactly 64 hex characters. */
export function hash32(v: string): string | undefined {
  return HEX32.test(v) ? v.toLowerCase() : undefined;
}

export function hexBytes(v: string): Buffer | undefined {
  return HEX.test(v) ? Buffer.from(v, 'hex') : undefined;
}
