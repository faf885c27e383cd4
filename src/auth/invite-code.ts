import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { base58Encode } from '../factom/index.js';

/** As the original: 20 random bytes, base58 (Bitcoin alphabet), about 27-28 characters. */
export function generateInviteCode(randomBytes: (n: number) => Uint8Array = nodeRandomBytes): string {
  return base58Encode(randomBytes(20));
}
