/** Messages between the miner and its hashing threads (workers/mine.ts). */
export type ToThread =
  | { type: 'job'; jobId: number; oprHash: Uint8Array; connectionNonce: number; target: bigint }
  | { type: 'target'; target: bigint }
  | { type: 'nonce'; connectionNonce: number }
  | { type: 'pause' }
  | { type: 'stop' };

export type FromThread =
  | { type: 'share'; thread: number; jobId: number; oprHash: Uint8Array; nonce: Uint8Array; target: bigint }
  /** Hashes done since the last report, for the job named. */
  | { type: 'hashes'; thread: number; jobId: number; hashes: number }
  | { type: 'warn'; thread: number; message: string };

export interface ThreadData {
  table: Uint8Array;
  bits: number;
  kernel: string;
  thread: number;
  batch: number;
}
