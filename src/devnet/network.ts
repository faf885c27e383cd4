import {
  chainIdFromExtIds,
  chainWeld,
  eblockEntries,
  entryHashOfBytes,
  entryKSize,
  marshalEntry,
  sha256d,
  toHex,
  unmarshalEntry,
  type ChainCommit,
  type Entry,
  type EntryCommit,
  type FactoidTransaction,
} from '../factom/index.js';
import type { Logger } from '../log.js';
import { buildBlock, type AckedEntry } from './block-builder.js';
import { ChainStore } from './chain-store.js';
import { applyFactoidTransaction } from './factoid-ledger.js';
import { blockIsOver, clockPosition, type ClockPosition } from './clock.js';
import type { BlockContext, BlockContributor } from './config.js';
import type { Ledger } from './ledger.js';
import type { DevnetDataDir } from './persistence.js';
import { logFields } from '../errors.js';

/** factomd's replay / timestamp window for commits and revealed entry hashes. */
export const REPLAY_WINDOW_MS = 60 * 60 * 1000;
const MAX_CATCH_UP_BLOCKS = 10;

type AnyCommit = EntryCommit | ChainCommit;

interface PendingReveal {
  readonly hash: string;
  readonly bytes: Buffer;
  readonly entry: Entry;
  readonly receivedMs: number;
}

interface PendingAck extends AckedEntry {
  readonly commitTxid: string;
}

export interface NetworkOptions {
  readonly now: () => number;
  readonly blockMs: number;
  readonly networkId: number;
  readonly minuteZeroLag: boolean;
  readonly ecRate: bigint;
  readonly store: ChainStore;
  readonly ledger: Ledger;
  readonly dataDir?: DevnetDataDir;
  readonly contributors: readonly BlockContributor[];
  readonly log: Logger;
}

export type CommitOutcome = { ok: true } | { ok: false; repeated: true };

/**
 * The simulated factomd's state machine: block clock, commit/reveal process list, holding,
 * replay filter, block close and save. No I/O besides the data directory.
 */
export class DevnetNetwork {
  readonly store: ChainStore;
  readonly ledger: Ledger;
  private readonly o: NetworkOptions;
  private building: { height: number; startMs: number };
  private lastMinute = -1;
  private readonly acked = new Map<string, PendingAck[]>();
  private readonly ackedHashes = new Map<string, PendingAck & { chainId: string }>();
  private readonly newChains = new Set<string>();
  /** Paid commits waiting for their reveal, by entry hash (removed when the reveal lands). */
  private readonly paid = new Map<string, AnyCommit>();
  private readonly heldCommits: { commit: AnyCommit; receivedMs: number }[] = [];
  private readonly heldReveals = new Map<string, PendingReveal>();
  private readonly seenTxids = new Map<string, number>();
  private readonly revealedAt = new Map<string, number>();
  /** Commit binaries by full hash (raw-data), and commit txid → entry hash (ack). */
  readonly ecTxRaw = new Map<string, Buffer>();
  readonly commitEntryByTxid = new Map<string, string>();
  readonly commitTxidByEntry = new Map<string, string>();
  readonly factoidTxHeight = new Map<string, number>();

  constructor(opts: NetworkOptions) {
    this.o = opts;
    this.store = opts.store;
    this.ledger = opts.ledger;
    this.building = { height: opts.store.completedHeight + 1, startMs: opts.now() };
  }

  get blockMs(): number {
    return this.o.blockMs;
  }

  position(): ClockPosition {
    return clockPosition(this.building.height, this.building.startMs, this.o.blockMs, this.o.now());
  }

  /** Highest completed block (factomd's "true leader height"). */
  leaderHeight(): number {
    return this.store.completedHeight;
  }

  /** Create block 0 with the given chains' first entries (fresh network only). */
  genesis(firstEntries: readonly Entry[]): void {
    if (this.store.completedHeight >= 0) return;
    const byChain = new Map<string, AckedEntry[]>();
    for (const e of firstEntries) {
      const bytes = marshalEntry(e);
      byChain.set(toHex(e.chainId), [{ hash: entryHashOfBytes(bytes), bytes, minute: 0 }]);
    }
    const now = this.o.now();
    const block = buildBlock({
      height: 0,
      networkId: this.o.networkId,
      timestampMinutes: Math.floor(now / 60000),
      entriesByChain: byChain,
      tipOf: () => undefined,
    });
    this.complete(block);
    this.store.savedHeight = 0;
    this.building = { height: 1, startMs: now };
  }

  /** Start the clock at the block after the last stored one and tell contributors. */
  begin(): void {
    this.building = { height: this.store.completedHeight + 1, startMs: this.o.now() };
    this.store.savedHeight = this.store.completedHeight;
    this.lastMinute = -1;
    this.tick();
    this.notifyContributors();
  }

  /** Advance the clock to now: close finished blocks, save at minute 1, retry holding. */
  tick(): void {
    const now = this.o.now();
    let newBlock = false;
    while (blockIsOver(this.building.startMs, this.o.blockMs, now)) {
      this.closeBlock();
      let next = this.building.startMs + this.o.blockMs;
      // Short lags (a slow tick) are caught up block by block; after a long pause (process
      // suspended) factomd does not back-fill empty blocks, so neither do we.
      if (now - next >= MAX_CATCH_UP_BLOCKS * this.o.blockMs) next = now;
      this.building = { height: this.building.height + 1, startMs: next };
      this.lastMinute = -1;
      newBlock = true;
    }
    const pos = this.position();
    if (pos.minute !== this.lastMinute) {
      this.lastMinute = pos.minute;
      if (pos.minute >= 1) this.store.savedHeight = this.store.completedHeight;
      this.retryHolding(now);
    }
    if (newBlock) this.notifyContributors();
  }

  private notifyContributors(): void {
    const height = this.building.height;
    const pos = this.position();
    const ctx: BlockContext = {
      height,
      minute: pos.minute,
      savedHeight: this.store.savedHeight,
      writeEntry: (entry) => this.building.height === height && this.writeDirect(entry),
      entriesAt: (chainId, at) => this.entriesAt(chainId, at),
    };
    const failed = (c: BlockContributor, err: unknown): void =>
      this.o.log.warn({ contributor: c.name, height, ...logFields(err) }, 'block contributor failed');
    for (const c of this.o.contributors) {
      // Called synchronously so a contributor has queued its work before tick() returns.
      try {
        void Promise.resolve(c.onBlock(ctx)).catch((err: unknown) => failed(c, err));
      } catch (err) {
        failed(c, err);
      }
    }
  }

  private closeBlock(): void {
    // Anything completed earlier is saved by now (its minute 1 has passed).
    this.store.savedHeight = this.store.completedHeight;
    const block = buildBlock({
      height: this.building.height,
      networkId: this.o.networkId,
      timestampMinutes: Math.floor(this.building.startMs / 60000),
      prev: this.store.last()?.dblock,
      entriesByChain: this.acked,
      tipOf: (chain) => this.store.chainTip(chain),
    });
    this.complete(block);
    if (!this.o.minuteZeroLag) this.store.savedHeight = this.store.completedHeight;
    this.acked.clear();
    this.ackedHashes.clear();
    this.newChains.clear();
    this.prune(this.o.now());
  }

  private complete(block: ReturnType<typeof buildBlock>): void {
    this.store.add(block);
    if (this.o.dataDir) {
      this.o.dataDir.appendBlock(block);
      this.persistState();
    }
    this.o.log.debug({ height: block.dblock.header.dbHeight, eblocks: block.eblocks.length }, 'devnet block complete');
  }

  persistState(): void {
    this.o.dataDir?.saveState({ version: 1, networkId: this.o.networkId, ...this.ledger.toJson() });
  }

  private prune(now: number): void {
    for (const [k, t] of this.seenTxids) if (now - t > REPLAY_WINDOW_MS) this.seenTxids.delete(k);
    for (const [k, t] of this.revealedAt) if (now - t > REPLAY_WINDOW_MS) this.revealedAt.delete(k);
    // A paid commit whose reveal never came expires with the replay window.
    for (const [k, c] of this.paid) if (now - c.timestampMs > REPLAY_WINDOW_MS) this.paid.delete(k);
  }

  chainExists(chainId: string): boolean {
    return this.store.chainExists(chainId) || this.newChains.has(chainId);
  }

  /** Chain has entries in the block being built or the completed-unsaved one. */
  chainInProcessList(chainId: string): boolean {
    return this.acked.has(chainId) || this.store.chainInUnsavedBlock(chainId);
  }

  // ---- commits ----------------------------------------------------------------------------

  /** Synchronous part of commit-entry/commit-chain after parse/signature checks. */
  submitCommit(c: AnyCommit): CommitOutcome {
    const eh = toHex(c.entryHash);
    const existing = this.paid.get(eh) ?? this.heldCommits.find((h) => h.commit.entryHash.equals(c.entryHash))?.commit;
    if (existing && existing.credits >= c.credits && !this.revealedAt.has(eh)) return { ok: false, repeated: true };
    const now = this.o.now();
    this.processCommit(c, now, now);
    return { ok: true };
  }

  /** `receivedMs` is when the commit first arrived: holding expires relative to it. */
  private processCommit(c: AnyCommit, now: number, receivedMs: number): void {
    const txid = toHex(c.txid);
    const eh = toHex(c.entryHash);
    if (this.seenTxids.has(txid)) return this.o.log.debug({ txid }, 'devnet: replayed commit dropped');
    if (now - c.timestampMs > REPLAY_WINDOW_MS) return this.o.log.debug({ txid }, 'devnet: stale commit dropped');
    if (this.revealedAt.has(eh)) return this.o.log.debug({ eh }, 'devnet: commit for an already revealed entry dropped');
    if (c.timestampMs - now > REPLAY_WINDOW_MS || !this.ledger.debitEc(toHex(c.ecPublicKey), BigInt(c.credits))) {
      this.heldCommits.push({ commit: c, receivedMs });
      return;
    }
    this.seenTxids.set(txid, now);
    this.paid.set(eh, c);
    this.ecTxRaw.set(toHex(c.fullHash), c.bytes);
    this.commitEntryByTxid.set(txid, eh);
    this.commitTxidByEntry.set(eh, txid);
    const held = this.heldReveals.get(eh);
    if (held) this.tryReveal(held, now);
  }

  isCommitHeld(entryHashHex: string): boolean {
    return this.heldCommits.some((h) => toHex(h.commit.entryHash) === entryHashHex);
  }

  // ---- reveals ----------------------------------------------------------------------------

  /** Asynchronous part of reveal-entry/reveal-chain (the API already said Success). */
  submitReveal(entryBytes: Buffer, entry: Entry): void {
    const now = this.o.now();
    const hash = toHex(entryHashOfBytes(entryBytes));
    if (this.revealedAt.has(hash)) return this.o.log.debug({ hash }, 'devnet: repeated reveal dropped');
    this.tryReveal({ hash, bytes: entryBytes, entry, receivedMs: now }, now);
  }

  private tryReveal(r: PendingReveal, now: number): void {
    const commit = this.paid.get(r.hash);
    const chain = toHex(r.entry.chainId);
    const k = entryKSize(r.bytes.length);
    const hold = (): void => void this.heldReveals.set(r.hash, r);
    if (!commit) return hold();
    if (commit.kind === 'entry') {
      if (commit.credits < k || !this.chainExists(chain)) return hold();
    } else {
      if (commit.credits < k + 10) return hold();
      const derived = chainIdFromExtIds(r.entry.extIds);
      const valid =
        derived.equals(r.entry.chainId) &&
        sha256d(derived).equals(commit.chainIdHash) &&
        chainWeld(commit.entryHash, derived).equals(commit.weld) &&
        !this.chainExists(chain);
      if (!valid) {
        this.heldReveals.delete(r.hash);
        return this.o.log.debug({ hash: r.hash }, 'devnet: chain reveal does not match its commit; dropped');
      }
      this.newChains.add(chain);
    }
    this.heldReveals.delete(r.hash);
    this.acknowledge(chain, r.hash, r.bytes, toHex(commit.txid), now);
  }

  private acknowledge(chain: string, hash: string, bytes: Buffer, commitTxid: string, now: number): void {
    const ack: PendingAck = { hash: Buffer.from(hash, 'hex'), bytes, minute: this.position().minute, commitTxid };
    const list = this.acked.get(chain) ?? [];
    list.push(ack);
    this.acked.set(chain, list);
    this.ackedHashes.set(hash, { ...ack, chainId: chain });
    this.revealedAt.set(hash, now);
    this.paid.delete(hash);
  }

  /** Entry written by a simulated participant: paid for outside the EC ledger. */
  writeDirect(entry: Entry): boolean {
    let bytes: Buffer;
    try {
      bytes = marshalEntry(entry);
    } catch {
      return false;
    }
    const hash = toHex(entryHashOfBytes(bytes));
    const chain = toHex(entry.chainId);
    if (this.revealedAt.has(hash) || this.ackedHashes.has(hash) || this.store.completedEntry(hash)) return false;
    if (!this.chainExists(chain)) {
      if (!chainIdFromExtIds(entry.extIds).equals(entry.chainId)) return false;
      this.newChains.add(chain);
    }
    this.acknowledge(chain, hash, bytes, '', this.o.now());
    return true;
  }

  private retryHolding(now: number): void {
    const commits = this.heldCommits.splice(0);
    for (const h of commits) {
      if (now - h.receivedMs > REPLAY_WINDOW_MS) continue;
      this.processCommit(h.commit, now, h.receivedMs);
    }
    for (const r of [...this.heldReveals.values()]) {
      if (now - r.receivedMs > REPLAY_WINDOW_MS) this.heldReveals.delete(r.hash);
      else if (this.paid.has(r.hash)) this.tryReveal(r, now);
    }
  }

  // ---- lookups ----------------------------------------------------------------------------

  /** Entries of a chain in a completed block, in entry-block order. */
  entriesAt(chainId: string, height: number): Entry[] | undefined {
    const block = this.store.blockAt(height);
    if (!block) return undefined;
    const eb = block.eblocks.find((e) => toHex(e.header.chainId) === chainId);
    if (!eb) return [];
    const out: Entry[] = [];
    for (const { hash } of eblockEntries(eb)) {
      const bytes = block.entries.get(toHex(hash));
      if (bytes) out.push(unmarshalEntry(bytes));
    }
    return out;
  }

  /** Entry in the process list (building block) or held, as factomd's `entry` sees first. */
  processListEntry(hash: string): { bytes: Buffer; status: 'TransactionACK' | 'NotConfirmed' } | undefined {
    const a = this.ackedHashes.get(hash);
    if (a) return { bytes: a.bytes, status: 'TransactionACK' };
    const h = this.heldReveals.get(hash);
    if (h) return { bytes: h.bytes, status: 'NotConfirmed' };
    return undefined;
  }

  /** pending-entries: process list, completed-unsaved block, holding, and commits awaiting reveal. */
  pendingEntries(): { entryhash: string; chainid: string | null; status: string }[] {
    const out: { entryhash: string; chainid: string | null; status: string }[] = [];
    for (const e of this.store.unsavedEntries()) out.push({ entryhash: toHex(entryHashOfBytes(e.bytes)), chainid: toHex(e.entry.chainId), status: 'TransactionACK' });
    for (const [hash, a] of this.ackedHashes) out.push({ entryhash: hash, chainid: a.chainId, status: 'TransactionACK' });
    for (const [hash, c] of this.paid) out.push({ entryhash: hash, chainid: c.kind === 'chain' ? toHex(c.chainIdHash) : null, status: 'TransactionACK' });
    for (const r of this.heldReveals.values()) out.push({ entryhash: r.hash, chainid: toHex(r.entry.chainId), status: 'NotConfirmed' });
    return out;
  }

  isCommitPaid(entryHashHex: string): boolean {
    return this.paid.has(entryHashHex);
  }

  // ---- factoid transactions ----------------------------------------------------------------

  /** Apply a factoid transaction if signatures, balances and fee hold (else dropped, as factomd). */
  submitFactoidTransaction(tx: FactoidTransaction): void {
    const txid = toHex(tx.txid);
    if (this.factoidTxHeight.has(txid)) return;
    const refused = applyFactoidTransaction(this.ledger, tx, this.o.ecRate);
    if (refused) return this.o.log.debug({ txid, refused }, 'devnet: factoid tx dropped');
    this.factoidTxHeight.set(txid, this.building.height);
    this.retryHolding(this.o.now());
  }
}
