import { eblockEntries, merkleBranch, sha256, toHex } from '../factom/index.js';
import type { ChainStore } from './chain-store.js';

type Step = { left: string; right: string; top: string };

/**
 * factomd's receipt for a saved entry: the merkle path entry → eblock BodyMR → eblock KeyMR →
 * dblock leaf → dblock BodyMR → dblock KeyMR, each step {left, right, top}.
 */
export function buildReceipt(
  store: ChainStore,
  entryHash: string,
): { raw: string; entry: { entryhash: string; timestamp: number }; rest: Record<string, unknown> } | undefined {
  const stored = store.savedEntry(entryHash);
  if (!stored) return undefined;
  const eb = store.savedEBlock(stored.eblockKeyMr);
  const db = store.savedDBlock(stored.dbHeight);
  if (!eb || !db) return undefined;
  const hex = (s: { left: Buffer; right: Buffer; top: Buffer }): Step => ({ left: toHex(s.left), right: toHex(s.right), top: toHex(s.top) });
  const objects = eb.objects.map((o) => (o.kind === 'entry' ? o.hash : Buffer.concat([Buffer.alloc(31), Buffer.from([o.minute])])));
  const index = objects.findIndex((o) => toHex(o) === entryHash);
  const branch: Step[] = merkleBranch(objects, index).map(hex);
  branch.push({ left: toHex(eb.headerHash), right: toHex(eb.header.bodyMr), top: toHex(eb.keyMr) });
  const leaves = db.entries.map((e) => sha256(e.chainId, e.keyMr));
  const at = db.entries.findIndex((e) => e.keyMr.equals(eb.keyMr));
  branch.push({ left: toHex(eb.header.chainId), right: toHex(eb.keyMr), top: toHex(leaves[at]) });
  branch.push(...merkleBranch(leaves, at).map(hex));
  branch.push({ left: toHex(db.headerHash), right: toHex(db.header.bodyMr), top: toHex(db.keyMr) });
  const minute = eblockEntries(eb).find((e) => toHex(e.hash) === entryHash)?.minute ?? 0;
  return {
    raw: toHex(stored.bytes),
    entry: { entryhash: entryHash, timestamp: db.header.timestamp * 60 + 60 * (minute + 1) },
    rest: { merklebranch: branch, entryblockkeymr: toHex(eb.keyMr), directoryblockkeymr: toHex(db.keyMr), directoryblockheight: db.header.dbHeight },
  };
}
