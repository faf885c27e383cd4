/**
 * Coded errors shared by Stratum replies, the API and the logs: a stable `code` (PROSPER_E_*,
 * registered once in error-codes.ts with its HTTP status and Stratum reply) that callers match
 * on, plus a human message.
 */
import { ERROR_CODES, type ErrorSpec, type ProsperCode } from './error-codes.js';
import type { RpcErrorKind } from './stratum/protocol.js';

export { ERROR_CODES, type ErrorSpec, type ProsperCode };

export class ProsperError extends Error {
  readonly code: ProsperCode;
  /** `message` defaults to the registry's message for the code. */
  constructor(code: ProsperCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? ERROR_CODES[code].message, options);
    this.code = code;
    this.name = 'ProsperError';
  }
}

/** The typed factory: an error of a registered code, with a detail or the registry's message. */
export function prosperError(code: ProsperCode, detail?: string, cause?: unknown): ProsperError {
  return new ProsperError(code, detail, cause === undefined ? undefined : { cause });
}

export function isProsperError(err: unknown, code?: ProsperCode): err is ProsperError {
  return err instanceof ProsperError && (code === undefined || err.code === code);
}

export function isRegisteredCode(code: string): code is ProsperCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/** The registry entry of a code; an unregistered one is treated as an internal error. */
export function errorSpec(code: string): ErrorSpec {
  return isRegisteredCode(code) ? ERROR_CODES[code] : ERROR_CODES.PROSPER_E_WEB_INTERNAL;
}

/** HTTP status of a web reply for `code` (500 for anything unregistered). */
export function httpStatusFor(code: string): number {
  return errorSpec(code).status;
}

/** The Stratum error kind a miner is answered with for `code` (InternalError when unregistered). */
export function stratumReplyFor(code: string): RpcErrorKind {
  return errorSpec(code).stratum;
}

/** The message of anything caught (a thrown non-Error is shown as text). */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Log fields of a caught error: its message, and its code when it has one (pino `{ err, code }`). */
export function logFields(err: unknown): { err: string; code?: ProsperCode } {
  const message = errorMessage(err);
  return isProsperError(err) ? { err: message, code: err.code } : { err: message };
}
