import { sha256 } from './bytes.js';
import { decodeError } from './errors.js';
import { blockKeyMr, merkleRoot } from './merkle.js';

export const DBLOCK_HEADER_SIZE = 113;

export const NETWORK_ID = { MAIN: 0xfa92e5a2, TEST: 0xfa92e5a3, LOCAL: 0xfa92e5a4 } as const;

/** The three special chains that open every directory block, in body order. */
export const ADMIN_CHAIN_ID = Buffer.from('000000000000000000000000000000000000000000000000000000000000000a', 'hex');
export const EC_CHAIN_ID = Buffer.from('000000000000000000000000000000000000000000000000000000000000000c', 'hex');
export const FACTOID_CHAIN_ID = Buffer.from('000000000000000000000000000000000000000000000000000000000000000f', 'hex');
export const DBLOCK_CHAIN_ID = Buffer.from('000000000000000000000000000000000000000000000000000000000000000d', 'hex');

export interface DBlockEntry {
  readonly chainId: Buffer;
  readonly keyMr: Buffer;
}

export interface DirectoryBlockHeader {
  readonly version: number;
  readonly networkId: number;
  readonly bodyMr: Buffer;
  readonly prevKeyMr: Buffer;
  readonly prevFullHash: Buffer;
  /** Minutes since the Unix epoch (block open time). */
  readonly timestamp: number;
  readonly dbHeight: number;
}

export interface DirectoryBlock {
  readonly header: DirectoryBlockHeader;
  readonly entries: readonly DBlockEntry[];
  readonly keyMr: Buffer;
  /** sha256 of the whole binary (`dbhash`). */
  readonly fullHash: Buffer;
  readonly headerHash: Buffer;
  readonly bytes: Buffer;
}

export interface DirectoryBlockInput {
  readonly networkId: number;
  readonly prevKeyMr: Buffer;
  readonly prevFullHash: Buffer;
  readonly timestamp: number;
  readonly dbHeight: number;
  readonly entries: readonly DBlockEntry[];
}

/** Build factomd's binary directory block: BodyMR over sha256(chainId ‖ keyMr) leaves. */
export function buildDirectoryBlock(input: DirectoryBlockInput): DirectoryBlock {
  const bodyMr = merkleRoot(input.entries.map((e) => sha256(e.chainId, e.keyMr)));
  const header = Buffer.alloc(DBLOCK_HEADER_SIZE);
  header[0] = 0;
  header.writeUInt32BE(input.networkId >>> 0, 1);
  bodyMr.copy(header, 5);
  input.prevKeyMr.copy(header, 37);
  input.prevFullHash.copy(header, 69);
  header.writeUInt32BE(input.timestamp, 101);
  header.writeUInt32BE(input.dbHeight, 105);
  header.writeUInt32BE(input.entries.length, 109);
  const bytes = Buffer.concat([header, ...input.entries.flatMap((e) => [e.chainId, e.keyMr])]);
  return {
    header: {
      version: 0,
      networkId: input.networkId >>> 0,
      bodyMr,
      prevKeyMr: Buffer.from(input.prevKeyMr),
      prevFullHash: Buffer.from(input.prevFullHash),
      timestamp: input.timestamp,
      dbHeight: input.dbHeight,
    },
    entries: input.entries.map((e) => ({ chainId: Buffer.from(e.chainId), keyMr: Buffer.from(e.keyMr) })),
    keyMr: blockKeyMr(header, bodyMr),
    fullHash: sha256(bytes),
    headerHash: sha256(header),
    bytes,
  };
}

/** Parse a directory-block binary and check its BodyMR; exact length required. */
export function parseDirectoryBlock(data: Uint8Array): DirectoryBlock {
  const buf = Buffer.from(data);
  if (buf.length < DBLOCK_HEADER_SIZE) throw decodeError('directory block shorter than its 113-byte header');
  if (buf[0] !== 0) throw decodeError('directory block version is not 0');
  const count = buf.readUInt32BE(109);
  if (buf.length !== DBLOCK_HEADER_SIZE + 64 * count) throw decodeError('directory block length does not match its entry count');
  const entries: DBlockEntry[] = [];
  for (let i = 0; i < count; i++) {
    const o = DBLOCK_HEADER_SIZE + 64 * i;
    entries.push({ chainId: buf.subarray(o, o + 32), keyMr: buf.subarray(o + 32, o + 64) });
  }
  const block = buildDirectoryBlock({
    networkId: buf.readUInt32BE(1),
    prevKeyMr: buf.subarray(37, 69),
    prevFullHash: buf.subarray(69, 101),
    timestamp: buf.readUInt32BE(101),
    dbHeight: buf.readUInt32BE(105),
    entries,
  });
  if (!block.header.bodyMr.equals(buf.subarray(5, 37))) throw decodeError('directory block BodyMR does not match its body');
  return block;
}
