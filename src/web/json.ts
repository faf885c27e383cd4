/**
 * JSON for the web. The REST API sends uint64 values as decimal strings (JavaScript clients
 * lose precision on big numbers); the legacy JSON-RPC API sends exact JSON integers, as the
 * original's Go encoder did, via a marker that is swapped for the digits after stringify.
 */

/**
 * A job id (JobId, a number everywhere inside the pool) goes out on REST as a decimal string, as
 * it has since the rows held it as bigint. The signed credit documents (verify/credit-json.ts:
 * they carry a root and its signature) keep their JSON number, which a miner's check reads.
 */
function restJobId(holder: unknown, key: string, value: unknown): string | undefined {
  if (key !== 'jobId' || typeof value !== 'number') return undefined;
  const signed = typeof holder === 'object' && holder !== null && 'root' in holder && 'signature' in holder;
  return signed ? undefined : String(value);
}

function restReplacer(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  return restJobId(this, key, value) ?? value;
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
