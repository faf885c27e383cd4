import { decodeError } from './errors.js';

/**
 * Strict JSON parser that keeps integers beyond Number.MAX_SAFE_INTEGER exact as bigint
 * (factomd's current-minute nanosecond fields are ~1.7e18). Everything else matches JSON.parse.
 * Throws PROSPER_E_FACTOM_DECODE on malformed or truncated text.
 */
export function parseJsonBig(text: string): unknown {
  let i = 0;
  const fail = (what: string): never => {
    throw decodeError(`invalid JSON at offset ${i}: ${what}`);
  };
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const value = (depth: number): unknown => {
    if (depth > 256) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = str();
        ws();
        if (text[i] !== ':') fail("expected ':'");
        i++;
        Object.defineProperty(obj, key, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return obj;
        } else fail("expected ',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return arr;
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) return (i += 4), true;
    if (text.startsWith('false', i)) return (i += 5), false;
    if (text.startsWith('null', i)) return (i += 4), null;
    return num();
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        try {
          return JSON.parse(text.slice(start, i)) as string;
        } catch {
          return fail('bad string');
        }
      }
      if (c === '\\') i += 2;
      else i++;
    }
    return fail('unterminated string');
  };
  const NUM_RE = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  const num = (): number | bigint => {
    NUM_RE.lastIndex = i;
    const m = NUM_RE.exec(text);
    if (!m) return fail('unexpected character');
    i += m[0].length;
    if (m[1] === undefined && m[2] === undefined) {
      const n = Number(m[0]);
      return Number.isSafeInteger(n) ? n : BigInt(m[0]);
    }
    return Number(m[0]);
  };
  const v = value(0);
  ws();
  if (i !== text.length) fail('trailing characters');
  return v;
}

/** JSON.stringify that writes bigint values as exact JSON integers (compact, key order kept). */
export function stringifyJsonBig(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return '[' + value.map((v) => (v === undefined ? 'null' : stringifyJsonBig(v))).join(',') + ']';
  if (Buffer.isBuffer(value)) return JSON.stringify(value.toString('hex'));
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || typeof v === 'function') continue;
    parts.push(JSON.stringify(k) + ':' + stringifyJsonBig(v));
  }
  return '{' + parts.join(',') + '}';
}
