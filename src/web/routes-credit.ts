/**
 * Verifiable accounting over HTTP (docs/verifiable-accounting.md): the pool's public key, each
 * settled job's signed credit root, and a user's inclusion proof. The JSON shapes are a
 * contract third-party verifiers rely on: hex is lowercase, big numbers are decimal strings.
 */
import { ProsperError } from '../errors.js';
import type { CreditProofJson, CreditRootJson } from '../verify/credit-json.js';
import type { WebContext } from './context.js';
import { jsonReply, type WebReply, type WebRequest } from './http.js';
import { uint64Param } from './validate.js';

export type { CreditProofJson, CreditRootJson };

/** What the web needs of verifiable accounting (src/verify implements it over the store). */
export interface WebCreditData {
  /** The raw ed25519 public key, hex. */
  publicKey(): string;
  creditKey(userId: bigint): Promise<string>;
  root(jobId: bigint): Promise<CreditRootJson | null>;
  /** null when the job has no root; `leaf: false` when the root has no leaf for the key. */
  proof(jobId: bigint, creditKey: string): Promise<CreditProofJson | null | { leaf: false }>;
  /** Newest first, for the JSON-RPC list. */
  roots(limit: number, offset: number): Promise<{ data: CreditRootJson[]; total: number }>;
}

const CREDIT_PREFIX = '/api/pool/credit/';
/** `<H>` or `<H>/proof/<creditKey>`; anything else under the prefix is not found. */
const CREDIT_PATH = /^([^/]{1,40})(?:\/proof\/([^/]{1,200}))?$/;
export const CREDIT_ROUTE_LABEL = 'GET /api/pool/credit/:job';

function unavailable(): never {
  throw new ProsperError('PROSPER_E_WEB_NOT_FOUND', 'verifiable accounting is not available on this server');
}

export function creditKeyParam(value: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(value)) throw new ProsperError('PROSPER_E_WEB_PARAM', 'creditKey must be 64 hex characters');
  return value.toLowerCase();
}

/** GET /api/pool/identity. */
export async function identityRoute(ctx: WebContext): Promise<WebReply> {
  const credit = ctx.ports.credit ?? unavailable();
  return jsonReply(200, { publicKey: credit.publicKey() });
}

/** Answers GET /api/pool/credit/...; null when the request is not for this prefix. */
export async function creditRoute(ctx: WebContext, req: WebRequest): Promise<WebReply | null> {
  if (!req.path.startsWith(CREDIT_PREFIX)) return null;
  if (req.method !== 'GET') throw new ProsperError('PROSPER_E_WEB_METHOD', `${req.method} is not allowed on ${CREDIT_PREFIX}`);
  const m = CREDIT_PATH.exec(req.path.slice(CREDIT_PREFIX.length));
  if (!m) throw new ProsperError('PROSPER_E_WEB_NOT_FOUND', 'no such page or API');
  const credit = ctx.ports.credit ?? unavailable();
  const jobId = uint64Param(m[1], 'job', 0n);
  if (m[2] === undefined) {
    const root = await credit.root(jobId);
    if (!root) throw new ProsperError('PROSPER_E_WEB_NOT_FOUND', `no credit root for job ${jobId} (not settled yet, or nobody had credit)`);
    return jsonReply(200, root);
  }
  const proof = await credit.proof(jobId, creditKeyParam(m[2]));
  if (proof === null) throw new ProsperError('PROSPER_E_WEB_NOT_FOUND', `no credit root for job ${jobId} (not settled yet, or nobody had credit)`);
  if ('leaf' in proof) throw new ProsperError('PROSPER_E_WEB_NOT_FOUND', `the credit root of job ${jobId} has no leaf for this credit key`);
  return jsonReply(200, proof);
}
