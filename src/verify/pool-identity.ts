/**
 * The pool's ed25519 identity: created on first start and kept as a PKCS#8 PEM file (mode
 * 0600) at `[pool] identitykey`, then loaded on every start so statements stay verifiable
 * under one key.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeNewFileDurably } from '../accounting/payout-db.js';
import { ProsperError } from '../errors.js';
import { rawPublicKey } from './statement.js';

export interface PoolIdentity {
  privateKey: KeyObject;
  /** The raw 32-byte public key, hex. */
  publicKey: string;
}

function fromPem(pem: string, path: string): PoolIdentity {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    throw new ProsperError('PROSPER_E_VERIFY_IDENTITY', `${path} is not a PEM private key`, { cause: err });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new ProsperError('PROSPER_E_VERIFY_IDENTITY', `${path} holds a ${privateKey.asymmetricKeyType} key, not ed25519`);
  return { privateKey, publicKey: rawPublicKey(createPublicKey(privateKey)) };
}

/**
 * What a process that must not sign in the pool's name (`prosper-pool web` alone) has when the
 * pool's key file does not exist: it never creates one, it says where the key was looked for.
 */
export interface MissingPoolIdentity {
  missing: string;
}

/** Loads the key at `path`; never creates one (see loadOrCreatePoolIdentity). */
export function loadPoolIdentity(path: string): PoolIdentity | MissingPoolIdentity {
  return existsSync(path) ? fromPem(readFileSync(path, 'utf8'), path) : { missing: path };
}

/** The identity, or the coded error of a server that has none (PROSPER_E_VERIFY_NO_IDENTITY). */
export function requireIdentity(identity: PoolIdentity | MissingPoolIdentity): PoolIdentity {
  if ('missing' in identity) {
    throw new ProsperError(
      'PROSPER_E_VERIFY_NO_IDENTITY',
      `this server has no pool identity key (${identity.missing} does not exist): the pool creates it on its first start; point [pool] identitykey at the pool's key file`,
    );
  }
  return identity;
}

/** Loads the key at `path`, or creates it there when there is none. */
export function loadOrCreatePoolIdentity(path: string): PoolIdentity {
  if (existsSync(path)) return fromPem(readFileSync(path, 'utf8'), path);
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeNewFileDurably(path, pem);
  } catch (err) {
    // Another process created it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return fromPem(readFileSync(path, 'utf8'), path);
    throw new ProsperError('PROSPER_E_VERIFY_IDENTITY', `cannot write the pool identity key ${path}: ${(err as Error).message}`, { cause: err });
  }
  return fromPem(pem, path);
}
