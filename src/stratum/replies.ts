/**
 * How refusals are answered on the wire: each share reject kind's JSON-RPC error and counter,
 * and how an authorization failure or a coded error becomes a reply. One table, so that moving
 * to a shared error registry changes this file alone.
 */
import type { StratumAuthResult } from './auth.js';
import type { StratumCounters } from './counters.js';
import type { RpcErrorKind } from './protocol.js';
import type { ShareRejectKind } from './share-check.js';

/** Which counter (beyond `rejected`) a reject kind also counts in. */
export type RejectTally = Extract<keyof StratumCounters, 'stale' | 'duplicate' | 'invalid'> | null;

export const SHARE_REJECT_REPLIES: Record<ShareRejectKind, { reply: RpcErrorKind; tally: RejectTally }> = {
  'not-subscribed': { reply: 'NotSubscribed', tally: null },
  'not-authorized': { reply: 'Unauthorized', tally: null },
  'missing-params': { reply: 'InvalidParams', tally: null },
  'wrong-username': { reply: 'InvalidParams', tally: null },
  malformed: { reply: 'InvalidParams', tally: null },
  'no-job': { reply: 'StaleJob', tally: null },
  'unknown-job': { reply: 'StaleJob', tally: null },
  'stale-job': { reply: 'StaleJob', tally: 'stale' },
  'foreign-nonce': { reply: 'NonceNotOurs', tally: null },
  'job-not-sent': { reply: 'StaleJob', tally: null },
  'low-target': { reply: 'LowTarget', tally: null },
  duplicate: { reply: 'DuplicateShare', tally: 'duplicate' },
  busy: { reply: 'Busy', tally: null },
  'job-closed': { reply: 'StaleJob', tally: null },
  'validation-failed': { reply: 'InternalError', tally: null },
  'below-assigned': { reply: 'LowTarget', tally: 'invalid' },
  'target-mismatch': { reply: 'TargetMismatch', tally: 'invalid' },
  'credit-failed': { reply: 'InternalError', tally: null },
};

/** A coded error in a request's input (e.g. control characters): InvalidParams, code first. */
export function invalidInputData(err: { code: string; message: string }): string {
  return `${err.code}: ${err.message}`;
}

/** The reply to a refused authorize: "try again" when the pool could not check, else unauthorized. */
export function authFailureReply(res: Extract<StratumAuthResult, { ok: false }>): { reply: RpcErrorKind; data: string; penalize: boolean } {
  return {
    reply: res.retryable ? 'Busy' : 'Unauthorized',
    data: res.code ? `${res.code}: ${res.reason}` : res.reason,
    // A wrong password (or one past the failed-login limit) costs ban points.
    penalize: res.code === 'PROSPER_E_AUTH_PASSWORD' || res.code === 'PROSPER_E_AUTH_RATE_LIMIT',
  };
}
