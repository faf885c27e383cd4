import { UINT64_MAX } from '../lxr/pow.js';
import type { ShareToValidate } from './types.js';

/** Shape checks of a share before it is queued (the contract says cheap checks come first). */
export const MAX_NONCE_BYTES = 1024;
export const OPRHASH_BYTES = 32;
export { UINT64_MAX };

export const isUint64 = (v: unknown): v is bigint => typeof v === 'bigint' && v >= 0n && v <= UINT64_MAX;

/** Why the share is malformed, or undefined when it is well formed. */
export function checkShare(share: ShareToValidate): string | undefined {
  if (!Number.isInteger(share.jobId)) return 'job id is not an integer';
  if (!(share.oprHash instanceof Uint8Array) || share.oprHash.length !== OPRHASH_BYTES) return 'oprhash must be 32 bytes';
  if (!(share.nonce instanceof Uint8Array) || share.nonce.length === 0 || share.nonce.length > MAX_NONCE_BYTES) return `nonce must be 1..${MAX_NONCE_BYTES} bytes`;
  if (!isUint64(share.claimedTarget)) return 'claimed target must be a uint64 bigint';
  if (!isUint64(share.minTarget)) return 'minimum target must be a uint64 bigint';
  return undefined;
}
