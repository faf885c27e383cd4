/**
 * Verifiable accounting over HTTP (docs/verifiable-accounting.md): the pool's public key, each
 * settled job's signed credit root, and a user's inclusion proof. The JSON shapes are a
 * contract third-party verifiers rely on: hex is lowercase, big numbers are decimal strings.
 */
import type { JobId } from '../domain/index.js';
import { ProsperError } from '../errors.js';
import type { CreditProofJson, CreditRootJson } from '../verify/credit-json.js';
import type { WebContext } from './context.js';
import { matchGetUnder } from './guards.js';
import { jsonReply, type WebReply, type WebRequest } from './http.js';
import { jobIdParam } from './validate.js';

export type { CreditProofJson, CreditRootJson };

/** What the web needs of verifiable accounting (src/verify implements it over the store). */
export interface WebCreditData {
  /** The raw ed25519 public key, hex. */
  publicKey(): string;
  creditKey(userId: bigint): Promise<string>;
  root(jobId: JobId): Promise<CreditRootJson | null>;
  /** null when the job has no root; `leaf: false` when the root has no leaf for the key. */
  proof(jobId: JobId, creditKey: string): Promise<CreditProofJson | null | { leaf: false }>;
  /** Newest first, for the JSON-RPC list. */
  roots(limit: number, offset: number): Promise<{ data: CreditRootJson[]; total: number }>;
}

const CREDIT_PREFIX = '/api/pool/credit/';
/** `<H>` or `<H>/proof/<creditKey>`; anything else under the prefix is not found. */
const CREDIT_PATH = /^([^/]{1,40})(?:\/proof\/([^/]{1,200}))?$/;
export const CREDIT_ROUTE_LABEL = 'GET /api/pool/credit/:job';

/** The credit port of this server, or the one coded error of a server without verifiable accounting. */
export function creditPort(ctx: WebContext): WebCreditData {
  const credit = ctx.ports.credit;
  if (!credit) throw new ProsperError('PROSPER_E_WEB_NOT_FOUND', 'verifiable accounting is not available on this server');
  return credit;
}

/** A job's published root; the one "no root" error (REST and JSON-RPC) when it has none. */
export async function publishedRoot(credit: WebCreditData, jobId: JobId): Promise<CreditRootJson> {
  const root = await credit.root(jobId);
  if (!root) throw noCreditRoot(jobId);
  return root;
}

/** A credit key's inclusion proof under a job's root; the one "no root" / "no leaf" errors otherwise. */
export async function inclusionProof(credit: WebCreditData, jobId: JobId, creditKey: string): Promise<CreditProofJson> {
  const proof = await credit.proof(jobId, creditKey);
  if (proof === null) throw noCreditRoot(jobId);
  if ('leaf' in proof) throw new ProsperError('PROSPER_E_WEB_NOT_FOUND', `the credit root of job ${jobId} has no leaf for this credit key`);
  return proof;
}

function noCreditRoot(jobId: JobId): ProsperError {
  return new ProsperError('PROSPER_E_WEB_NOT_FOUND', `no credit root for job ${jobId} (not settled yet, or nobody had credit)`);
}

export function creditKeyParam(value: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(value)) throw new ProsperError('PROSPER_E_WEB_PARAM', 'creditKey must be 64 hex characters');
  return value.toLowerCase();
}

/** GET /api/pool/identity. */
export async function identityRoute(ctx: WebContext): Promise<WebReply> {
  return jsonReply(200, { publicKey: creditPort(ctx).publicKey() });
}

/** Answers GET /api/pool/credit/...; null when the request is not for this prefix. */
export async function creditRoute(ctx: WebContext, req: WebRequest): Promise<WebReply | null> {
  const m = matchGetUnder(req, CREDIT_PREFIX, CREDIT_PATH);
  if (!m) return null;
  const credit = creditPort(ctx);
  const jobId = jobIdParam(m[1], 'job');
  if (m[2] === undefined) return jsonReply(200, await publishedRoot(credit, jobId));
  return jsonReply(200, await inclusionProof(credit, jobId, creditKeyParam(m[2])));
}
