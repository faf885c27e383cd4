/**
 * Variable difficulty: each session's target moves toward one share per `shareSeconds`. A new
 * target takes effect with the next job sent to the session (targets are fixed per job, so
 * shares in flight stay valid and are credited at the target they were mined for).
 */
import { difficultyFromTarget, PDIFF, targetFromDifficulty } from '../lxr/difficulty.js';

export interface VardiffConfig {
  enabled: boolean;
  /** Wanted seconds between shares of one session. */
  shareSeconds: number;
  /** Look at the share rate at most this often, seconds. */
  retargetSeconds: number;
  /** Do nothing when the rate is within this fraction of the wanted one. */
  variance: number;
  /** Easiest and hardest targets the pool assigns. */
  minTarget: bigint;
  maxTarget: bigint;
  /** Largest change per retarget, as a factor. */
  maxStep: number;
}

export const DEFAULT_VARDIFF: VardiffConfig = {
  enabled: true,
  shareSeconds: 10,
  retargetSeconds: 60,
  variance: 0.3,
  minTarget: PDIFF,
  maxTarget: 0xffffffffff000000n,
  maxStep: 4,
};

export interface VardiffState {
  windowStart: number;
  shares: number;
}

export function newVardiffState(now: number): VardiffState {
  return { windowStart: now, shares: 0 };
}

export function clampTarget(target: bigint, min: bigint, max: bigint): bigint {
  return target < min ? min : target > max ? max : target;
}

/**
 * Counts a share and, when a window has passed, returns the target the session should get
 * next (or null when it should keep `current`).
 */
export function recordShare(state: VardiffState, cfg: VardiffConfig, current: bigint, now: number): bigint | null {
  state.shares += 1;
  return retarget(state, cfg, current, now);
}

/** Checks the window without a share (so an idle-ish miner gets an easier target). */
export function retarget(state: VardiffState, cfg: VardiffConfig, current: bigint, now: number, minTarget = cfg.minTarget): bigint | null {
  if (!cfg.enabled) return null;
  const elapsed = (now - state.windowStart) / 1000;
  if (elapsed < cfg.retargetSeconds) return null;
  const wanted = elapsed / cfg.shareSeconds;
  const ratio = Math.min(cfg.maxStep, Math.max(1 / cfg.maxStep, state.shares / wanted));
  state.windowStart = now;
  state.shares = 0;
  if (Math.abs(ratio - 1) <= cfg.variance) return null;
  const difficulty = difficultyFromTarget(current) * ratio;
  let next: bigint;
  try {
    next = targetFromDifficulty(difficulty);
  } catch {
    return null;
  }
  next = clampTarget(next, minTarget, cfg.maxTarget);
  return next === current ? null : next;
}
