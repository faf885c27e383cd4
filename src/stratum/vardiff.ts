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

/**
 * Checks the window without a share (so an idle-ish miner gets an easier target). `now` is
 * monotonic time: a wall clock stepped back would hold the window open for as long as the step.
 * Still, a `now` before the window's start restarts the window rather than freeze it, and no
 * input (zero elapsed, zero or absurd rates, odd settings) yields NaN, Infinity or an unclamped
 * target: the answer is a target within [minTarget, maxTarget] or null.
 */
export function retarget(state: VardiffState, cfg: VardiffConfig, current: bigint, now: number, minTarget = cfg.minTarget): bigint | null {
  if (!cfg.enabled) return null;
  const elapsed = (now - state.windowStart) / 1000;
  if (!(elapsed >= 0)) {
    // Time went back (or is not a number): start counting again from here.
    state.windowStart = now;
    state.shares = 0;
    return null;
  }
  if (elapsed < cfg.retargetSeconds || elapsed === 0) return null;
  const wanted = elapsed / cfg.shareSeconds;
  const ratio = Math.min(cfg.maxStep, Math.max(1 / cfg.maxStep, state.shares / wanted));
  state.windowStart = now;
  state.shares = 0;
  if (!(ratio > 0) || !Number.isFinite(ratio) || Math.abs(ratio - 1) <= cfg.variance) return null;
  const difficulty = difficultyFromTarget(current) * ratio;
  if (!(difficulty > 0) || !Number.isFinite(difficulty)) return null;
  const next = clampTarget(targetFromDifficulty(difficulty), minTarget, cfg.maxTarget);
  return next === current ? null : next;
}
