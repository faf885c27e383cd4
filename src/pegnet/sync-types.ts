/**
 * What the sync loop needs from factomd and from the store: narrow interfaces, so the loop
 * runs against the real client (src/factom FactomdClient satisfies SyncFactomd as it is)
 * and any store that implements SyncStore.
 */
import type { OprVersion } from './activation.js';

export interface SyncFactomd {
  /** `heights`: directoryBlockHeight is the highest saved (complete) directory block. */
  heights(): Promise<{ readonly directoryBlockHeight: number }>;
  /** `dblock-by-height`: the chains with an entry block in that directory block. */
  dblockByHeight(height: number, opts?: { noraw?: boolean }): Promise<{ readonly dbEntries: readonly { readonly chainId: string; readonly keyMr: string }[] }>;
  /** `entry-block`: the entries in entry-block (processing) order. */
  entryBlock(keyMr: string): Promise<{ readonly entryList: readonly { readonly entryHash: string }[] }>;
  /** `entry`: ext ids and content of one entry. */
  entry(hash: string): Promise<{ readonly extIds: readonly Uint8Array[]; readonly content: Uint8Array }>;
}

/** One graded OPR as stored (positions are final places; payout in 1e-8 PEG). */
export interface StoredGradedOpr {
  readonly position: number;
  readonly entryHash: string;
  readonly identity: string;
  readonly address: string;
  readonly difficulty: bigint;
  readonly grade: number;
  readonly payout: bigint;
}

/** The figures the submission policy sizes its cutoff from (docs/pegnet.md section 6). */
export interface NetworkDifficulty {
  /** How many honest OPRs made the top list (<= 50). */
  readonly spot: number;
  /** The lowest difficulty in that list (the 50th best when 50 made it); 0 when none. */
  readonly minimum: bigint;
  /** The best difficulty of the block; 0 when none. */
  readonly maximum: bigint;
}

/** What the pool earned in one block: its OPRs found by identity or coinbase address. */
export interface PoolReward {
  readonly graded: number;
  readonly winning: number;
  /** 1e-8 PEG. */
  readonly reward: bigint;
}

export interface GradedBlockRecord {
  readonly height: number;
  readonly version: OprVersion;
  /** Entries accepted by validation. */
  readonly accepted: number;
  /** Graded list in place order (unpositioned when too few). */
  readonly graded: readonly StoredGradedOpr[];
  /** The winners' short hashes, or [] when the block had too few OPRs. */
  readonly winners: readonly string[];
  /** What OPRs of the next block must carry as previous winners. */
  readonly nextPreviousWinners: readonly string[];
  readonly difficulty: NetworkDifficulty;
  readonly poolReward: PoolReward;
}

export interface SyncedBlock {
  readonly height: number;
  /** Undefined when the block had no OPR entry block. */
  readonly graded?: GradedBlockRecord;
  /** The previous winners an OPR for height + 1 must carry. */
  readonly nextPreviousWinners: readonly string[];
}

export interface SyncStore {
  /** Highest height recorded, or undefined on a fresh store. */
  lastSyncedHeight(): Promise<number | undefined>;
  /** The previous winners an OPR for `height` must carry, from the newest record below it; undefined if none. */
  previousWinnersFor(height: number): Promise<readonly string[] | undefined>;
  /**
   * Records one block atomically (graded block, winners, difficulty, pool reward, synced
   * height). Called again for the same height when the tip is re-read after a restart: it
   * must replace, not duplicate.
   */
  recordBlock(block: SyncedBlock): Promise<void>;
}
