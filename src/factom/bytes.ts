import { createHash } from 'node:crypto';
import { decodeError } from './errors.js';

export function sha256(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

export function sha512(...parts: Uint8Array[]): Buffer {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** sha256(sha256(x)): Factom's double hash (chain id hash, weld, address checksums). */
export function sha256d(...parts: Uint8Array[]): Buffer {
  return sha256(sha256(...parts));
}

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

/** Strict hex decode (even length, hex digits only, either case) as Go's hex.DecodeString. */
export function fromHex(hex: string, what = 'hex'): Buffer {
  if (typeof hex !== 'string' || !HEX_RE.test(hex)) throw decodeError(`${what} is not valid hex`);
  return Buffer.from(hex, 'hex');
}

/** Decode exactly 32 bytes of hex (a hash, chain id, key). */
export function fromHex32(hex: string, what = 'hash'): Buffer {
  if (typeof hex !== 'string' || hex.length !== 64) throw decodeError(`${what} must be 64 hex characters`);
  return fromHex(hex, what);
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export function isHex32(s: unknown): s is string {
  return typeof s === 'string' && s.length === 64 && HEX_RE.test(s);
}

export const ZERO32: Buffer = Buffer.alloc(32);

/** 48-bit big-endian millisecond timestamp used by commits and factoid transactions. */
export function writeUint48(buf: Buffer, value: number, offset: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value >= 2 ** 48) throw decodeError('timestamp out of 48-bit range');
  buf.writeUIntBE(value, offset, 6);
}

export function readUint48(buf: Buffer, offset: number): number {
  return buf.readUIntBE(offset, 6);
}
