/**
 * The signed statement of one job's credit root, and ed25519 over raw 32-byte public keys
 * (node:crypto works with SPKI; the raw key is its last 32 bytes).
 */
import type { JobId } from '../domain/index.js';
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { ProsperError } from '../errors.js';

export interface CreditStatement {
  jobId: JobId;
  /** 64 lowercase hex characters. */
  root: string;
  total: bigint;
  leaves: number;
}

/** "prosper-credit-root/v1\n" H "\n" root hex "\n" total "\n" n: decimal, no padding, no final newline. */
export function statementBytes(s: CreditStatement): Buffer {
  return Buffer.from(`prosper-credit-root/v1\n${s.jobId}\n${s.root}\n${s.total}\n${s.leaves}`, 'utf8');
}

/** DER prefix of an ed25519 SubjectPublicKeyInfo; the raw key follows. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function rawPublicKey(key: KeyObject): string {
  const der = key.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32).toString('hex');
}

export function publicKeyFromRaw(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new ProsperError('PROSPER_E_VERIFY_KEY', 'a public key is 64 lowercase hex characters');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

/** 128 lowercase hex characters. */
export function signStatement(s: CreditStatement, privateKey: KeyObject): string {
  return sign(null, statementBytes(s), privateKey).toString('hex');
}

export function statementSignedBy(s: CreditStatement, signature: string, publicKeyHex: string): boolean {
  if (!/^[0-9a-f]{128}$/.test(signature)) return false;
  return verify(null, statementBytes(s), publicKeyFromRaw(publicKeyHex), Buffer.from(signature, 'hex'));
}
