/** OPR hash (what miners grind on) and short hashes (how winners are named). */
import { createHash } from 'node:crypto';

/** SHA-256 of the raw OPR content bytes, whatever the encoding. */
export function oprHash(content: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(content).digest());
}

/** Lowercase hex of the first 8 bytes of an entry hash: a previous-winner reference. */
export function shortHash(entryHash: Uint8Array): string {
  if (entryHash.length < 8) throw new RangeError('entry hash shorter than 8 bytes');
  return Buffer.from(entryHash.subarray(0, 8)).toString('hex');
}

/** Short hashes -> the raw 8-byte winners a V2+ OPR carries ('' -> empty bytes). */
export function winnersToBytes(shortHashes: readonly string[]): Uint8Array[] {
  return shortHashes.map((s) => {
    if (s !== '' && !/^[0-9a-fA-F]{16}$/.test(s)) throw new RangeError(`not a short hash: '${s}'`);
    return new Uint8Array(Buffer.from(s, 'hex'));
  });
}

/** Raw winners -> lowercase hex, as the reference's GetPreviousWinners (%x). */
export function winnersToHex(winners: readonly Uint8Array[]): string[] {
  return winners.map((w) => Buffer.from(w).toString('hex'));
}
