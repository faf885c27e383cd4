import { isProsperError } from '../errors.js';
import type { RouteTable, WebContext } from './context.js';
import type { WebReply, WebRequest } from './http.js';
import { toRpcJson } from './json.js';
import { REWARD_COLUMNS, SUBMISSION_COLUMNS, type RewardColumn, type SubmissionRow } from './ports.js';
import { creditRpcMethods } from './rpc-credit.js';
import { parsePageQuery, jobIdParam } from './validate.js';

/** gorilla/rpc json2 error codes, as the original answered. */
export const RPC_PARSE_ERROR = -32700;
export const RPC_INVALID_REQUEST = -32600;
export const RPC_METHOD_NOT_FOUND = -32601;
export const RPC_SERVER_ERROR = -32000;

/** The original's owed_payouts column names, including its misspelt pool_difficuty. */
const REWARD_ALIASES: Record<string, RewardColumn> = { pool_difficuty: 'pool_difficulty', winning_oprs: 'winning', graded_oprs: 'graded' };

function rpcReply(body: unknown): WebReply {
  return { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: toRpcJson(body) };
}

function rpcError(id: unknown, code: number, message: string, prosperCode?: string): WebReply {
  return rpcReply({ jsonrpc: '2.0', error: { code, message, ...(prosperCode ? { data: { code: prosperCode } } : {}) }, id: id ?? null });
}

function b64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

function submissionItem(s: SubmissionRow): Record<string, unknown> {
  const item: Record<string, unknown> = { jobid: s.jobId };
  if (s.oprHash) item.oprhash = b64(s.oprHash);
  if (s.nonce) item.nonce = b64(s.nonce);
  // The original stored target >> 1 (a signed int64 column) and returned that value.
  if (s.target !== 0n) item.target = s.target >> 1n;
  if (s.entryHash) item.entryhash = s.entryHash;
  if (s.commitTxId) item.committxid = s.commitTxId;
  item.blocked = s.blocked ? -1 : 0;
  return item;
}

function paramsObject(params: unknown): Record<string, unknown> {
  // gorilla json2 accepts params as an object or as a one-element array holding it.
  if (Array.isArray(params)) params = params[0];
  return typeof params === 'object' && params !== null ? (params as Record<string, unknown>) : {};
}

/**
 * POST /api/v1: the original's JSON-RPC 2.0 service `api` (Rewards, EntrySubmissions,
 * SubmitSync) with its parameters and result shapes. totalrecords is the real count.
 */
export function jsonRpcRoutes(ctx: WebContext, routes: RouteTable): void {
  const { pool } = ctx.ports;

  const methods: Record<string, (params: Record<string, unknown>) => Promise<unknown>> = {
    'api.Rewards': async (p) => {
      const page = await pool.rewards(parsePageQuery(p, REWARD_COLUMNS, REWARD_ALIASES));
      const data = page.data.map((r) => ({
        jobid: r.jobId, poolreward: r.poolReward, winningoprs: r.winningOprs, gradedoprs: r.gradedOprs,
        poolfeerate: r.poolFeeRate, poolfee: r.poolFee, dust: r.dust, pooldifficulty: r.poolDifficulty,
        pdiff: 'ffff000000000000', totalhashrate: r.totalHashrate,
      }));
      return { data, info: { records: data.length, totalrecords: page.total } };
    },
    'api.EntrySubmissions': async (p) => {
      const q = parsePageQuery(p, SUBMISSION_COLUMNS);
      const page = await pool.submissions(q, jobIdParam(p.jobid, 'jobid'));
      return { data: page.data.map(submissionItem), info: { records: page.data.length, totalrecords: page.total } };
    },
    'api.SubmitSync': async () => pool.submitSync(),
    ...creditRpcMethods(ctx),
  };

  routes.set('POST /api/v1', async (req: WebRequest) => {
    const type = (req.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') return rpcError(null, RPC_INVALID_REQUEST, 'Content-Type must be application/json', 'PROSPER_E_WEB_CONTENT_TYPE');
    let msg: unknown;
    try {
      msg = JSON.parse(req.body.toString('utf8'));
    } catch {
      return rpcError(null, RPC_PARSE_ERROR, 'parse error', 'PROSPER_E_WEB_JSON');
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return rpcError(null, RPC_INVALID_REQUEST, 'request must be a JSON object');
    const { jsonrpc, method, params, id } = msg as Record<string, unknown>;
    if (jsonrpc !== '2.0') return rpcError(id, RPC_INVALID_REQUEST, 'jsonrpc must be "2.0"');
    if (typeof method !== 'string' || !Object.hasOwn(methods, method)) {
      return rpcError(id, RPC_METHOD_NOT_FOUND, `method not found: ${String(method).slice(0, 64)}`);
    }
    try {
      return rpcReply({ jsonrpc: '2.0', result: await methods[method](paramsObject(params)), id: id ?? null });
    } catch (err) {
      if (isProsperError(err)) return rpcError(id, RPC_SERVER_ERROR, err.message, err.code);
      ctx.log.error({ err, method }, 'json-rpc method failed');
      return rpcError(id, RPC_SERVER_ERROR, 'internal error', 'PROSPER_E_WEB_INTERNAL');
    }
  });
}
