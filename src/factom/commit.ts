import { sha256, sha256d, readUint48, writeUint48 } from './bytes.js';
import { decodeError, encodeError } from './errors.js';
import { ed25519Sign, ed25519Verify, publicKeyFromSeed } from './keys.js';

export const ENTRY_COMMIT_SIZE = 136;
export const CHAIN_COMMIT_SIZE = 200;
const ENTRY_LEDGER = 40;
const CHAIN_LEDGER = 104;

/** A decoded 136-byte entry commit (factomd's commit-entry message). */
export interface EntryCommit {
  readonly kind: 'entry';
  readonly timestampMs: number;
  readonly entryHash: Buffer;
  readonly credits: number;
  readonly ecPublicKey: Buffer;
  readonly signature: Buffer;
  /** sha256 of the 40-byte ledger part. */
  readonly txid: Buffer;
  /** sha256 of all 136 bytes. */
  readonly fullHash: Buffer;
  readonly bytes: Buffer;
}

/** A decoded 200-byte chain commit (factomd's commit-chain message). */
export interface ChainCommit {
  readonly kind: 'chain';
  readonly timestampMs: number;
  readonly chainIdHash: Buffer;
  readonly weld: Buffer;
  readonly entryHash: Buffer;
  readonly credits: number;
  readonly ecPublicKey: Buffer;
  readonly signature: Buffer;
  readonly txid: Buffer;
  readonly fullHash: Buffer;
  readonly bytes: Buffer;
}

function checkCredits(credits: number, min: number, max: number): void {
  if (!Number.isInteger(credits) || credits < min || credits > max) throw encodeError(`credits must be ${min}..${max}`);
}

/** Build and sign an entry commit paying `credits` EC from the key `ecSeed`. */
export function buildEntryCommit(entryHash: Uint8Array, credits: number, ecSeed: Uint8Array, timestampMs: number): Buffer {
  if (entryHash.length !== 32) throw encodeError('entry hash must be 32 bytes');
  checkCredits(credits, 1, 10);
  const out = Buffer.alloc(ENTRY_COMMIT_SIZE);
  writeUint48(out, timestampMs, 1);
  Buffer.from(entryHash).copy(out, 7);
  out[39] = credits;
  publicKeyFromSeed(ecSeed).copy(out, 40);
  ed25519Sign(ecSeed, out.subarray(0, ENTRY_LEDGER)).copy(out, 72);
  return out;
}

/** weld = sha256d(entryHash ‖ chainId). */
export function chainWeld(entryHash: Uint8Array, chainId: Uint8Array): Buffer {
  return sha256d(entryHash, chainId);
}

/** Build and sign a chain commit for the chain's first entry. */
export function buildChainCommit(chainId: Uint8Array, entryHash: Uint8Array, credits: number, ecSeed: Uint8Array, timestampMs: number): Buffer {
  if (entryHash.length !== 32 || chainId.length !== 32) throw encodeError('chain id and entry hash must be 32 bytes');
  checkCredits(credits, 11, 20);
  const out = Buffer.alloc(CHAIN_COMMIT_SIZE);
  writeUint48(out, timestampMs, 1);
  sha256d(chainId).copy(out, 7);
  chainWeld(entryHash, chainId).copy(out, 39);
  Buffer.from(entryHash).copy(out, 71);
  out[103] = credits;
  publicKeyFromSeed(ecSeed).copy(out, 104);
  ed25519Sign(ecSeed, out.subarray(0, CHAIN_LEDGER)).copy(out, 136);
  return out;
}

/**
 * Parse an entry commit as factomd does: at least 136 bytes (extra trailing bytes ignored), version 0.
 * Credits range and signature are checked by `isValidEntryCommit`.
 */
export function parseEntryCommit(data: Uint8Array): EntryCommit {
  if (data.length < ENTRY_COMMIT_SIZE) throw decodeError('entry commit shorter than 136 bytes');
  const b = Buffer.from(data.subarray(0, ENTRY_COMMIT_SIZE));
  if (b[0] !== 0) throw decodeError('entry commit version is not 0');
  return {
    kind: 'entry',
    timestampMs: readUint48(b, 1),
    entryHash: b.subarray(7, 39),
    credits: b[39],
    ecPublicKey: b.subarray(40, 72),
    signature: b.subarray(72, 136),
    txid: sha256(b.subarray(0, ENTRY_LEDGER)),
    fullHash: sha256(b),
    bytes: b,
  };
}

export function parseChainCommit(data: Uint8Array): ChainCommit {
  if (data.length < CHAIN_COMMIT_SIZE) throw decodeError('chain commit shorter than 200 bytes');
  const b = Buffer.from(data.subarray(0, CHAIN_COMMIT_SIZE));
  if (b[0] !== 0) throw decodeError('chain commit version is not 0');
  return {
    kind: 'chain',
    timestampMs: readUint48(b, 1),
    chainIdHash: b.subarray(7, 39),
    weld: b.subarray(39, 71),
    entryHash: b.subarray(71, 103),
    credits: b[103],
    ecPublicKey: b.subarray(104, 136),
    signature: b.subarray(136, 200),
    txid: sha256(b.subarray(0, CHAIN_LEDGER)),
    fullHash: sha256(b),
    bytes: b,
  };
}

/** factomd's synchronous commit-entry checks: credits 1..10 and a valid signature. */
export function isValidEntryCommit(c: EntryCommit): boolean {
  return c.credits >= 1 && c.credits <= 10 && ed25519Verify(c.ecPublicKey, c.bytes.subarray(0, ENTRY_LEDGER), c.signature);
}

/** factomd's synchronous commit-chain checks: credits 11..20 and a valid signature. */
export function isValidChainCommit(c: ChainCommit): boolean {
  return c.credits >= 11 && c.credits <= 20 && ed25519Verify(c.ecPublicKey, c.bytes.subarray(0, CHAIN_LEDGER), c.signature);
}
