/**
 * Proof-of-work math. A share's target (PegNet's "difficulty") is the first 8 bytes of
 * LXR(oprhash || nonce) read as a big-endian uint64: higher is better. Pool difficulty is
 * the conventional 1 / (1 - target/2^64) scale (docs/stratum.md section 5).
 */
export const UINT64_MAX = 0xffffffffffffffffn;
export const TWO_POW_64 = 1n << 64n;

/** First 8 bytes of a hash as a big-endian uint64. */
export function targetOfHash(hash: Uint8Array, offset = 0): bigint {
  if (hash.length < offset + 8) throw new RangeError('hash shorter than 8 bytes');
  const hi = ((hash[offset]! << 24) | (hash[offset + 1]! << 16) | (hash[offset + 2]! << 8) | hash[offset + 3]!) >>> 0;
  const lo = ((hash[offset + 4]! << 24) | (hash[offset + 5]! << 16) | (hash[offset + 6]! << 8) | hash[offset + 7]!) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** oprhash || nonce, the input a miner grinds. */
export function powInput(oprhash: Uint8Array, nonce: Uint8Array): Uint8Array {
  const input = new Uint8Array(oprhash.length + nonce.length);
  input.set(oprhash, 0);
  input.set(nonce, oprhash.length);
  return input;
}
