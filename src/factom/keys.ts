import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { encodeError } from './errors.js';

/** PKCS#8 / SPKI DER prefixes that wrap a raw 32-byte ed25519 seed / public key for node:crypto. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function privateKeyObject(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw encodeError('ed25519 private seed must be 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function publicKeyObject(pub: Uint8Array): KeyObject {
  if (pub.length !== 32) throw encodeError('ed25519 public key must be 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pub]), format: 'der', type: 'spki' });
}

/** The raw 32-byte ed25519 public key (RFC 8032) of a 32-byte seed. */
export function publicKeyFromSeed(seed: Uint8Array): Buffer {
  const der = createPublicKey(privateKeyObject(seed)).export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32));
}

/** Plain (non-prehashed) ed25519 signature, 64 bytes. Deterministic. */
export function ed25519Sign(seed: Uint8Array, message: Uint8Array): Buffer {
  return sign(null, message, privateKeyObject(seed));
}

/** Verify a plain ed25519 signature; false (never throws) for malformed keys or signatures. */
export function ed25519Verify(pub: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (pub.length !== 32 || signature.length !== 64) return false;
  try {
    return verify(null, message, publicKeyObject(pub), signature);
  } catch {
    return false;
  }
}

/** An ed25519 key pair as the Factom layer uses it (seed = Es/Fs body). */
export interface Ed25519KeyPair {
  readonly seed: Buffer;
  readonly publicKey: Buffer;
}

export function keyPairFromSeed(seed: Uint8Array): Ed25519KeyPair {
  return { seed: Buffer.from(seed), publicKey: publicKeyFromSeed(seed) };
}

/** A fresh random key pair (randomness injected for tests; defaults to crypto random bytes). */
export function generateKeyPair(randomBytes: (n: number) => Uint8Array): Ed25519KeyPair {
  return keyPairFromSeed(randomBytes(32));
}
