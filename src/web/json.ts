/**
 * JSON for the web. The REST API sends uint64 values as decimal strings (JavaScript clients
 * lose precision on big numbers); the legacy JSON-RPC API sends exact JSON integers, as the
 * original's Go encoder did, via a marker that is swapped for the digits after stringify.
 */

function restReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  return value;
}

export function toRestJson(value: unknown): string {
  return JSON.stringify(value, restReplacer);
}

const MARK = '\u0000bigint:';
const MARKED = /"\\u0000bigint:(-?\d+)"/g;

function rpcReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return MARK + value.toString();
  return value;
}

export function toRpcJson(value: unknown): string {
  return JSON.stringify(value, rpcReplacer).replace(MARKED, '$1');
}
