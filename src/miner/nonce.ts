/**
 * The miner's nonce layout (docs/stratum.md section 4): the 4-byte big-endian
 * connection nonce, one byte for the thread, then a 4-byte big-endian counter. The pool checks
 * the first 4 bytes, so a share cannot be credited on a second connection.
 */
export const NONCE_PREFIX_BYTES = 5;
export const NONCE_COUNTER_BYTES = 4;
export const NONCE_BYTES = NONCE_PREFIX_BYTES + NONCE_COUNTER_BYTES;

export function writeNoncePrefix(dst: Uint8Array, offset: number, connectionNonce: number, thread: number): void {
  dst[offset] = (connectionNonce >>> 24) & 255;
  dst[offset + 1] = (connectionNonce >>> 16) & 255;
  dst[offset + 2] = (connectionNonce >>> 8) & 255;
  dst[offset + 3] = connectionNonce & 255;
  dst[offset + 4] = thread & 255;
}

export function writeCounter(dst: Uint8Array, offset: number, counter: number): void {
  dst[offset] = (counter >>> 24) & 255;
  dst[offset + 1] = (counter >>> 16) & 255;
  dst[offset + 2] = (counter >>> 8) & 255;
  dst[offset + 3] = counter & 255;
}

export function buildNonce(connectionNonce: number, thread: number, counter: number): Uint8Array {
  const n = new Uint8Array(NONCE_BYTES);
  writeNoncePrefix(n, 0, connectionNonce, thread);
  writeCounter(n, NONCE_PREFIX_BYTES, counter);
  return n;
}
