/**
 * FA address check exactly as the grader's modules/factoidaddress: a byte-wise base58
 * decode (any non-alphabet byte, or an empty string, is "not base58"), then length, prefix
 * and checksum. Returns the reference's reason, or undefined when valid.
 */
import { createHash } from 'node:crypto';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const INDEX = new Map([...ALPHABET].map((c, i) => [c.charCodeAt(0), i]));

function base58DecodeLikeGo(bytes: Uint8Array): Uint8Array {
  let n = 0n;
  for (const b of bytes) {
    const v = INDEX.get(b);
    if (v === undefined) return new Uint8Array(0);
    n = n * 58n + BigInt(v);
  }
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0x31) zeros++;
  const hex = n === 0n ? '' : n.toString(16);
  const body = Buffer.from(hex.length % 2 ? '0' + hex : hex, 'hex');
  const out = new Uint8Array(zeros + body.length);
  out.set(body, zeros);
  return out;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest();

export function factoidAddressProblem(addr: string): string | undefined {
  const data = base58DecodeLikeGo(new TextEncoder().encode(addr));
  if (data.length === 0) return 'address must be in base58';
  if (data.length !== 38) return 'address is of wrong length';
  if (data[0] !== 0x5f || data[1] !== 0xb1) return 'address has wrong prefix';
  const check = sha256(sha256(data.subarray(0, 34))).subarray(0, 4);
  if (!check.equals(data.subarray(34))) return 'checksum is not correct';
  return undefined;
}
