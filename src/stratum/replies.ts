/**
 * How refusals are answered on the wire. A coded error (PROSPER_E_*: a refused authorize, bad
 * text in a request) gets the Stratum reply the error registry gives its code (src/error-codes.ts),
 * so Stratum, the API and the logs share one definition. A share's reject kinds are not errors
 * of the pool but verdicts of the share check; their replies and counters are the table below
 * (docs/stratum.md section 8).
 */
import { isRegisteredCode, stratumReplyFor } from '../errors.js';
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

/** The reply to a coded error that ends a request: the registry's reply kind, the code first in the data. */
export function codedErrorReply(err: { code: string; message: string }): { reply: RpcErrorKind; data: string } {
  return { reply: stratumReplyFor(err.code), data: `${err.code}: ${err.message}` };
}

/**
 * The reply to a refused authorize: "try again" (Busy) when the pool could not check, else the
 * registry's reply for the refusal's code (e.g. Unauthorized for a wrong password, InvalidParams
 * for unusable text), and Unauthorized for a refusal without a registered code.
 */
export function authFailureReply(res: Extract<StratumAuthResult, { ok: false }>): { reply: RpcErrorKind; data: string; penalize: boolean } {
  const registered = res.code !== undefined && isRegisteredCode(res.code);
  return {
    reply: res.retryable ? 'Busy' : registered ? stratumReplyFor(res.code as string) : 'Unauthorized',
    data: res.code ? `${res.code}: ${res.reason}` : res.reason,
    // A wrong password (or one past the failed-login limit) costs ban points.
    penalize: res.code === 'PROSPER_E_AUTH_PASSWORD' || res.code === 'PROSPER_E_AUTH_RATE_LIMIT',
  };
}
