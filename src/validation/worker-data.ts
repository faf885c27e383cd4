import type { SoftMaxShared } from './softmax.js';

/** What every validation worker is handed once, at start (workers/validate.ts). */
export interface ValidateWorkerData {
  /** The LXRHash table: a view over a SharedArrayBuffer, shared, never copied. */
  table: Uint8Array;
  bits: number;
  kernel: string;
  softmax: SoftMaxShared;
  /** Fault injection: while the Int32 at 0 is positive, each batch decrements it and kills its worker half way through. */
  faults?: SharedArrayBuffer;
}
