import { ProsperError } from '../errors.js';
import { isValidFctAddress } from '../factom/index.js';

/** The miner enforces at most 254 characters; a simple shape check, not RFC 5322. */
const EMAIL = /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/;
const MINER_NAME = /^[A-Za-z0-9._-]{0,64}$/;

/** Emails are the usernames; they are compared case-insensitively, so they are stored lower-case. */
export function normalizeEmail(email: unknown): string {
  if (typeof email !== 'string') throw new ProsperError('PROSPER_E_AUTH_EMAIL', 'email must be a string');
  const e = email.trim().toLowerCase();
  if (e.length > 254 || !EMAIL.test(e)) throw new ProsperError('PROSPER_E_AUTH_EMAIL', `not an email address: ${JSON.stringify(email).slice(0, 80)}`);
  return e;
}

/** Miner ids: may be empty (the original allows it), otherwise short and printable. */
export function checkMinerName(name: unknown): string {
  if (typeof name !== 'string' || !MINER_NAME.test(name)) {
    throw new ProsperError('PROSPER_E_AUTH_MINER', 'miner id must be up to 64 characters of A-Z a-z 0-9 . _ -');
  }
  return name;
}

/** A payout address must be a valid public Factoid address (FA…, base58check). */
export function isValidPayoutAddress(address: unknown): address is string {
  return isValidFctAddress(address);
}

export function checkPayoutAddress(address: unknown): string {
  if (!isValidPayoutAddress(address)) throw new ProsperError('PROSPER_E_AUTH_ADDRESS', 'payout address must be a valid FA address');
  return address;
}
