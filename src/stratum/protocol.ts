/**
 * PegNet's Stratum dialect on the wire (docs/stratum.md sections 1 and 2): one compact
 * JSON object per line, ids are int32, params are arrays of strings, error codes are positive
 * and their messages are the original's Go constant names.
 */

/** JSON-RPC errors the original emitted, plus our share-rejection codes (classic Stratum 20..25). */
export const RpcErrors = {
  ParseError: { code: 32700, message: 'ErrorParseError' },
  InvalidRequest: { code: 32600, message: 'ErrorInvalidRequest' },
  MethodNotFound: { code: 32601, message: 'ErrorMethodNotFound' },
  InvalidParams: { code: 32602, message: 'ErrorInvalidParams' },
  InternalError: { code: 32603, message: 'ErrorInternalError' },
  Other: { code: 20, message: 'ErrorOther' },
  StaleJob: { code: 21, message: 'ErrorStaleJob' },
  DuplicateShare: { code: 22, message: 'ErrorDuplicateShare' },
  LowTarget: { code: 23, message: 'ErrorLowTarget' },
  Unauthorized: { code: 24, message: 'ErrorUnauthorized' },
  NotSubscribed: { code: 25, message: 'ErrorNotSubscribed' },
  NonceNotOurs: { code: 26, message: 'ErrorNonceNotOurs' },
  TargetMismatch: { code: 27, message: 'ErrorTargetMismatch' },
  Busy: { code: 28, message: 'ErrorBusy' },
  TooManyPending: { code: 29, message: 'ErrorTooManyPending' },
} as const;

export type RpcErrorKind = keyof typeof RpcErrors;

export interface RpcError {
  code: number;
  message: string;
  data: unknown;
}

export type Incoming =
  | { kind: 'request'; id: number; method: string; params: string[] }
  | { kind: 'response'; id: number; result: unknown; error: RpcError | null }
  /** A request whose params were not an array of strings: answered with InvalidParams. */
  | { kind: 'bad-params'; id: number; method: string }
  /** Not JSON, or JSON that is not an object. */
  | { kind: 'garbage'; reason: string };

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Go decoded ids into int32; anything else became 0 and processing went on. */
function toInt32Id(v: unknown): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX ? v : 0;
}

/** Classifies one decoded line the way the original did (method present = request). */
export function parseMessage(text: string): Incoming {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'garbage', reason: 'invalid JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'garbage', reason: 'not a JSON object' };
  const obj = value as Record<string, unknown>;
  const id = toInt32Id(obj.id);
  const method = typeof obj.method === 'string' ? obj.method : '';
  if (method === '') {
    return { kind: 'response', id, result: obj.result ?? null, error: toRpcError(obj.error) };
  }
  const params = toStringParams(obj.params);
  if (!params) return { kind: 'bad-params', id, method };
  return { kind: 'request', id, method, params };
}

/** `null` params decode to []; null elements become "" (Go's decoding into []string). */
function toStringParams(raw: unknown): string[] | null {
  if (raw === null) return [];
  if (!Array.isArray(raw)) return null;
  const out: string[] = [];
  for (const p of raw) {
    if (p === null) out.push('');
    else if (typeof p === 'string') out.push(p);
    else return null;
  }
  return out;
}

function toRpcError(raw: unknown): RpcError | null {
  if (raw === null || raw === undefined || typeof raw !== 'object') return null;
  const e = raw as Record<string, unknown>;
  return { code: typeof e.code === 'number' ? e.code : 0, message: typeof e.message === 'string' ? e.message : '', data: e.data ?? null };
}

/** Go's json.Encoder escapes these inside strings; existing miners never see them raw. */
function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** One outgoing line: compact JSON, Go-escaped, newline-terminated. */
export function encodeLine(message: object): string {
  return goEscape(JSON.stringify(message)) + '\n';
}

/** Server or client request: `params` null for the methods that take none, as the original sent. */
export function requestLine(id: number, method: string, params: readonly string[] | null): string {
  return encodeLine({ id, method, params });
}

/** Success: the `error` key is omitted, as Go's omitempty did. */
export function resultLine(id: number, result: unknown): string {
  return encodeLine({ id, result });
}

/**
 * Error reply. `result` stays `null` as the original sent, except for share rejections where
 * `false` keeps the boolean the miner's submit handler expects.
 */
export function errorLine(id: number, kind: RpcErrorKind, data: unknown = null, result: false | null = null): string {
  const { code, message } = RpcErrors[kind];
  return encodeLine({ id, result, error: { code, message, data } });
}

/** Lowercase hex without 0x or padding, as set_target was sent. */
export function targetHex(target: bigint): string {
  return target.toString(16);
}

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;

/** Even-length hex of any case (Go's hex.DecodeString), or null. */
export function decodeHex(s: string, maxBytes: number): Uint8Array | null {
  if (s.length === 0 || s.length > maxBytes * 2 || !HEX_RE.test(s)) return null;
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

/** A base-16 uint64 without 0x (Go's ParseUint(s, 16, 64)), or null. */
export function parseTargetHex(s: string): bigint | null {
  if (!/^[0-9a-fA-F]{1,16}$/.test(s)) return null;
  return BigInt('0x' + s);
}
