/** Typed results of the factomd v2 methods the pool, miner and sync use (camelCase of factomd's fields). */

export interface Heights {
  readonly directoryBlockHeight: number;
  readonly leaderHeight: number;
  readonly entryBlockHeight: number;
  readonly entryHeight: number;
}

export interface CurrentMinute {
  readonly leaderHeight: number;
  readonly directoryBlockHeight: number;
  readonly minute: number;
  /** Unix nanoseconds, exact. */
  readonly currentBlockStartTime: bigint;
  /** Unix nanoseconds, exact; 0 while the node is syncing. */
  readonly currentMinuteStartTime: bigint;
  /** Unix nanoseconds, exact. */
  readonly currentTime: bigint;
  readonly directoryBlockInSeconds: number;
  readonly stallDetected: boolean;
  readonly faultTimeout: number;
  readonly roundTimeout: number;
}

export interface Properties {
  readonly factomdVersion: string;
  readonly factomdApiVersion: string;
}

export interface ChainKeyMr {
  readonly chainId: string;
  readonly keyMr: string;
}

export interface DBlockByHeight {
  readonly dbHash: string;
  readonly keyMr: string;
  /** Absent from some older factomd versions. */
  readonly headerHash?: string;
  readonly header: {
    readonly version: number;
    readonly networkId: number;
    readonly bodyMr: string;
    readonly prevKeyMr: string;
    readonly prevFullHash: string;
    /** Minutes since the epoch. */
    readonly timestamp: number;
    readonly dbHeight: number;
    readonly blockCount: number;
    readonly chainId: string;
  };
  readonly dbEntries: readonly ChainKeyMr[];
  /** The block binary; absent when requested with noraw. */
  readonly rawData?: Buffer;
}

export interface DirectoryBlockJson {
  readonly header: { readonly prevBlockKeyMr: string; readonly sequenceNumber: number; /** seconds */ readonly timestamp: number };
  readonly entryBlockList: readonly ChainKeyMr[];
}

export interface EntryBlockJson {
  readonly header: {
    readonly blockSequenceNumber: number;
    readonly chainId: string;
    readonly prevKeyMr: string;
    /** seconds */
    readonly timestamp: number;
    readonly dbHeight: number;
  };
  readonly entryList: readonly { readonly entryHash: string; /** seconds */ readonly timestamp: number }[];
}

export interface EntryJson {
  readonly chainId: string;
  readonly content: Buffer;
  readonly extIds: readonly Buffer[];
}

export interface ChainHead {
  /** KeyMR of the latest saved entry block, or '' while the chain is only in the process list. */
  readonly chainHead: string;
  readonly chainInProcessList: boolean;
}

export interface CommitEntryResult {
  readonly message: string;
  readonly txid: string;
  readonly entryHash: string;
}

export interface CommitChainResult extends CommitEntryResult {
  readonly chainIdHash: string;
}

export interface RevealResult {
  readonly message: string;
  readonly entryHash: string;
  readonly chainId: string;
}

export type AckStatus = 'Unknown' | 'NotConfirmed' | 'TransactionACK' | 'DBlockConfirmed' | 'Invalid' | '1Minute' | string;

export interface AckStatusData {
  readonly status: AckStatus;
  readonly transactionDate?: number;
  readonly blockDate?: number;
}

export interface EntryAck {
  readonly commitTxid: string;
  readonly entryHash: string;
  readonly commitData: AckStatusData;
  readonly entryData: AckStatusData;
}

export interface PendingEntry {
  readonly entryHash: string;
  /** null when only the commit is known. */
  readonly chainId: string | null;
  readonly status: AckStatus;
}

export interface FactoidSubmitResult {
  readonly message: string;
  readonly txid: string;
}

export interface FactoidAck {
  readonly txid: string;
  readonly status: AckStatus;
}

/** `transaction` for an entry hash: where (and whether) it landed. */
export interface TransactionInclusion {
  /** Eblock KeyMR (entries) or '' while pending/unknown. */
  readonly includedInTransactionBlock: string;
  /** Dblock KeyMR or '' while pending/unknown. */
  readonly includedInDirectoryBlock: string;
  /** -1 while pending/unknown. */
  readonly includedInDirectoryBlockHeight: number;
}
