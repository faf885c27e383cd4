/** Decoded OPR contents. V1 is JSON; V2..V5 share one protobuf message (V2Content). */

/** V2..V5 content: the fields of the reference's `V2Content` message. */
export interface ProtoOprContent {
  /** FA coinbase address (field 1). */
  address: string;
  /** Miner identity (field 2). */
  id: string;
  /** Directory block height the OPR is for (field 3, int32). */
  height: number;
  /** Previous winners as raw bytes, 8 each normally (field 4). */
  winners: Uint8Array[];
  /** Prices in 1e-8 USD, in the version's asset order (field 5, packed uint64). */
  assets: bigint[];
  /** Fields the message does not know, kept (as gogo does) and written back at the end. */
  unknown?: Uint8Array;
}

/** V1 content: the JSON fields, prices by asset name as floats. */
export interface V1OprContent {
  coinbase: string;
  dbht: number;
  /** null when the JSON had no winners (or null). */
  winners: string[] | null;
  minerid: string;
  /** null when the JSON had no assets (or null). */
  assets: Map<string, number> | null;
  /**
   * How the source JSON was laid out (member order and key spelling, unknown members' raw
   * text), so a decoded entry encodes back to its own bytes. Absent: json.Marshal's layout.
   * Only kept for sources without repeated keys.
   */
  layout?: V1Layout;
}

export interface V1Layout {
  /** Top-level members in order: a known field (as spelled) or an unknown member's raw JSON. */
  readonly members: readonly { readonly key: string; readonly field?: 'coinbase' | 'dbht' | 'winners' | 'minerid' | 'assets'; readonly raw?: string }[];
  /** Asset keys in source order. */
  readonly assetKeys: readonly string[];
}
