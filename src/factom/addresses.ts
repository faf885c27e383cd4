import { randomBytes } from 'node:crypto';
import { ProsperError } from '../errors.js';
import { base58Decode, base58Encode } from './base58.js';
import { sha256d } from './bytes.js';
import { FactomErrorCode } from './errors.js';
import { publicKeyFromSeed } from './keys.js';

/** The four Factom human address kinds and their 2-byte prefixes. */
export type AddressKind = 'FA' | 'Fs' | 'EC' | 'Es';

const PREFIXES: Record<AddressKind, Buffer> = {
  FA: Buffer.from([0x5f, 0xb1]),
  Fs: Buffer.from([0x64, 0x78]),
  EC: Buffer.from([0x59, 0x2a]),
  Es: Buffer.from([0x5d, 0xb6]),
};

function addressError(message: string): ProsperError {
  return new ProsperError(FactomErrorCode.Address, message);
}

/** prefix ‖ body ‖ first 4 bytes of sha256d(prefix ‖ body), base58: always 52 characters. */
export function encodeAddress(kind: AddressKind, body: Uint8Array): string {
  if (body.length !== 32) throw addressError('address body must be 32 bytes');
  const head = Buffer.concat([PREFIXES[kind], body]);
  return base58Encode(Buffer.concat([head, sha256d(head).subarray(0, 4)]));
}

/** Decode a human address of the given kind to its 32-byte body; throws PROSPER_E_FACTOM_ADDRESS. */
export function decodeAddress(kind: AddressKind, text: string): Buffer {
  if (typeof text !== 'string' || text.length !== 52) throw addressError(`${kind} address must be 52 characters`);
  if (!text.startsWith(kind)) throw addressError(`address does not start with ${kind}`);
  const raw = base58Decode(text);
  if (raw.length !== 38) throw addressError('address does not decode to 38 bytes');
  if (!raw.subarray(0, 2).equals(PREFIXES[kind])) throw addressError(`address prefix is not ${kind}`);
  const check = sha256d(raw.subarray(0, 34)).subarray(0, 4);
  if (!check.equals(raw.subarray(34))) throw addressError('address checksum mismatch');
  return Buffer.from(raw.subarray(2, 34));
}

/** Which kind a string is, or undefined if it is not a valid Factom address of any kind. */
export function addressKind(text: unknown): AddressKind | undefined {
  if (typeof text !== 'string') return undefined;
  for (const kind of Object.keys(PREFIXES) as AddressKind[]) {
    if (!text.startsWith(kind)) continue;
    try {
      decodeAddress(kind, text);
      return kind;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export const isValidFctAddress = (t: unknown): t is string => addressKind(t) === 'FA';
export const isValidFctPrivateAddress = (t: unknown): t is string => addressKind(t) === 'Fs';
export const isValidEcAddress = (t: unknown): t is string => addressKind(t) === 'EC';
export const isValidEcPrivateAddress = (t: unknown): t is string => addressKind(t) === 'Es';

/** RCD type 1: 0x01 ‖ ed25519 public key. */
export function rcd1(publicKey: Uint8Array): Buffer {
  if (publicKey.length !== 32) throw addressError('public key must be 32 bytes');
  return Buffer.concat([Buffer.from([0x01]), publicKey]);
}

/** The RCD hash (FA body) of a public key: sha256d(0x01 ‖ pub). */
export function rcdHash(publicKey: Uint8Array): Buffer {
  return sha256d(rcd1(publicKey));
}

export function fctAddressFromPublicKey(publicKey: Uint8Array): string {
  return encodeAddress('FA', rcdHash(publicKey));
}

export function ecAddressFromPublicKey(publicKey: Uint8Array): string {
  return encodeAddress('EC', publicKey);
}

/** A new random factoid key: its Fs secret and FA address (the embedded devnet offers one to a first miner). */
export function randomFactoidKey(): { secret: string; address: string } {
  const seed = randomBytes(32);
  return { secret: encodeAddress('Fs', seed), address: fctAddressFromPublicKey(publicKeyFromSeed(seed)) };
}

/** Fs… → FA… */
export function fctAddressFromPrivate(fs: string): string {
  return fctAddressFromPublicKey(publicKeyFromSeed(decodeAddress('Fs', fs)));
}

/** Es… → EC… */
export function ecAddressFromPrivate(es: string): string {
  return ecAddressFromPublicKey(publicKeyFromSeed(decodeAddress('Es', es)));
}

/** Es… → raw 32-byte EC public key. */
export function ecPublicKeyFromPrivate(es: string): Buffer {
  return publicKeyFromSeed(decodeAddress('Es', es));
}
