import {
  eblockEntries,
  entryHashOfBytes,
  toHex,
  unmarshalEntry,
  type DirectoryBlock,
  type Entry,
  type EntryBlock,
} from '../factom/index.js';
import { ProsperError } from '../errors.js';

/** One completed directory block with its entry blocks and the entries they list. */
export interface CompletedBlock {
  readonly dblock: DirectoryBlock;
  readonly eblocks: readonly EntryBlock[];
  /** Entry binaries, keyed by entry hash hex. */
  readonly entries: ReadonlyMap<string, Buffer>;
}

export interface StoredEntry {
  readonly bytes: Buffer;
  readonly entry: Entry;
  readonly eblockKeyMr: string;
  readonly dbHeight: number;
}

/**
 * Every completed block, indexed by height and hash. Blocks above `savedHeight` are complete
 * but not yet saved (factomd's minute-0 window) and are hidden from DB-style lookups.
 */
export class ChainStore {
  private readonly blocks: CompletedBlock[] = [];
  private readonly dblockHeightByKeyMr = new Map<string, number>();
  private readonly eblockByKeyMr = new Map<string, EntryBlock>();
  private readonly entryByHash = new Map<string, StoredEntry>();
  /** Entry hashes first stored at each height (for the unsaved-window listing). */
  private readonly entryHashesByHeight: string[][] = [];
  /** Per chain: its eblocks in order (keyMr hex, dbHeight). */
  private readonly chainBlocks = new Map<string, { keyMr: string; dbHeight: number; block: EntryBlock }[]>();
  savedHeight = -1;

  get completedHeight(): number {
    return this.blocks.length - 1;
  }

  add(block: CompletedBlock): void {
    const h = block.dblock.header.dbHeight;
    if (h !== this.blocks.length) throw new ProsperError('PROSPER_E_DEVNET_CHAIN', `block ${h} added out of order (next is ${this.blocks.length})`);
    this.blocks.push(block);
    const stored: string[] = [];
    this.entryHashesByHeight.push(stored);
    this.dblockHeightByKeyMr.set(toHex(block.dblock.keyMr), h);
    for (const eb of block.eblocks) {
      const keyMr = toHex(eb.keyMr);
      this.eblockByKeyMr.set(keyMr, eb);
      const chain = toHex(eb.header.chainId);
      const list = this.chainBlocks.get(chain) ?? [];
      list.push({ keyMr, dbHeight: h, block: eb });
      this.chainBlocks.set(chain, list);
      for (const { hash } of eblockEntries(eb)) {
        const hex = toHex(hash);
        const bytes = block.entries.get(hex);
        if (!bytes || this.entryByHash.has(hex)) continue;
        this.entryByHash.set(hex, { bytes, entry: unmarshalEntry(bytes), eblockKeyMr: keyMr, dbHeight: h });
        stored.push(hex);
      }
    }
  }

  last(): CompletedBlock | undefined {
    return this.blocks[this.blocks.length - 1];
  }

  /** A saved directory block by height. */
  savedDBlock(height: number): DirectoryBlock | undefined {
    return height >= 0 && height <= this.savedHeight ? this.blocks[height]?.dblock : undefined;
  }

  savedDBlockByKeyMr(keyMr: string): DirectoryBlock | undefined {
    const h = this.dblockHeightByKeyMr.get(keyMr);
    return h === undefined ? undefined : this.savedDBlock(h);
  }

  savedEBlock(keyMr: string): EntryBlock | undefined {
    const eb = this.eblockByKeyMr.get(keyMr);
    return eb && eb.header.dbHeight <= this.savedHeight ? eb : undefined;
  }

  /** Any completed entry (saved or in the unsaved window). */
  completedEntry(hash: string): StoredEntry | undefined {
    return this.entryByHash.get(hash);
  }

  savedEntry(hash: string): StoredEntry | undefined {
    const e = this.entryByHash.get(hash);
    return e && e.dbHeight <= this.savedHeight ? e : undefined;
  }

  /** Latest eblock of a chain among completed blocks (the tip new eblocks link to). */
  chainTip(chainId: string): EntryBlock | undefined {
    const list = this.chainBlocks.get(chainId);
    return list?.[list.length - 1]?.block;
  }

  /** KeyMR of the latest saved eblock of a chain. */
  savedChainHead(chainId: string): string | undefined {
    const list = this.chainBlocks.get(chainId) ?? [];
    for (let i = list.length - 1; i >= 0; i--) if (list[i].dbHeight <= this.savedHeight) return list[i].keyMr;
    return undefined;
  }

  /** The chain got an eblock in a completed-but-unsaved block. */
  chainInUnsavedBlock(chainId: string): boolean {
    const list = this.chainBlocks.get(chainId);
    const last = list?.[list.length - 1];
    return last !== undefined && last.dbHeight > this.savedHeight;
  }

  chainExists(chainId: string): boolean {
    return this.chainBlocks.has(chainId);
  }

  /** Completed-but-unsaved entries (for process-list style lookups). */
  unsavedEntries(): StoredEntry[] {
    const out: StoredEntry[] = [];
    for (let h = this.savedHeight + 1; h < this.blocks.length; h++) {
      for (const hex of this.entryHashesByHeight[h] ?? []) {
        const e = this.entryByHash.get(hex);
        if (e) out.push(e);
      }
    }
    return out;
  }

  blockAt(height: number): CompletedBlock | undefined {
    return this.blocks[height];
  }

  static entryHashHex(bytes: Buffer): string {
    return toHex(entryHashOfBytes(bytes));
  }
}
