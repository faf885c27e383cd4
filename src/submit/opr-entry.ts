import { buildEntry, entryCost, entryHash, marshalEntry, type Entry } from '../factom/index.js';

/** What the pool writes for one share: the job's OPR content proven by the share's nonce. */
export interface OprEntryParts {
  chainId: Uint8Array;
  nonce: Uint8Array;
  /** The share's target, written as the 8-byte big-endian self-reported difficulty. */
  target: bigint;
  version: number;
  content: Uint8Array;
}

/** The OPR entry: ExtIDs [nonce, u64be(target), version byte], content = the OPR. */
export function buildOprEntry(p: OprEntryParts): { entry: Entry; bytes: Buffer; hash: Buffer; cost: number } {
  const target = Buffer.alloc(8);
  target.writeBigUInt64BE(p.target);
  const entry = buildEntry([p.nonce, target, Uint8Array.of(p.version)], p.content, p.chainId);
  const bytes = marshalEntry(entry);
  return { entry, bytes, hash: entryHash(entry), cost: entryCost(bytes.length) };
}
