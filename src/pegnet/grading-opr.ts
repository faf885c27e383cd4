/** One accepted OPR entry as the grader carries it through a block. */
import type { OprVersion } from './activation.js';
import type { ProtoOprContent, V1OprContent } from './opr-types.js';

export type DecodedOpr =
  | { readonly version: 1; readonly v1: V1OprContent }
  | { readonly version: 2 | 3 | 4 | 5; readonly proto: ProtoOprContent };

export interface GradingOpr {
  readonly entryHash: Uint8Array;
  readonly nonce: Uint8Array;
  /** ExtID[1] as a big-endian uint64. */
  readonly selfReportedDifficulty: bigint;
  /** SHA-256 of the content. */
  readonly oprHash: Uint8Array;
  readonly opr: DecodedOpr;
  /** Prices as the grader compares them, in the version's asset order. */
  readonly prices: readonly number[];
  /** Coinbase address and identity (V1: coinbase and minerid). */
  readonly address: string;
  readonly identity: string;
  /** Set by grading; 0 for a block with too few OPRs, as the reference leaves them. */
  grade: number;
  position: number;
  /** Reward in 1e-8 PEG. */
  payout: bigint;
}

export function versionOf(o: GradingOpr): OprVersion {
  return o.opr.version;
}
