/**
 * V2..V5 OPR content codec. Encoding writes what the reference's gogo-generated Marshal
 * writes (fields 1..5 in order, defaults omitted, assets packed, unknown fields last), with
 * protobufjs's writer. Decoding follows gogo's Unmarshal rule by rule, including its error
 * texts, because which malformed entries it rejects is consensus.
 */
import protobuf from 'protobufjs/minimal.js';
import { UINT64_MAX } from '../lxr/pow.js';
import type { ProtoOprContent } from './opr-types.js';

/** A content the reference's decoder refuses; `message` is the reference's error text. */
export class OprDecodeError extends Error {
  override name = 'OprDecodeError';
}

export function encodeProtoContent(c: ProtoOprContent): Uint8Array {
  const w = protobuf.Writer.create();
  if (c.address.length > 0) w.uint32(0x0a).string(c.address);
  if (c.id.length > 0) w.uint32(0x12).string(c.id);
  if (c.height !== 0) w.uint32(0x18).int32(c.height);
  for (const winner of c.winners) w.uint32(0x22).bytes(winner);
  if (c.assets.length > 0) {
    w.uint32(0x2a).fork();
    for (const a of c.assets) {
      if (a < 0n || a > UINT64_MAX) throw new RangeError(`asset value ${a} is not a uint64`);
      w.uint64(a.toString());
    }
    w.ldelim();
  }
  const finished = w.finish();
  const out = new Uint8Array(finished.buffer, finished.byteOffset, finished.length);
  if (!c.unknown || c.unknown.length === 0) return out;
  const all = new Uint8Array(out.length + c.unknown.length);
  all.set(out, 0);
  all.set(c.unknown, out.length);
  return all;
}

const EOF_MSG = 'unexpected EOF';
const OVERFLOW = 'proto: integer overflow';
const NEG_LEN = 'proto: negative length found during unmarshaling';

/** Reads gogo's varint: at most 10 groups; bits past 64 vanish as Go's shift drops them. */
function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let v = 0n;
  for (let shift = 0n; ; shift += 7n) {
    if (shift >= 64n) throw new OprDecodeError(OVERFLOW);
    if (pos >= buf.length) throw new OprDecodeError(EOF_MSG);
    const b = buf[pos++]!;
    v = (v | (BigInt(b & 0x7f) << shift)) & UINT64_MAX;
    if (b < 0x80) return [v, pos];
  }
}

/** A uint64 read as Go's 64-bit int. */
const asInt64 = (v: bigint): bigint => (v > 0x7fffffffffffffffn ? v - (1n << 64n) : v);

/** Length prefix as gogo reads it into an int: negative (huge) lengths are an error. */
function readLength(buf: Uint8Array, pos: number): [number, number] {
  const [raw, next] = readVarint(buf, pos);
  const len = asInt64(raw);
  if (len < 0n) throw new OprDecodeError(NEG_LEN);
  if (BigInt(next) + len > BigInt(buf.length)) throw new OprDecodeError(EOF_MSG);
  return [Number(len), next];
}

/** gogo's skipV2Content: the length of one unknown field (with its tag) at `start`. */
function skipField(buf: Uint8Array, start: number): number {
  let pos = start;
  const [wire, p] = readVarint(buf, pos);
  pos = p;
  const wireType = Number(wire & 7n);
  switch (wireType) {
    case 0:
      for (let shift = 0; ; shift += 7) {
        if (shift >= 64) throw new OprDecodeError(OVERFLOW);
        if (pos >= buf.length) throw new OprDecodeError(EOF_MSG);
        if (buf[pos++]! < 0x80) break;
      }
      return pos - start;
    case 1: return pos + 8 - start;
    case 2: {
      const [raw, next] = readVarint(buf, pos);
      const len = asInt64(raw);
      if (len < 0n) throw new OprDecodeError(NEG_LEN);
      const end = BigInt(next) + len;
      if (end > BigInt(Number.MAX_SAFE_INTEGER)) throw new OprDecodeError(EOF_MSG);
      return Number(end) - start;
    }
    case 3: {
      for (;;) {
        const inner = pos;
        const [w] = readVarint(buf, pos);
        if (Number(w & 7n) === 4) {
          pos = readVarint(buf, pos)[1];
          break;
        }
        pos = inner + skipField(buf, inner);
        // gogo re-reads from `inner`, so a group that runs off the end fails in the next read.
      }
      return pos - start;
    }
    case 4: return pos - start;
    case 5: return pos + 4 - start;
    default: throw new OprDecodeError(`proto: illegal wireType ${wireType}`);
  }
}

/** Decodes like ParseV2Content: empty input is refused before the protobuf decoder runs. */
export function decodeProtoContent(buf: Uint8Array): ProtoOprContent {
  if (buf.length === 0) throw new OprDecodeError('no bytes to decode');
  const text = new TextDecoder();
  const c: ProtoOprContent = { address: '', id: '', height: 0, winners: [], assets: [] };
  const unknown: Uint8Array[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const pre = pos;
    const [wire, p] = readVarint(buf, pos);
    pos = p;
    // Go: fieldNum := int32(wire >> 3)
    let fieldNum = Number((wire >> 3n) & 0xffffffffn);
    if (fieldNum > 0x7fffffff) fieldNum -= 0x100000000;
    const wireType = Number(wire & 7n);
    if (wireType === 4) throw new OprDecodeError('proto: V2Content: wiretype end group for non-group');
    if (fieldNum <= 0) throw new OprDecodeError(`proto: V2Content: illegal tag ${fieldNum} (wire type ${wire})`);
    switch (fieldNum) {
      case 1:
      case 2: {
        if (wireType !== 2) throw new OprDecodeError(`proto: wrong wireType = ${wireType} for field ${fieldNum === 1 ? 'Address' : 'ID'}`);
        const [len, start] = readLength(buf, pos);
        const s = text.decode(buf.subarray(start, start + len));
        if (fieldNum === 1) c.address = s;
        else c.id = s;
        pos = start + len;
        break;
      }
      case 3: {
        if (wireType !== 0) throw new OprDecodeError(`proto: wrong wireType = ${wireType} for field Height`);
        const [v, next] = readVarint(buf, pos);
        // int32 accumulation keeps the low 32 bits.
        c.height = Number(BigInt.asIntN(32, v));
        pos = next;
        break;
      }
      case 4: {
        if (wireType !== 2) throw new OprDecodeError(`proto: wrong wireType = ${wireType} for field Winners`);
        const [len, start] = readLength(buf, pos);
        c.winners.push(Uint8Array.from(buf.subarray(start, start + len)));
        pos = start + len;
        break;
      }
      case 5: {
        if (wireType === 0) {
          const [v, next] = readVarint(buf, pos);
          c.assets.push(v);
          pos = next;
        } else if (wireType === 2) {
          const [len, start] = readLength(buf, pos);
          const end = start + len;
          pos = start;
          while (pos < end) {
            const [v, next] = readVarint(buf, pos);
            c.assets.push(v);
            pos = next;
          }
        } else {
          throw new OprDecodeError(`proto: wrong wireType = ${wireType} for field Assets`);
        }
        break;
      }
      default: {
        const skip = skipField(buf, pre);
        if (pre + skip > buf.length) throw new OprDecodeError(EOF_MSG);
        unknown.push(buf.subarray(pre, pre + skip));
        pos = pre + skip;
      }
    }
  }
  if (unknown.length > 0) {
    const total = unknown.reduce((n, u) => n + u.length, 0);
    const all = new Uint8Array(total);
    let off = 0;
    for (const u of unknown) { all.set(u, off); off += u.length; }
    c.unknown = all;
  }
  return c;
}

