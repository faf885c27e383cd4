/**
 * Which OPR version is graded at a height (docs/pegnet.md section 3), for MainNet,
 * for `--testing` (every gate at 0, so V5 everywhere) and for `--testing --act N` (every gate
 * at N: the original pool read --act with the wrong type and always used 0).
 */
import { ProsperError } from '../errors.js';

export type OprVersion = 1 | 2 | 3 | 4 | 5;

export interface ActivationHeights {
  /** Last height before PegNet: sync starts after it (MainNet 206421, first OPR block 206422). */
  readonly pegnet: number;
  readonly v2: number;
  readonly v3: number;
  readonly v4: number;
  readonly v5: number;
}

export const MAINNET_ACTIVATIONS: ActivationHeights = Object.freeze({
  pegnet: 206421,
  v2: 210330,
  v3: 222270,
  v4: 231620,
  v5: 258796,
});

/** Every gate at `act` (default 0): V5 from `act` on, grading from act + 1. */
export function testingActivations(act = 0): ActivationHeights {
  if (!Number.isSafeInteger(act) || act < 0) {
    throw new ProsperError('PROSPER_E_PEGNET_ACTIVATION', `activation height must be a non-negative integer, got ${act}`);
  }
  return Object.freeze({ pegnet: act, v2: act, v3: act, v4: act, v5: act });
}

/** Activation heights from the pool's flags: MainNet unless testing. */
export function activationsFromFlags(flags: { testing?: boolean; act?: number | string }): ActivationHeights {
  if (!flags.testing) return MAINNET_ACTIVATIONS;
  const raw = flags.act ?? 0;
  const act = typeof raw === 'string' ? (/^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN) : raw;
  return testingActivations(act);
}

/** The OPR version graded at `height`: V1 below the V2 gate, and so on. */
export function oprVersionAt(height: number, acts: ActivationHeights = MAINNET_ACTIVATIONS): OprVersion {
  if (height >= acts.v5) return 5;
  if (height >= acts.v4) return 4;
  if (height >= acts.v3) return 3;
  if (height >= acts.v2) return 2;
  return 1;
}

export function isOprVersion(v: unknown): v is OprVersion {
  return v === 1 || v === 2 || v === 3 || v === 4 || v === 5;
}

/** How many winners a block of this version has (and how many previous winners an OPR carries). */
export function winnerCount(version: OprVersion): number {
  return version === 1 ? 10 : 25;
}

/** The first height the sync loop grades. */
export function firstSyncHeight(acts: ActivationHeights): number {
  return acts.pegnet + 1;
}
