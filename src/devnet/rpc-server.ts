import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { parseJsonBig, stringifyJsonBig } from '../factom/index.js';
import type { Logger } from '../log.js';
import type { Handler } from './handlers.js';
import { RpcFailure, internalError, invalidRequest, methodNotFound } from './rpc-errors.js';

/** Larger bodies are refused; the biggest legitimate request (a 10 KiB entry as hex) is ~21 KB. */
const MAX_BODY = 1 << 20;

export interface RpcServerOptions {
  readonly handlers: ReadonlyMap<string, Handler>;
  /** Called before each request so the clock is current. */
  readonly beforeRequest: () => void;
  readonly log: Logger;
  readonly user?: string;
  readonly password?: string;
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function authorised(req: IncomingMessage, user: string, password: string): boolean {
  const h = req.headers.authorization ?? '';
  if (!h.startsWith('Basic ')) return false;
  const got = Buffer.from(h.slice(6), 'base64');
  const want = Buffer.from(`${user}:${password}`);
  return got.length === want.length && timingSafeEqual(got, want);
}

/**
 * factomd's /v2 framing: any verb, JSON-RPC 2.0 with named params, HTTP 200 for results and
 * HTTP 400 for every error (id echoed, or null for unparsable requests). Never throws.
 */
export function createRpcServer(opts: RpcServerOptions): Server {
  const dispatch = (body: string): { status: number; json: string } => {
    let req: unknown;
    try {
      req = parseJsonBig(body);
    } catch {
      req = undefined;
    }
    const r = req as Record<string, unknown> | undefined;
    if (typeof r !== 'object' || r === null || Array.isArray(r) || r.jsonrpc !== '2.0' || typeof r.method !== 'string') {
      return failure(null, invalidRequest());
    }
    const id = r.id === undefined ? null : r.id;
    const handler = opts.handlers.get(r.method);
    if (!handler) return failure(id, methodNotFound());
    try {
      opts.beforeRequest();
      const result = handler(r.params);
      return { status: 200, json: stringifyJsonBig({ jsonrpc: '2.0', id, result }) };
    } catch (err) {
      if (err instanceof RpcFailure) return failure(err.nullId ? null : id, err);
      opts.log.error({ err, method: r.method }, 'devnet handler crashed');
      return failure(null, internalError());
    }
  };
  const failure = (id: unknown, e: RpcFailure): { status: number; json: string } => {
    const error = e.data === undefined ? { code: e.code, message: e.rpcMessage } : { code: e.code, message: e.rpcMessage, data: e.data };
    return { status: 400, json: stringifyJsonBig({ jsonrpc: '2.0', id, error }) };
  };

  return createServer((req, res) => {
    const url = (req.url ?? '').split('?')[0];
    if (url !== '/v2') return send(res, 404, '404 page not found\n');
    if (opts.user !== undefined && !authorised(req, opts.user, opts.password ?? '')) {
      res.setHeader('WWW-Authenticate', 'Basic realm="factomd RPC"');
      return send(res, 401, '401 Unauthorized.\n');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooBig = true;
      else chunks.push(c);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      const { status, json } = tooBig ? failure(null, invalidRequest()) : dispatch(Buffer.concat(chunks).toString('utf8'));
      send(res, status, json);
    });
  });
}
