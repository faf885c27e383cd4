import assert from 'node:assert/strict';
import { test } from 'node:test';
import { creditForTarget, estimateHashrate, PDIFF, WorkWindow } from '../../src/accounting/index.js';

const T0 = 1_800_000_000_000;

test('a work window sums each key over the last windowSeconds, exact to the second, and forgets the rest', () => {
  let now = T0;
  const w = new WorkWindow({ windowSeconds: 60, now: () => now });
  const credit = creditForTarget(PDIFF);
  for (let s = 0; s < 120; s++) w.add('eu1', credit, T0 + s * 1000);
  w.add('us1', 3n * credit, T0 + 5_000);
  now = T0 + 119_999;
  // Seconds 60..119 are in the window that ends in second 119; 0..59 are not.
  assert.deepEqual(w.sum('eu1'), { credit: 60n * credit, shares: 60 });
  assert.deepEqual(w.sum('us1'), { credit: 0n, shares: 0 }, 'a share older than the window is gone');
  assert.deepEqual(w.sum('nobody'), { credit: 0n, shares: 0 });
  // A window that ends earlier sees what was credited up to then, and not what came after.
  assert.deepEqual(w.sum('eu1', T0 + 99_000), { credit: 40n * credit, shares: 40 });
});

test("a work window's figure is the one estimator's figure for its sum", () => {
  const now = T0 + 30_000;
  const w = new WorkWindow({ windowSeconds: 600, now: () => now });
  const targets = [PDIFF, 0xffffff0000000000n, 0xfffffff000000000n];
  for (const [i, target] of targets.entries()) w.add('edge', creditForTarget(target), T0 + i * 1000);
  const credit = targets.reduce((sum, t) => sum + creditForTarget(t), 0n);
  assert.deepEqual(w.figure('edge'), estimateHashrate({ credit, shares: 3 }, 600));
  assert.ok(w.figure('edge').low < w.figure('edge').value && w.figure('edge').value < w.figure('edge').high);
  assert.throws(() => new WorkWindow({ windowSeconds: 0, now: () => now }), RangeError);
});
