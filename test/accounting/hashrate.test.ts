import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CREDIT_PER_PDIFF, creditForTarget, estimateHashrate, gammaQuantile, hashratesFromWork, poissonInterval,
} from '../../src/accounting/index.js';
import { seededRandom } from '../hostile/helpers.js';

const close = (actual: number, expected: number, rel = 1e-9, what = '') =>
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)), `${what} ${actual} != ${expected}`);

/** ln P(X = i) for X ~ Poisson(mu), summed directly: an independent check of the Gamma quantiles. */
function poissonTail(mu: number, k: number, upper: boolean): number {
  let logTerm = -mu; // i = 0
  let sum = 0;
  const terms: number[] = [];
  for (let i = 0; i <= Math.max(k, Math.ceil(mu * 3 + 200)); i++) {
    if (i > 0) logTerm += Math.log(mu) - Math.log(i);
    terms.push(logTerm);
  }
  for (let i = 0; i < terms.length; i++) if (upper ? i >= k : i <= k) sum += Math.exp(terms[i]);
  return sum;
}

test('the 95 % Poisson interval is the exact (Garwood) one: reference values and the tail sums that define it', () => {
  // Reference: scipy.stats.gamma.ppf(0.025, k) and gamma.ppf(0.975, k + 1).
  const reference: [number, number, number][] = [
    [0, 0, 3.6888794541139354],
    [1, 0.025317807984289876, 5.571643390938898],
    [3, 0.6186721228956014, 8.767273069742323],
    [10, 4.7953886961324335, 18.39035604201778],
    [3000, 2893.5986209846633, 3109.313530471967],
  ];
  for (const [k, low, high] of reference) {
    const i = poissonInterval(k);
    close(i.low, low, 1e-9, `low(${k})`);
    close(i.high, high, 1e-9, `high(${k})`);
  }
  // The definition itself: at the lower end, seeing k or more has probability 2.5 %; at the upper
  // end, seeing k or fewer has probability 2.5 %.
  for (const k of [0, 1, 2, 3, 7, 20, 150, 3000]) {
    const i = poissonInterval(k);
    if (k > 0) close(poissonTail(i.low, k, true), 0.025, 1e-8, `P(X>=${k}|low)`);
    close(poissonTail(i.high, k, false), 0.025, 1e-8, `P(X<=${k}|high)`);
  }
  assert.throws(() => poissonInterval(-1), RangeError);
  assert.throws(() => poissonInterval(1.5), RangeError);
  assert.throws(() => gammaQuantile(0, 2), RangeError);
  // Extreme shapes still converge.
  close(gammaQuantile(0.5, 1), Math.LN2, 1e-12, 'median of Exp(1)');
  assert.ok(Number.isFinite(poissonInterval(1_000_000).high));
});

test('a hashrate is credited expected hashes over the window, with the band scaled from the share count', () => {
  // 100 PDiff shares in 100 s: 65 536 H/s.
  const e = estimateHashrate({ credit: 100n * CREDIT_PER_PDIFF, shares: 100 }, 100);
  const i = poissonInterval(100);
  assert.equal(e.value, 65_536);
  close(e.low, (65_536 * i.low) / 100);
  close(e.high, (65_536 * i.high) / 100);
  assert.deepEqual([e.windowSeconds, e.shares], [100, 100]);
  // No share: 0, and the upper end is 3.69 shares at the starting target (PDiff) over the window.
  const idle = estimateHashrate({ credit: 0n, shares: 0 }, 600);
  assert.deepEqual([idle.value, idle.low, idle.shares], [0, 0, 0]);
  close(idle.high, (3.6888794541139354 * 65_536) / 600);
  // 3 shares: a wide band, not ±1/sqrt(3).
  const three = estimateHashrate({ credit: 3n * CREDIT_PER_PDIFF, shares: 3 }, 60);
  close(three.low / three.value, 0.6186721228956014 / 3);
  close(three.high / three.value, 8.767273069742323 / 3);
  assert.throws(() => estimateHashrate({ credit: 5n, shares: 5 }, 0), RangeError);

  const at = 1_700_000_000_000;
  const all = hashratesFromWork([
    { userId: 1n, miner: 'a', credit: 600n, shares: 4n, lastShare: new Date(at - 5000) },
    { userId: 1n, miner: 'b', credit: 400n, shares: 4n, lastShare: new Date(at - 1000) },
    { userId: 2n, miner: 'a', credit: 1000n, shares: 1n, lastShare: new Date(at - 9000) },
  ], 10, at);
  assert.equal(all.pool.value, 200);
  assert.equal(all.pool.shares, 9);
  assert.equal(all.users.get(1n)?.value, 100, 'a user is the sum of their miners');
  assert.equal(all.users.get(1n)?.shares, 8);
  assert.equal(all.miners.get('1/b')?.value, 40);
  assert.equal(all.lastShares.get('1/b'), at - 1000);
  assert.equal(all.at, at);
});


test('coverage: over many windows of exactly simulated Poisson share streams, the 95 % band holds the true rate 93-97 % of the time', () => {
  // Miners from 1 share per minute to 100 shares per second, each at its own assigned target
  // (difficulty 2^d: credit exactly 2^d expected hashes per share), over the default 10-minute window.
  const windowSeconds = 600;
  const windows = 300;
  const miners = [
    { sharesPerSecond: 1 / 60, bits: 20 },
    { sharesPerSecond: 1 / 6, bits: 18 },
    { sharesPerSecond: 1, bits: 16 },
    { sharesPerSecond: 10, bits: 12 },
    { sharesPerSecond: 100, bits: 8 },
  ];
  const random = seededRandom(20261202);
  let inside = 0;
  let total = 0;
  for (const m of miners) {
    const target = (1n << 64n) - (1n << BigInt(64 - m.bits));
    const credit = creditForTarget(target);
    assert.equal(credit, 1n << BigInt(m.bits));
    const trueRate = m.sharesPerSecond * Number(credit);
    // One continuous stream (exponential gaps) cut into consecutive windows.
    let t = -Math.log(1 - random()) / m.sharesPerSecond;
    for (let w = 0; w < windows; w++) {
      const end = (w + 1) * windowSeconds;
      let k = 0;
      while (t < end) {
        k++;
        t += -Math.log(1 - random()) / m.sharesPerSecond;
      }
      const f = estimateHashrate({ credit: credit * BigInt(k), shares: k }, windowSeconds, credit);
      total++;
      if (f.low <= trueRate && trueRate <= f.high) inside++;
    }
  }
  const coverage = inside / total;
  assert.ok(coverage >= 0.93 && coverage <= 0.97, `coverage ${coverage} over ${total} windows`);
});
