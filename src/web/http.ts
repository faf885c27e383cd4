import type { HttpRequest, HttpResponse } from 'uWebSockets.js';
import { httpStatusFor, isProsperError } from '../errors.js';
import { toRestJson } from './json.js';

/** A request copied out of uWS (its HttpRequest is only valid until the handler returns). */
export interface WebRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Map<string, string>;
  ip: string;
  body: Buffer;
}

export interface WebReply {
  status: number;
  headers?: Record<string, string>;
  /** Several Set-Cookie lines are allowed, so they are separate. */
  cookies?: string[];
  body: string | Buffer;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  429: 'Too Many Requests', 500: 'Internal Server Error', 501: 'Not Implemented', 503: 'Service Unavailable',
};

export const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

export function jsonReply(status: number, value: unknown, extra: Partial<WebReply> = {}): WebReply {
  return { status, ...extra, headers: { 'Content-Type': 'application/json; charset=utf-8', ...extra.headers }, body: toRestJson(value) };
}

/** What a failed request is told: its status, code and message. Internal errors never leak details. */
export interface WebFailure { status: number; code: string; message: string }

export function failureOf(err: unknown): WebFailure {
  // The status comes from the error registry (src/error-codes.ts), as the Stratum reply does.
  if (isProsperError(err)) return { status: httpStatusFor(err.code), code: err.code, message: err.message };
  return { status: 500, code: 'PROSPER_E_WEB_INTERNAL', message: 'internal error' };
}

/** `{ error: { code, message } }` with the status for the code. */
export function errorReply(err: unknown, headers?: Record<string, string>): WebReply {
  const { status, code, message } = failureOf(err);
  return jsonReply(status, { error: { code, message } }, { headers });
}

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? 'Status';
}

/** Copies what the handler needs out of the uWS request, synchronously. */
export function readRequestHead(res: HttpResponse, req: HttpRequest, trustProxy: boolean): Omit<WebRequest, 'body'> {
  const headers = new Map<string, string>();
  req.forEach((k, v) => headers.set(k, v));
  let ip = Buffer.from(res.getRemoteAddressAsText()).toString();
  const fwd = headers.get('x-forwarded-for');
  if (trustProxy && fwd) ip = fwd.split(',')[0].trim();
  return { method: req.getMethod().toUpperCase(), path: req.getUrl(), query: new URLSearchParams(req.getQuery() ?? ''), headers, ip };
}

/**
 * Collects the body up to `max` bytes. Resolves null when it is larger (the caller answers 413
 * once the handler is done) and never resolves when the client goes away (onAborted runs).
 */
export function readBody(res: HttpResponse, max: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    res.onData((chunk, isLast) => {
      if (!over) {
        size += chunk.byteLength;
        if (size > max) over = true;
        // The ArrayBuffer is reused by uWS after this callback returns: copy it.
        else chunks.push(Buffer.from(new Uint8Array(chunk).slice()));
      }
      if (isLast) resolve(over ? null : Buffer.concat(chunks));
    });
  });
}

/**
 * Writes a reply unless the client is gone. With `end()`, uWS buffers whatever the socket does
 * not take, so a client that pipelines requests and never reads grew the process without bound
 * (about 35 KB per request; found by test/hostile). `tryEnd` writes only what the socket takes;
 * the rest of this one reply waits for the socket to drain, and uWS answers the next pipelined
 * request only after this one has ended.
 */
export function sendReply(res: HttpResponse, state: { aborted: boolean }, reply: WebReply): void {
  if (state.aborted) return;
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body;
  res.cork(() => {
    res.writeStatus(`${reply.status} ${statusText(reply.status)}`);
    for (const [k, v] of Object.entries({ ...SECURITY_HEADERS, ...reply.headers })) res.writeHeader(k, v);
    for (const c of reply.cookies ?? []) res.writeHeader('Set-Cookie', c);
    const start = res.getWriteOffset();
    const [ok, done] = res.tryEnd(body, body.length);
    if (ok || done) return;
    res.onWritable((offset) => {
      if (state.aborted) return true;
      const [more, finished] = res.tryEnd(body.subarray(offset - start), body.length);
      return more || finished;
    });
  });
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}
