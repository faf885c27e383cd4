import { ProsperError } from '../errors.js';

/** A public handle: 3-32 of A-Z a-z 0-9 . _ -, starting with a letter or digit (so never an email). */
const HANDLE = /^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$/;

/** Checks a handle a user asks for (or a path names); anything else is PROSPER_E_WEB_HANDLE. */
export function checkHandle(value: unknown): string {
  if (typeof value !== 'string' || !HANDLE.test(value)) {
    throw new ProsperError('PROSPER_E_WEB_HANDLE', 'a handle is 3 to 32 characters of A-Z a-z 0-9 . _ - starting with a letter or digit');
  }
  return value;
}
