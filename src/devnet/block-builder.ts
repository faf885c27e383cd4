import {
  ADMIN_CHAIN_ID,
  EC_CHAIN_ID,
  FACTOID_CHAIN_ID,
  ZERO32,
  buildDirectoryBlock,
  buildEntryBlock,
  eblockBodyFromMinutes,
  sha256,
  type DirectoryBlock,
  type EntryBlock,
} from '../factom/index.js';
import type { CompletedBlock } from './chain-store.js';

/** An entry acknowledged in the block being built, with the minute (0..9) it arrived in. */
export interface AckedEntry {
  readonly hash: Buffer;
  readonly bytes: Buffer;
  readonly minute: number;
}

export interface BlockBuildInput {
  readonly height: number;
  readonly networkId: number;
  /** Minutes since the epoch of the block's open time. */
  readonly timestampMinutes: number;
  readonly prev?: DirectoryBlock;
  /** Entries per chain id (hex), in acknowledgement order. */
  readonly entriesByChain: ReadonlyMap<string, readonly AckedEntry[]>;
  /** The chain's previous eblock (its tip), if any. */
  readonly tipOf: (chainIdHex: string) => EntryBlock | undefined;
}

/**
 * Stand-in values for the admin, EC and factoid block hashes: the devnet does not serve those
 * blocks, so any deterministic 32 bytes per height will do.
 */
function specialValue(tag: string, height: number): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt32BE(height);
  return sha256(Buffer.from(`prosper-devnet ${tag} block`), h);
}

/** Close a block: one eblock per chain that got entries, then the directory block over them. */
export function buildBlock(input: BlockBuildInput): CompletedBlock {
  const chains = [...input.entriesByChain.keys()].sort();
  const eblocks: EntryBlock[] = [];
  const entries = new Map<string, Buffer>();
  for (const chain of chains) {
    const acked = input.entriesByChain.get(chain) ?? [];
    if (acked.length === 0) continue;
    const tip = input.tipOf(chain);
    eblocks.push(
      buildEntryBlock({
        chainId: Buffer.from(chain, 'hex'),
        prevKeyMr: tip ? tip.keyMr : ZERO32,
        prevFullHash: tip ? tip.fullHash : ZERO32,
        sequence: tip ? tip.header.sequence + 1 : 0,
        dbHeight: input.height,
        objects: eblockBodyFromMinutes(acked.map((a) => ({ hash: a.hash, minute: a.minute }))),
      }),
    );
    for (const a of acked) entries.set(a.hash.toString('hex'), a.bytes);
  }
  const dblock = buildDirectoryBlock({
    networkId: input.networkId,
    prevKeyMr: input.prev ? input.prev.keyMr : ZERO32,
    prevFullHash: input.prev ? input.prev.fullHash : ZERO32,
    timestamp: input.timestampMinutes,
    dbHeight: input.height,
    entries: [
      { chainId: ADMIN_CHAIN_ID, keyMr: specialValue('admin', input.height) },
      { chainId: EC_CHAIN_ID, keyMr: specialValue('entry-credit', input.height) },
      { chainId: FACTOID_CHAIN_ID, keyMr: specialValue('factoid', input.height) },
      ...eblocks.map((e) => ({ chainId: e.header.chainId, keyMr: e.keyMr })),
    ],
  });
  return { dblock, eblocks, entries };
}
