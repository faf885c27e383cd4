import { ProsperError } from '../errors.js';
import { FactomErrorCode } from './errors.js';
import { parseJsonBig } from './json-bigint.js';
import { badReply, obj } from './reply-fields.js';
import { FactomdRpcError } from './rpc-error.js';

export interface RpcTransportOptions {
  /** Full endpoint, e.g. http://127.0.0.1:8088/v2 */
  readonly url: string;
  readonly timeoutMs: number;
  readonly user?: string;
  readonly password?: string;
}

function serialise(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
}

/**
 * One JSON-RPC 2.0 call over HTTP with a timeout. Returns `result`; factomd errors (HTTP 400 with
 * an error body) become FactomdRpcError; anything unparsable becomes PROSPER_E_FACTOM_BAD_REPLY.
 */
export async function rpcCall(opts: RpcTransportOptions, id: number, method: string, params: unknown): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.user !== undefined) {
    headers.authorization = 'Basic ' + Buffer.from(`${opts.user}:${opts.password ?? ''}`).toString('base64');
  }
  const body = serialise(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), opts.timeoutMs);
  let status: number;
  let text: string;
  try {
    const res = await fetch(opts.url, { method: 'POST', headers, body, signal: ctrl.signal });
    status = res.status;
    text = await res.text();
  } catch (err) {
    if (ctrl.signal.aborted) {
      throw new ProsperError(FactomErrorCode.Timeout, `factomd ${method} timed out after ${opts.timeoutMs} ms`, { cause: err });
    }
    throw new ProsperError(FactomErrorCode.Unreachable, `factomd ${method} at ${opts.url} failed: ${(err as Error).message}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
  if (status !== 200 && status !== 400) {
    throw new ProsperError(FactomErrorCode.Http, `factomd ${method} answered HTTP ${status}: ${text.slice(0, 200)}`);
  }
  let parsed: unknown;
  try {
    parsed = parseJsonBig(text);
  } catch (err) {
    throw new ProsperError(FactomErrorCode.BadReply, `factomd ${method} reply (HTTP ${status}) is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const reply = obj(parsed, `${method} reply`);
  if (reply.jsonrpc !== '2.0') throw badReply(`${method} reply lacks jsonrpc "2.0"`);
  if (reply.error !== undefined && reply.error !== null) {
    const e = obj(reply.error, `${method} error`);
    if (typeof e.code !== 'number' || typeof e.message !== 'string') throw badReply(`${method} error lacks code/message`);
    throw new FactomdRpcError(method, e.code, e.message, e.data);
  }
  if (status !== 200) throw badReply(`${method} answered HTTP ${status} without an error object`);
  if (!('result' in reply)) throw badReply(`${method} reply has neither result nor error`);
  return reply.result;
}
