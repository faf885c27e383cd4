/**
 * The share check: everything about a `mining.submit` that can be decided without hashing, as a
 * pure function of the session's state, the params and the job book. It changes nothing; the
 * caller acts on the verdict (marks the nonce, asks the validator, counts, replies, adds ban
 * points). The validator's own rejections map to the same reject kinds (`rejectOfVerdict`).
 */
import type { JobId } from '../domain/index.js';
import type { Verdict } from '../validation/types.js';
import type { BanPoints } from './config.js';
import { nonceKey, type Job, type JobLookup } from './jobs.js';
import { decodeHex, parseTargetHex, targetHex } from './protocol.js';

/** Why a share was refused (replies.ts says how each is answered and counted). */
export type ShareRejectKind =
  | 'not-subscribed'
  | 'not-authorized'
  | 'missing-params'
  | 'wrong-username'
  | 'malformed'
  | 'no-job'
  | 'unknown-job'
  | 'stale-job'
  | 'foreign-nonce'
  | 'job-not-sent'
  | 'low-target'
  | 'duplicate'
  // From the validator:
  | 'busy'
  | 'job-closed'
  | 'validation-failed'
  | 'below-assigned'
  | 'target-mismatch'
  // From the share sink:
  | 'credit-failed';

export interface ShareReject {
  ok: false;
  kind: ShareRejectKind;
  /** The reply's `error.data`. */
  message: string;
  /** Ban points it costs the client's IP (0: none). */
  points: number;
}

/** A share that passed: what the validator needs, and the key to mark its nonce with. */
export interface CheckedShare {
  ok: true;
  job: Job;
  nonce: Uint8Array;
  claimed: bigint;
  /** The target this session was assigned for the job. */
  assigned: bigint;
  nonceKey: string;
}

/** One object either way (the accepted path allocates nothing else). */
export type ShareCheck = CheckedShare | ShareReject;

/** The session state the check reads. */
export interface ShareSessionView {
  readonly subscribed: boolean;
  readonly authorized: boolean;
  readonly username: string;
  readonly jobTargets: ReadonlyMap<JobId, bigint>;
  hasPrefix(nonce: Uint8Array, jobId: JobId): boolean;
}

/** The job book as the check reads it (no expiry, no marking). */
export interface ShareJobView {
  readonly job: Job | null;
  find(jobId: JobId, oprHash: Uint8Array): JobLookup;
  seen(jobId: JobId, key: string): boolean;
}

export interface ShareRules {
  banPoints: BanPoints;
  maxNonceBytes: number;
}

function refuse(kind: ShareRejectKind, message: string, points: number): ShareCheck {
  return { ok: false, kind, message, points };
}

/** Checks one `mining.submit` (params `[username, jobid, noncehex, oprhashhex, targethex]`). */
export function checkShare(session: ShareSessionView, params: readonly string[], jobs: ShareJobView, rules: ShareRules): ShareCheck {
  const pts = rules.banPoints;
  if (!session.subscribed) return refuse('not-subscribed', 'subscribe first', pts.unauthorizedSubmit);
  if (!session.authorized) return refuse('not-authorized', 'authorize first', pts.unauthorizedSubmit);
  if (params.length < 5) return refuse('missing-params', 'submit requires [username, jobid, nonce, oprhash, target]', pts.invalidParams);
  const [username, jobIdText, nonceHex, oprHashHex, claimedHex] = params as [string, string, string, string, string];
  if (username !== session.username) return refuse('wrong-username', 'username not as expected', pts.invalidParams);
  const oprHash = decodeHex(oprHashHex, 32);
  const nonce = decodeHex(nonceHex, rules.maxNonceBytes);
  const claimed = parseTargetHex(claimedHex);
  if (!/^\d{1,10}$/.test(jobIdText) || !oprHash || oprHash.length !== 32 || !nonce || claimed === null) {
    return refuse('malformed', 'malformed job id, nonce, oprhash or target', pts.invalidParams);
  }
  const found = jobs.find(Number(jobIdText), oprHash);
  if (!found.ok) {
    if (found.stale) return refuse('stale-job', 'job is no longer current', 0);
    return jobs.job ? refuse('unknown-job', 'unknown job', 0) : refuse('no-job', 'no job yet', 0);
  }
  const job = found.job;
  if (!session.hasPrefix(nonce, job.jobId)) return refuse('foreign-nonce', 'nonce must start with this connection nonce', pts.badNonce);
  const assigned = session.jobTargets.get(job.jobId);
  if (assigned === undefined) return refuse('job-not-sent', 'job was not sent to this session', 0);
  if (claimed < assigned) return refuse('low-target', `target below assigned ${targetHex(assigned)}`, pts.lowTarget);
  const key = nonceKey(job.oprHashHex, nonce);
  if (jobs.seen(job.jobId, key)) return refuse('duplicate', 'duplicate share', pts.duplicate);
  return { ok: true, job, nonce, claimed, assigned, nonceKey: key };
}

/** The reject kind of a validator's refusal. */
export function rejectOfVerdict(verdict: Extract<Verdict, { valid: false }>, pts: BanPoints): ShareReject {
  const { message } = verdict;
  switch (verdict.reason) {
    case 'busy':
      return { ok: false, kind: 'busy', message, points: 0 };
    case 'unknown-job':
      return { ok: false, kind: 'job-closed', message, points: 0 };
    case 'failed':
      return { ok: false, kind: 'validation-failed', message, points: 0 };
    case 'below-minimum':
      return { ok: false, kind: 'below-assigned', message, points: pts.invalidShare };
    default:
      return { ok: false, kind: 'target-mismatch', message, points: pts.invalidShare };
  }
}
