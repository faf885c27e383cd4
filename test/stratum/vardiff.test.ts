// Vardiff's edge cases (after the Stratum V2 reference's): time going back, zero elapsed time,
// absurd share rates and odd settings never give NaN, Infinity, a throw or an unclamped target.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { difficultyFromTarget, PDIFF } from '../../src/lxr/difficulty.js';
import { DEFAULT_VARDIFF, newVardiffState, recordShare, retarget, type VardiffConfig } from '../../src/stratum/vardiff.js';

const cfg: VardiffConfig = { ...DEFAULT_VARDIFF, shareSeconds: 10, retargetSeconds: 60, maxStep: 4, variance: 0.3, minTarget: PDIFF, maxTarget: 0xfffffff000000000n };
const START = 0xffffc00000000000n;
const ratioOf = (a: bigint, b: bigint) => difficultyFromTarget(a) / difficultyFromTarget(b);

test('time going back restarts the window instead of freezing it', () => {
  const st = newVardiffState(3_600_000);
  // An hour back: no retarget now, and the window starts again from there.
  assert.equal(retarget(st, cfg, START, 0), null);
  assert.equal(st.windowStart, 0);
  assert.equal(st.shares, 0);
  // 30 shares in the next 60 s (wanted 6): retargets as usual, by the largest step.
  for (let i = 0; i < 29; i++) assert.equal(recordShare(st, cfg, START, 1000 * i), null);
  const next = recordShare(st, cfg, START, 60_000);
  assert.ok(next !== null);
  assert.ok(Math.abs(ratioOf(next, START) - 4) < 1e-6);
});

test('zero elapsed time retargets nothing and divides by nothing', () => {
  for (const retargetSeconds of [0, 60]) {
    const st = newVardiffState(5000);
    for (let i = 0; i < 100; i++) assert.equal(recordShare(st, { ...cfg, retargetSeconds }, START, 5000), null);
    assert.equal(st.windowStart, 5000);
  }
});

test('absurd rates are bounded by the step and the target range', () => {
  // A flood: a million shares in a window is still one step of 4, and never past maxTarget.
  const flood = newVardiffState(0);
  flood.shares = 1e6;
  assert.ok(Math.abs(ratioOf(retarget(flood, cfg, START, 60_000)!, START) - 4) < 1e-6);
  const atMax = newVardiffState(0);
  atMax.shares = Number.MAX_SAFE_INTEGER;
  assert.equal(retarget(atMax, cfg, 0xffffffe000000000n, 60_000), cfg.maxTarget);
  // Silence for a year: one step easier, never below the minimum.
  assert.ok(Math.abs(ratioOf(retarget(newVardiffState(0), cfg, START, 365 * 86_400_000)!, START) - 0.25) < 1e-6);
  assert.equal(retarget(newVardiffState(0), cfg, PDIFF, 365 * 86_400_000), null);
  // The hardest possible current target (infinite difficulty) is not turned into a number.
  const hardest = newVardiffState(0);
  hardest.shares = 1000;
  assert.equal(retarget(hardest, { ...cfg, maxTarget: 2n ** 64n - 1n }, 2n ** 64n - 1n, 60_000), null);
});

test('any input gives null or a target inside [minTarget, maxTarget]', () => {
  const targets = [0n, 1n, PDIFF - 1n, PDIFF, START, 0xfffffff000000000n, 2n ** 64n - 2n, 2n ** 64n - 1n];
  const shareCounts = [0, 1, 6, 7, 1e3, 1e9, Number.MAX_SAFE_INTEGER];
  const elapsed = [-3_600_000, -1, 0, 1, 59_999, 60_000, 61_000, 1e12, Number.NaN];
  const configs: VardiffConfig[] = [
    cfg,
    { ...cfg, shareSeconds: 0 },
    { ...cfg, shareSeconds: -5 },
    { ...cfg, maxStep: 0 },
    { ...cfg, maxStep: 1 },
    { ...cfg, maxStep: Number.POSITIVE_INFINITY },
    { ...cfg, variance: 0 },
    { ...cfg, retargetSeconds: 0 },
    { ...cfg, minTarget: 0n, maxTarget: 2n ** 64n - 1n },
  ];
  let checked = 0;
  for (const c of configs) {
    for (const current of targets) {
      for (const shares of shareCounts) {
        for (const dt of elapsed) {
          const st = newVardiffState(1_000_000);
          st.shares = shares;
          const next = retarget(st, c, current, 1_000_000 + dt);
          if (next !== null) {
            assert.equal(typeof next, 'bigint');
            assert.ok(next >= c.minTarget && next <= c.maxTarget, `${next} outside the range`);
          }
          assert.ok(Number.isFinite(st.windowStart) || Number.isNaN(dt), 'the window start stays a number');
          checked += 1;
        }
      }
    }
  }
  assert.equal(checked, configs.length * targets.length * shareCounts.length * elapsed.length);
});
