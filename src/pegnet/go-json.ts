/**
 * A small JSON reader that keeps what JSON.parse throws away and Go's encoding/json uses:
 * every member of an object in order, duplicates included, and numbers as their literal
 * text. Syntax errors carry Go's error texts for the common cases.
 */

export type JsonNode =
  | { kind: 'object'; members: JsonMember[] }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; literal: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

/** One object member: its key, value, and where the value's text lies in the input. */
export interface JsonMember {
  readonly key: string;
  readonly value: JsonNode;
  readonly start: number;
  readonly end: number;
}

export class GoJsonSyntaxError extends Error {
  override name = 'GoJsonSyntaxError';
}

/** Go's quoteChar: how its scanner names an offending byte. */
function quoteChar(b: number): string {
  if (b === 0x27) return `'\\''`;
  if (b === 0x22) return `'"'`;
  if (b >= 0x20 && b < 0x7f) return `'${String.fromCharCode(b)}'`;
  return `'\\u${b.toString(16).padStart(4, '0')}'`;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

class Parser {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  fail(context: string): never {
    if (this.pos >= this.buf.length) throw new GoJsonSyntaxError('unexpected end of JSON input');
    throw new GoJsonSyntaxError(`invalid character ${quoteChar(this.buf[this.pos]!)} ${context}`);
  }

  skipWs(): void {
    while (this.pos < this.buf.length && WS.has(this.buf[this.pos]!)) this.pos++;
  }

  value(): JsonNode {
    this.skipWs();
    const b = this.buf[this.pos];
    switch (b) {
      case 0x7b: return this.object();
      case 0x5b: return this.array();
      case 0x22: return { kind: 'string', value: this.string() };
      case 0x74: this.literal('true'); return { kind: 'bool', value: true };
      case 0x66: this.literal('false'); return { kind: 'bool', value: false };
      case 0x6e: this.literal('null'); return { kind: 'null' };
      default:
        if (b === 0x2d || (b !== undefined && b >= 0x30 && b <= 0x39)) return this.number();
        return this.fail('looking for beginning of value');
    }
  }

  literal(word: string): void {
    for (let i = 0; i < word.length; i++) {
      if (this.buf[this.pos] !== word.charCodeAt(i)) {
        if (i === 0) this.fail('looking for beginning of value');
        this.fail(`in literal ${word} (expecting ${quoteChar(word.charCodeAt(i))})`);
      }
      this.pos++;
    }
  }

  number(): JsonNode {
    const start = this.pos;
    const digit = () => this.pos < this.buf.length && this.buf[this.pos]! >= 0x30 && this.buf[this.pos]! <= 0x39;
    if (this.buf[this.pos] === 0x2d) {
      this.pos++;
      if (!digit()) this.fail('in numeric literal');
    }
    if (this.buf[this.pos] === 0x30) this.pos++;
    else while (digit()) this.pos++;
    if (this.buf[this.pos] === 0x2e) {
      this.pos++;
      if (!digit()) this.fail('after decimal point in numeric literal');
      while (digit()) this.pos++;
    }
    if (this.buf[this.pos] === 0x65 || this.buf[this.pos] === 0x45) {
      this.pos++;
      if (this.buf[this.pos] === 0x2b || this.buf[this.pos] === 0x2d) this.pos++;
      if (!digit()) this.fail('in exponent of numeric literal');
      while (digit()) this.pos++;
    }
    return { kind: 'number', literal: String.fromCharCode(...this.buf.subarray(start, this.pos)) };
  }

  string(): string {
    this.pos++; // opening quote
    const parts: number[] = [];
    let out = '';
    const flush = () => {
      if (parts.length) out += new TextDecoder().decode(Uint8Array.from(parts));
      parts.length = 0;
    };
    for (;;) {
      if (this.pos >= this.buf.length) this.fail('in string literal');
      const b = this.buf[this.pos]!;
      if (b === 0x22) { this.pos++; flush(); return out; }
      if (b < 0x20) this.fail('in string literal');
      if (b !== 0x5c) { parts.push(b); this.pos++; continue; }
      this.pos++;
      const e = this.buf[this.pos];
      const simple: Record<number, string> = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' };
      if (e !== undefined && simple[e] !== undefined) {
        flush(); out += simple[e]; this.pos++; continue;
      }
      if (e !== 0x75) this.fail('in string escape code');
      this.pos++;
      let code = 0;
      for (let i = 0; i < 4; i++) {
        const h = this.buf[this.pos];
        const v = h === undefined ? -1 : h >= 0x30 && h <= 0x39 ? h - 0x30 : h >= 0x61 && h <= 0x66 ? h - 0x57 : h >= 0x41 && h <= 0x46 ? h - 0x37 : -1;
        if (v < 0) this.fail('in \\u hexadecimal character escape');
        code = code * 16 + v;
        this.pos++;
      }
      flush();
      out += String.fromCharCode(code);
    }
  }

  array(): JsonNode {
    this.pos++;
    const items: JsonNode[] = [];
    this.skipWs();
    if (this.buf[this.pos] === 0x5d) { this.pos++; return { kind: 'array', items }; }
    for (;;) {
      items.push(this.value());
      this.skipWs();
      const b = this.buf[this.pos];
      if (b === 0x2c) { this.pos++; continue; }
      if (b === 0x5d) { this.pos++; return { kind: 'array', items }; }
      this.fail('after array element');
    }
  }

  object(): JsonNode {
    this.pos++;
    const members: JsonMember[] = [];
    this.skipWs();
    if (this.buf[this.pos] === 0x7d) { this.pos++; return { kind: 'object', members }; }
    for (;;) {
      this.skipWs();
      if (this.buf[this.pos] !== 0x22) this.fail('looking for beginning of object key string');
      const key = this.string();
      this.skipWs();
      if (this.buf[this.pos] !== 0x3a) this.fail('after object key');
      this.pos++;
      this.skipWs();
      const start = this.pos;
      const value = this.value();
      members.push({ key, value, start, end: this.pos });
      this.skipWs();
      const b = this.buf[this.pos];
      if (b === 0x2c) { this.pos++; continue; }
      if (b === 0x7d) { this.pos++; return { kind: 'object', members }; }
      this.fail('after object key:value pair');
    }
  }
}

/** Parses one JSON document as Go's scanner accepts it (whitespace around, nothing after). */
export function parseGoJson(buf: Uint8Array): JsonNode {
  const p = new Parser(buf);
  p.skipWs();
  if (p.pos >= buf.length) throw new GoJsonSyntaxError('unexpected end of JSON input');
  const v = p.value();
  p.skipWs();
  if (p.pos < buf.length) p.fail('after top-level value');
  return v;
}

/** Go's json string encoding (HTML-safe, as json.Marshal writes it). */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16).padStart(4, '0');
    else if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd'; // lone surrogate: Go writes U+FFFD for invalid UTF-8
    else out += ch;
  }
  return out + '"';
}

/** Go's json float64 encoding: shortest round-trip text; exponent form outside [1e-6, 1e21). */
export function goJsonFloat(f: number): string {
  if (!Number.isFinite(f)) throw new RangeError(`json: unsupported value: ${f}`);
  if (Object.is(f, -0)) return '-0';
  // JS uses the same shortest digits and the same exponent thresholds; only the form of
  // the exponent could differ, and both write e-7 / e+21.
  return String(f);
}
