/**
 * The binary layout of one batch of shares in a SharedArrayBuffer. The main thread packs it,
 * a worker hashes it and writes the results into the same buffer, so a batch crosses the
 * thread boundary as a handle: nothing is serialised or copied either way, and the buffer is
 * still whole on the main thread if the worker dies (the retry needs it).
 *
 *   u32[4]      n, group count, input bytes, layout version
 *   u32[2*g]    per group: input length, share count (inputs of one length are adjacent,
 *               so the kernel hashes each group in lanes without gathering)
 *   u64[n]      claimed target
 *   u64[n]      computed target (out)   u64[n]  compared K-th best / displaced target (out)
 *   i32[n]      SoftMaxLimit slot
 *   u8[n]       status (out)
 *   bytes       inputs: oprhash || nonce, in share order
 */
import { ProsperError } from '../errors.js';
export const BATCH_LAYOUT_VERSION = 1;

/** Per-share outcome written by the worker. */
export const STATUS_PENDING = 0;
export const STATUS_VALID = 1; // proven, not submitted (below threshold or blocked by SoftMaxLimit)
export const STATUS_SUBMIT = 2; // proven and admitted for submission
export const STATUS_MISMATCH = 3;

export interface BatchLayout {
  n: number;
  groups: number;
  inputBytes: number;
  offGroups: number;
  offClaimed: number;
  offTarget: number;
  offCompared: number;
  offSlot: number;
  offStatus: number;
  offInputs: number;
  totalBytes: number;
}

const align8 = (x: number) => (x + 7) & ~7;

export function batchLayout(n: number, groups: number, inputBytes: number): BatchLayout {
  const offGroups = 16;
  const offClaimed = align8(offGroups + 8 * groups);
  const offTarget = offClaimed + 8 * n;
  const offCompared = offTarget + 8 * n;
  const offSlot = offCompared + 8 * n;
  const offStatus = offSlot + 4 * n;
  const offInputs = offStatus + n;
  return { n, groups, inputBytes, offGroups, offClaimed, offTarget, offCompared, offSlot, offStatus, offInputs, totalBytes: offInputs + inputBytes };
}

/** Typed views of a packed batch (one per thread; cheap). */
export interface BatchViews {
  layout: BatchLayout;
  groups: Uint32Array;
  claimed: BigUint64Array;
  target: BigUint64Array;
  compared: BigUint64Array;
  slot: Int32Array;
  status: Uint8Array;
  inputs: Uint8Array;
}

export function writeHeader(buffer: SharedArrayBuffer, layout: BatchLayout): void {
  new Uint32Array(buffer, 0, 4).set([layout.n, layout.groups, layout.inputBytes, BATCH_LAYOUT_VERSION]);
}

export function viewsOf(buffer: SharedArrayBuffer, layout?: BatchLayout): BatchViews {
  let l = layout;
  if (!l) {
    const h = new Uint32Array(buffer, 0, 4);
    if (h[3] !== BATCH_LAYOUT_VERSION) throw new ProsperError('PROSPER_E_VALIDATION_BATCH', `batch layout version ${h[3]}, expected ${BATCH_LAYOUT_VERSION}`);
    l = batchLayout(h[0]!, h[1]!, h[2]!);
  }
  if (l.totalBytes > buffer.byteLength) throw new ProsperError('PROSPER_E_VALIDATION_BATCH', `batch of ${l.totalBytes} bytes in a buffer of ${buffer.byteLength}`);
  return {
    layout: l,
    groups: new Uint32Array(buffer, l.offGroups, 2 * l.groups),
    claimed: new BigUint64Array(buffer, l.offClaimed, l.n),
    target: new BigUint64Array(buffer, l.offTarget, l.n),
    compared: new BigUint64Array(buffer, l.offCompared, l.n),
    slot: new Int32Array(buffer, l.offSlot, l.n),
    status: new Uint8Array(buffer, l.offStatus, l.n),
    inputs: new Uint8Array(buffer, l.offInputs, l.inputBytes),
  };
}
