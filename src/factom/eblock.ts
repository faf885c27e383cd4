import { sha256, ZERO32 } from './bytes.js';
import { decodeError, encodeError } from './errors.js';
import { blockKeyMr, merkleRoot } from './merkle.js';

export const EBLOCK_HEADER_SIZE = 140;

/** One object of an entry-block body: an entry hash, or the minute marker closing minute m-1. */
export type EBlockObject = { readonly kind: 'entry'; readonly hash: Buffer } | { readonly kind: 'minute'; readonly minute: number };

export interface EntryBlockHeader {
  readonly chainId: Buffer;
  readonly bodyMr: Buffer;
  readonly prevKeyMr: Buffer;
  readonly prevFullHash: Buffer;
  readonly sequence: number;
  readonly dbHeight: number;
}

export interface EntryBlock {
  readonly header: EntryBlockHeader;
  readonly objects: readonly EBlockObject[];
  readonly keyMr: Buffer;
  readonly fullHash: Buffer;
  readonly headerHash: Buffer;
  readonly bytes: Buffer;
}

/** A minute marker object: 31 zero bytes then the marker value 1..10. */
export function minuteMarker(marker: number): Buffer {
  const b = Buffer.alloc(32);
  b[31] = marker;
  return b;
}

function isMinuteMarker(obj: Buffer): boolean {
  for (let i = 0; i < 31; i++) if (obj[i] !== 0) return false;
  return obj[31] >= 1 && obj[31] <= 10;
}

function objectBytes(o: EBlockObject): Buffer {
  return o.kind === 'entry' ? o.hash : minuteMarker(o.minute);
}

/**
 * Lay out a body from entries tagged with the minute (0..9) they were acknowledged in: each
 * minute's entries followed by marker minute+1, only for minutes that had entries.
 */
export function eblockBodyFromMinutes(entries: readonly { hash: Buffer; minute: number }[]): EBlockObject[] {
  const out: EBlockObject[] = [];
  let i = 0;
  while (i < entries.length) {
    const m = entries[i].minute;
    if (!Number.isInteger(m) || m < 0 || m > 9) throw encodeError('entry minute must be 0..9');
    while (i < entries.length && entries[i].minute === m) out.push({ kind: 'entry', hash: entries[i++].hash });
    if (i < entries.length && entries[i].minute < m) throw encodeError('entry minutes must not decrease');
    out.push({ kind: 'minute', minute: m + 1 });
  }
  return out;
}

export interface EntryBlockInput {
  readonly chainId: Buffer;
  readonly prevKeyMr: Buffer;
  readonly prevFullHash: Buffer;
  readonly sequence: number;
  readonly dbHeight: number;
  readonly objects: readonly EBlockObject[];
}

/** Build factomd's binary entry block and its hashes. */
export function buildEntryBlock(input: EntryBlockInput): EntryBlock {
  const body = input.objects.map(objectBytes);
  const bodyMr = merkleRoot(body);
  const header = Buffer.alloc(EBLOCK_HEADER_SIZE);
  input.chainId.copy(header, 0);
  bodyMr.copy(header, 32);
  input.prevKeyMr.copy(header, 64);
  input.prevFullHash.copy(header, 96);
  header.writeUInt32BE(input.sequence, 128);
  header.writeUInt32BE(input.dbHeight, 132);
  header.writeUInt32BE(body.length, 136);
  const bytes = Buffer.concat([header, ...body]);
  return {
    header: {
      chainId: Buffer.from(input.chainId),
      bodyMr,
      prevKeyMr: Buffer.from(input.prevKeyMr),
      prevFullHash: Buffer.from(input.prevFullHash),
      sequence: input.sequence,
      dbHeight: input.dbHeight,
    },
    objects: input.objects,
    keyMr: blockKeyMr(header, bodyMr),
    fullHash: sha256(bytes),
    headerHash: sha256(header),
    bytes,
  };
}

/** Parse an entry-block binary and check its BodyMR against the body; exact length required. */
export function parseEntryBlock(data: Uint8Array): EntryBlock {
  const buf = Buffer.from(data);
  if (buf.length < EBLOCK_HEADER_SIZE) throw decodeError('entry block shorter than its 140-byte header');
  const count = buf.readUInt32BE(136);
  if (buf.length !== EBLOCK_HEADER_SIZE + 32 * count) throw decodeError('entry block length does not match its object count');
  const objects: EBlockObject[] = [];
  for (let i = 0; i < count; i++) {
    const o = buf.subarray(EBLOCK_HEADER_SIZE + 32 * i, EBLOCK_HEADER_SIZE + 32 * (i + 1));
    objects.push(isMinuteMarker(o) ? { kind: 'minute', minute: o[31] } : { kind: 'entry', hash: Buffer.from(o) });
  }
  const block = buildEntryBlock({
    chainId: buf.subarray(0, 32),
    prevKeyMr: buf.subarray(64, 96),
    prevFullHash: buf.subarray(96, 128),
    sequence: buf.readUInt32BE(128),
    dbHeight: buf.readUInt32BE(132),
    objects,
  });
  if (!block.header.bodyMr.equals(buf.subarray(32, 64))) throw decodeError('entry block BodyMR does not match its body');
  return block;
}

/** Entries with the minute they were acknowledged in (marker value − 1), in block order. */
export function eblockEntries(block: EntryBlock): { hash: Buffer; minute: number }[] {
  const out: { hash: Buffer; minute: number }[] = [];
  let pending: Buffer[] = [];
  for (const o of block.objects) {
    if (o.kind === 'entry') pending.push(o.hash);
    else {
      for (const h of pending) out.push({ hash: h, minute: o.minute - 1 });
      pending = [];
    }
  }
  return out;
}

export const ZERO_HASH: Buffer = ZERO32;
