import { ProsperError } from '../errors.js';
import { oracleError, OracleErrorCode } from './errors.js';

/**
 * One GET with a hard timeout that covers connect, headers and body, an external abort signal,
 * and a body size cap. Every failure becomes a coded ProsperError naming the source.
 */
export interface HttpGetOptions {
  source: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  maxBytes?: number;
}

export type HttpGet = (url: string, opts: HttpGetOptions) => Promise<string>;

const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

/** Rate-limit errors carry when the provider said to come back (ms since epoch, from Retry-After). */
export class RateLimitedError extends ProsperError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs: number | undefined) {
    super(OracleErrorCode.RateLimited, message);
    this.retryAfterMs = retryAfterMs;
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const secs = Number(header.trim());
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/** Hides keys that providers take in the query string, so they never reach logs or errors. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:access_key|app_id|api_key|apikey|key)=)[^&]*/gi, '$1***');
}

export const httpGet: HttpGet = async (url, opts) => {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const shown = redactUrl(url);
  const failed = (err: unknown): ProsperError => {
    if (err instanceof ProsperError) return err;
    if (timeout.aborted) return oracleError(OracleErrorCode.Timeout, `${opts.source}: no complete answer from ${shown} within ${opts.timeoutMs} ms`, err);
    if (opts.signal?.aborted) return oracleError(OracleErrorCode.Aborted, `${opts.source}: request to ${shown} aborted`, err);
    const detail = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    return oracleError(OracleErrorCode.Network, `${opts.source}: request to ${shown} failed: ${detail}`, err);
  };
  if (opts.signal?.aborted) throw failed(opts.signal.reason);
  try {
    const res = await fetch(url, {
      method: 'GET',
      headers: { 'user-agent': 'prosper-pool', accept: 'application/json, text/html;q=0.9', ...opts.headers },
      signal,
      redirect: 'follow',
    });
    if (res.status === 429) {
      const wait = retryAfterMs(res.headers.get('retry-after'));
      await res.body?.cancel().catch(() => undefined);
      throw new RateLimitedError(`${opts.source}: rate limited by ${shown} (HTTP 429${wait === undefined ? '' : `, retry after ${Math.round(wait / 1000)} s`})`, wait);
    }
    if (res.status < 200 || res.status > 299) {
      const head = (await res.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ');
      throw oracleError(OracleErrorCode.HttpStatus, `${opts.source}: HTTP ${res.status} from ${shown}${head ? `: ${head}` : ''}`);
    }
    const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (res.body) {
      for await (const chunk of res.body) {
        size += chunk.byteLength;
        if (size > max) {
          await res.body.cancel().catch(() => undefined);
          throw oracleError(OracleErrorCode.BodyTooLarge, `${opts.source}: answer from ${shown} exceeds ${max} bytes`);
        }
        chunks.push(chunk);
      }
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    throw failed(err);
  }
};
