/**
 * The pool's words for a share and its ids, one type per concept across the layers (Stratum,
 * validation, cluster relay, accounting, store). A share moves through three stages:
 *
 *   submitted  a miner's mining.submit, parsed (SubmittedShare)
 *   proven     the validator hashed it and it reached its assigned target (ProvenShare)
 *   credited   the ledger made its credit durable under the job and user (CreditedShare)
 */
import { ProsperError } from '../errors.js';

/**
 * A job is the PegNet block height it is mined for, on every interface (Stratum, cluster,
 * accounting, verify, store, web). A height fits a double exactly: at one block per ten minutes
 * it passes 2^53 in about 10^11 years. Only the store's SQL modules see the bigint columns
 * (store/numeric.ts `toJobId` reads them back); the REST API sends it as a decimal string
 * (web/json.ts), as it always has.
 */
export type JobId = number;
/**
 * A user's row id in the store (bigint, as PostgreSQL's bigserial): the type of every interface
 * from the ledger on (store, accounting, verify, web ports, submission records, notify's store).
 */
export type UserId = bigint;
/** The miner (rig) name a user gave in mining.authorize, e.g. "rig1". */
export type MinerId = string;
/**
 * The user id as an authorizer hands it to Stratum and as it travels with the share (session,
 * submitted and proven share, relayed shares, ShareAccepted, miner presence, live events): the
 * store's UserId in decimal. userIdOf reads it back where a UserId is needed.
 */
export type WireUserId = string;
/** A relayed share's id: a share delivered more than once is credited once per id. */
export type ShareId = string;

/** What a miner sent for a job: the stage before the proof of work is checked. */
export interface SubmittedShare {
  jobId: JobId;
  /** The user id as the authorizer gave it (see userIdOf). */
  userId: WireUserId;
  /** The login the miner authorized with. */
  username: string;
  minerId: MinerId;
  sessionId: string;
  ip: string;
  nonce: Uint8Array;
  receivedAt: number;
}

/** A share the validator proved: it reached `target`, at least the session's `assignedTarget`. */
export interface ProvenShare extends SubmittedShare {
  /** The target the share reached (what the validator proved). */
  target: bigint;
  /** The target the session was assigned for this job: credit is computed from it alone. */
  assignedTarget: bigint;
  /** The validator admitted it through the job's SoftMaxLimit: it competes for a network entry. */
  submit: boolean;
}

/** A share as the ledger credits it. */
export interface CreditedShare {
  jobId: JobId;
  userId: UserId;
  miner: MinerId;
  /** The target the miner was ASSIGNED for this job (not the one the hash happened to reach). */
  assignedTarget: bigint;
  /** A share delivered more than once (cluster relay) carries an id; the store credits each id once. */
  shareId?: ShareId;
}

/** The store's user id from the text the authorizer handed Stratum; undefined when it is not one. */
export function userIdOf(text: string | null | undefined): UserId | undefined {
  return text !== null && text !== undefined && /^[0-9]{1,19}$/.test(text) ? BigInt(text) : undefined;
}

/** The share's user as the ledger credits it: a share whose user id is not one is refused, coded. */
function creditedUser(wire: WireUserId): UserId {
  const userId = userIdOf(wire);
  if (userId === undefined) throw new ProsperError('PROSPER_E_ACCOUNTING_USER', `the share's user id ${JSON.stringify(wire)} is not a users id`);
  return userId;
}

/** What the ledger credits for a proven share. */
export function creditOf(share: ProvenShare, shareId?: ShareId): CreditedShare {
  return {
    jobId: share.jobId,
    userId: creditedUser(share.userId),
    miner: share.minerId,
    assignedTarget: share.assignedTarget,
    ...(shareId === undefined ? {} : { shareId }),
  };
}
