import { sha256, sha512 } from './bytes.js';
import { decodeError, encodeError } from './errors.js';

/** A Factom entry: chain id, ext ids and content (version is always 0). */
export interface Entry {
  readonly chainId: Buffer;
  readonly extIds: readonly Buffer[];
  readonly content: Buffer;
}

export const ENTRY_HEADER_SIZE = 35;
/** Maximum payload (ext-id section + content), 10 KiB. */
export const ENTRY_MAX_PAYLOAD = 10240;

/** chainId = sha256(sha256(ext0) ‖ sha256(ext1) ‖ …). */
export function chainIdFromExtIds(extIds: readonly Uint8Array[]): Buffer {
  return sha256(...extIds.map((x) => sha256(x)));
}

/** Build an entry; when chainId is omitted it is derived from the ext ids (a chain's first entry). */
export function buildEntry(extIds: readonly (Uint8Array | string)[], content: Uint8Array | string, chainId?: Uint8Array): Entry {
  const ext = extIds.map((x) => Buffer.from(x));
  const id = chainId ? Buffer.from(chainId) : chainIdFromExtIds(ext);
  if (id.length !== 32) throw encodeError('chain id must be 32 bytes');
  return { chainId: id, extIds: ext, content: Buffer.from(content) };
}

/** Serialise an entry in factomd's binary layout; throws PROSPER_E_FACTOM_ENCODE when the payload exceeds 10 KiB. */
export function marshalEntry(entry: Entry): Buffer {
  if (entry.chainId.length !== 32) throw encodeError('chain id must be 32 bytes');
  let extLen = 0;
  for (const x of entry.extIds) {
    if (x.length > 0xffff) throw encodeError('ext id longer than 65535 bytes');
    extLen += 2 + x.length;
  }
  if (extLen > 0xffff) throw encodeError('ext id section longer than 65535 bytes');
  if (extLen + entry.content.length > ENTRY_MAX_PAYLOAD) throw encodeError('entry payload exceeds 10240 bytes');
  const out = Buffer.alloc(ENTRY_HEADER_SIZE + extLen + entry.content.length);
  out[0] = 0;
  entry.chainId.copy(out, 1);
  out.writeUInt16BE(extLen, 33);
  let o = ENTRY_HEADER_SIZE;
  for (const x of entry.extIds) {
    out.writeUInt16BE(x.length, o);
    Buffer.from(x).copy(out, o + 2);
    o += 2 + x.length;
  }
  entry.content.copy(out, o);
  return out;
}

/** Parse an entry binary (version 0, consistent ext-id section, payload ≤ 10 KiB). */
export function unmarshalEntry(data: Uint8Array): Entry {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buf.length < ENTRY_HEADER_SIZE) throw decodeError('entry shorter than its 35-byte header');
  if (buf[0] !== 0) throw decodeError(`entry version ${buf[0]} is not 0`);
  if (buf.length - ENTRY_HEADER_SIZE > ENTRY_MAX_PAYLOAD) throw decodeError('entry payload exceeds 10240 bytes');
  const extLen = buf.readUInt16BE(33);
  const extEnd = ENTRY_HEADER_SIZE + extLen;
  if (extEnd > buf.length) throw decodeError('entry ext-id section runs past the end');
  const extIds: Buffer[] = [];
  let o = ENTRY_HEADER_SIZE;
  while (o < extEnd) {
    if (o + 2 > extEnd) throw decodeError('entry ext-id length runs past the ext-id section');
    const n = buf.readUInt16BE(o);
    if (o + 2 + n > extEnd) throw decodeError('entry ext id runs past the ext-id section');
    extIds.push(Buffer.from(buf.subarray(o + 2, o + 2 + n)));
    o += 2 + n;
  }
  return {
    chainId: Buffer.from(buf.subarray(1, 33)),
    extIds,
    content: Buffer.from(buf.subarray(extEnd)),
  };
}

/** entryHash = sha256(sha512(bytes) ‖ bytes), over the marshalled entry. */
export function entryHashOfBytes(entryBytes: Uint8Array): Buffer {
  return sha256(sha512(entryBytes), entryBytes);
}

export function entryHash(entry: Entry): Buffer {
  return entryHashOfBytes(marshalEntry(entry));
}

/** KSize as factomd computes it: ceil(payload / 1024); 0 for an empty payload. */
export function entryKSize(entryBytesLength: number): number {
  return Math.ceil(Math.max(0, entryBytesLength - ENTRY_HEADER_SIZE) / 1024);
}

/** EC needed to commit an entry of this binary length (minimum 1). */
export function entryCost(entryBytesLength: number): number {
  return Math.max(1, entryKSize(entryBytesLength));
}

/** EC needed to create a chain whose first entry has this binary length (entry cost + 10). */
export function chainCost(entryBytesLength: number): number {
  return entryCost(entryBytesLength) + 10;
}
