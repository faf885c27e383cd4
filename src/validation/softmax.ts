import { ProsperError } from '../errors.js';

/**
 * SoftMaxLimit (docs/stratum.md section 6): per job, the best K targets seen
 * above the job's submission threshold. A share is submitted only if its target beats the
 * current K-th best, and then takes that place. The first K such shares always pass.
 *
 * The K places are an unsorted set of cells in a SharedArrayBuffer, so every worker thread
 * updates the same structure with Atomics and no lock. The invariant that makes it
 * lock-free and exact: a cell only ever grows (its value is replaced by a larger one), so
 * - the minimum found by a scan is never above the true current minimum, and
 * - a compare-and-swap that succeeds on the scanned minimum cell replaced the true minimum
 *   at that instant (no ABA: a cell that still holds m has held m all along).
 * Each slot also keeps a hint, a lower bound of its K-th best, so the common case (a share
 * that does not qualify) costs one atomic load instead of a scan.
 *
 * Slot ownership (which job uses which slot, and when a slot may be reset) is decided by
 * one thread only (the validator on the main thread), never while workers may touch it.
 */

/** What `offer` decided. */
export const OFFER_BELOW_THRESHOLD = 0;
export const OFFER_ADMITTED = 1;
export const OFFER_BLOCKED = 2;
export type OfferResult = typeof OFFER_BELOW_THRESHOLD | typeof OFFER_ADMITTED | typeof OFFER_BLOCKED;

/** The shape handed to workers (structured-clone friendly: the buffer is shared, not copied). */
export interface SoftMaxShared {
  buffer: SharedArrayBuffer;
  k: number;
  slots: number;
}

// Per slot: [threshold, hint, cell_0 .. cell_{k-1}].
const THRESHOLD = 0;
const HINT = 1;
const CELLS = 2;
const MAX_K = 10000; // the config schema's bound for `softmax`

export function allocSoftMax(k: number, slots: number): SoftMaxShared {
  if (!Number.isInteger(k) || k < 0 || k > MAX_K) throw new ProsperError('PROSPER_E_VALIDATION_SOFTMAX', `softmax must be an integer in [0, ${MAX_K}], got ${k}`);
  if (!Number.isInteger(slots) || slots < 1 || slots > 65536) throw new ProsperError('PROSPER_E_VALIDATION_SOFTMAX', `job slots must be an integer in [1, 65536], got ${slots}`);
  return { buffer: new SharedArrayBuffer(8 * slots * (k + CELLS)), k, slots };
}

export class SoftMaxLimit {
  readonly k: number;
  readonly slots: number;
  private readonly cells: BigUint64Array;
  private readonly stride: number;
  /**
   * After `offer`: for OFFER_ADMITTED the target this share pushed out (0n for a free place),
   * for OFFER_BLOCKED the K-th best (or a lower bound of it) that the share failed to beat.
   * A field rather than a returned object: offers run on the hot path of every worker.
   */
  lastCompared = 0n;

  constructor(shared: SoftMaxShared) {
    this.k = shared.k;
    this.slots = shared.slots;
    this.stride = shared.k + CELLS;
    this.cells = new BigUint64Array(shared.buffer);
    if (this.cells.length !== this.stride * this.slots) throw new ProsperError('PROSPER_E_VALIDATION_SOFTMAX', 'SoftMaxLimit buffer does not match k and slots');
  }

  private base(slot: number): number {
    if (!Number.isInteger(slot) || slot < 0 || slot >= this.slots) throw new ProsperError('PROSPER_E_VALIDATION_SOFTMAX', `no SoftMaxLimit slot ${slot}`);
    return slot * this.stride;
  }

  /** Empties a slot for a new job. Only while no thread offers to it. */
  reset(slot: number, threshold: bigint): void {
    const b = this.base(slot);
    Atomics.store(this.cells, b + THRESHOLD, BigInt.asUintN(64, threshold));
    Atomics.store(this.cells, b + HINT, 0n);
    for (let i = 0; i < this.k; i++) Atomics.store(this.cells, b + CELLS + i, 0n);
  }

  /** Changes a slot's threshold in place (safe while workers offer: they see one or the other). */
  setThreshold(slot: number, threshold: bigint): void {
    Atomics.store(this.cells, this.base(slot) + THRESHOLD, BigInt.asUintN(64, threshold));
  }

  threshold(slot: number): bigint {
    return Atomics.load(this.cells, this.base(slot) + THRESHOLD);
  }

  /**
   * Offers a proven target. Above the threshold and K = 0: admitted (the limit is off).
   * Otherwise admitted exactly when it beats the current K-th best, which it then replaces.
   */
  offer(slot: number, target: bigint): OfferResult {
    const cells = this.cells;
    const b = this.base(slot);
    if (target <= Atomics.load(cells, b + THRESHOLD)) {
      this.lastCompared = 0n;
      return OFFER_BELOW_THRESHOLD;
    }
    if (this.k === 0) {
      this.lastCompared = 0n;
      return OFFER_ADMITTED;
    }
    const first = b + CELLS;
    const end = first + this.k;
    for (;;) {
      const hint = Atomics.load(cells, b + HINT);
      if (target <= hint) {
        this.lastCompared = hint;
        return OFFER_BLOCKED;
      }
      let minAt = first;
      let min = Atomics.load(cells, first);
      for (let i = first + 1; i < end; i++) {
        const v = Atomics.load(cells, i);
        if (v < min) {
          min = v;
          minAt = i;
        }
      }
      if (target <= min) {
        this.raiseHint(b, min);
        this.lastCompared = min;
        return OFFER_BLOCKED;
      }
      if (Atomics.compareExchange(cells, minAt, min, target) === min) {
        this.raiseHint(b, this.scanMin(first, end));
        this.lastCompared = min;
        return OFFER_ADMITTED;
      }
      // Another thread raised that cell first: look again.
    }
  }

  private scanMin(first: number, end: number): bigint {
    let min = Atomics.load(this.cells, first);
    for (let i = first + 1; i < end; i++) {
      const v = Atomics.load(this.cells, i);
      if (v < min) min = v;
    }
    return min;
  }

  /** The hint only grows, and only to a scanned minimum, so it never passes the K-th best. */
  private raiseHint(b: number, value: bigint): void {
    for (;;) {
      const h = Atomics.load(this.cells, b + HINT);
      if (value <= h || Atomics.compareExchange(this.cells, b + HINT, h, value) === h) return;
    }
  }

  /** The K places of a slot, best first (zeros are free places). */
  survivors(slot: number): bigint[] {
    const b = this.base(slot);
    const out: bigint[] = [];
    for (let i = 0; i < this.k; i++) out.push(Atomics.load(this.cells, b + CELLS + i));
    return out.sort((x, y) => (x > y ? -1 : x < y ? 1 : 0));
  }

  /** The target a share must beat now (0n while places are free or with K = 0). */
  kthBest(slot: number): bigint {
    const b = this.base(slot);
    return this.k === 0 ? 0n : this.scanMin(b + CELLS, b + CELLS + this.k);
  }
}
