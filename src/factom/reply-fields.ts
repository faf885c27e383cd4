import { ProsperError } from '../errors.js';
import { FactomErrorCode } from './errors.js';

/** Typed readers for fields of a factomd JSON result: a wrong shape becomes PROSPER_E_FACTOM_BAD_REPLY. */

export type Json = Record<string, unknown>;

export function badReply(message: string): ProsperError {
  return new ProsperError(FactomErrorCode.BadReply, `factomd reply: ${message}`);
}

export function obj(v: unknown, where: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badReply(`${where} is not an object`);
  return v as Json;
}

export function arr(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw badReply(`${where} is not an array`);
  return v;
}

/** A JSON integer as number (must be a safe integer). */
export function int(o: Json, key: string, where: string): number {
  const v = o[key];
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  throw badReply(`${where}.${key} is not a safe integer`);
}

/** A JSON integer kept exact as bigint (nanosecond times, balances). */
export function bigInt(o: Json, key: string, where: string): bigint {
  const v = o[key];
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw badReply(`${where}.${key} is not an integer`);
}

export function bool(o: Json, key: string, where: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw badReply(`${where}.${key} is not a boolean`);
  return v;
}

export function str(o: Json, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw badReply(`${where}.${key} is not a string`);
  return v;
}

const HEX32 = /^[0-9a-fA-F]{64}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** A 64-char hex hash, returned lowercase. */
export function hex32(o: Json, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string' || !HEX32.test(v)) throw badReply(`${where}.${key} is not a 32-byte hex hash`);
  return v.toLowerCase();
}

/** Arbitrary-length hex decoded to bytes. */
export function hexBytes(o: Json, key: string, where: string): Buffer {
  const v = o[key];
  if (typeof v !== 'string' || !HEX.test(v)) throw badReply(`${where}.${key} is not hex`);
  return Buffer.from(v, 'hex');
}
