import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectPrice, toleranceRate, toPriceUnits, trimmedMean, truncatePrice } from '../../src/oracle/merge.js';

describe('trimmedMean', () => {
  it('is the first (highest-priority) price with fewer than three prices', () => {
    assert.equal(trimmedMean([7]), 7);
    assert.equal(trimmedMean([7, 1]), 7);
  });

  it('drops one lowest and one highest and averages the rest, without reordering the input', () => {
    const prices = [101, 99, 150, 100];
    assert.equal(trimmedMean(prices), (100 + 101) / 2);
    assert.deepEqual(prices, [101, 99, 150, 100]);
    assert.equal(trimmedMean([3, 1, 2]), 2);
  });

  it('refuses an empty list', () => {
    assert.throws(() => trimmedMean([]), RangeError);
  });
});

describe('toleranceRate', () => {
  it('is 10% below 1000 and 1% from 1000 up (the 0.1% rule was dead code)', () => {
    assert.equal(toleranceRate(999.99), 0.1);
    assert.equal(toleranceRate(1000), 0.01);
    assert.equal(toleranceRate(250_000), 0.01);
  });
});

describe('selectPrice', () => {
  it('returns the first price for versions before 5', () => {
    for (const v of [1, 2, 3, 4] as const) assert.equal(selectPrice(v, [150, 100, 101]), 150);
  });

  it('V5: keeps priority order inside the band (the seed returned the lowest in-band price)', () => {
    // mean of [99.5, 101] after trimming 80 and 150 = 100.25, band ±10%: 101 and 99.5 are in.
    assert.equal(selectPrice(5, [150, 101, 99.5, 80]), 101);
    // Priority order 70000, 64100, 64000: mean 64100, band ±1%: 64100 first (seed: 64000).
    assert.equal(selectPrice(5, [70000, 64100, 64000]), 64100);
  });

  it('V5: uses 1% from 1000 up, so a 1.25% outlier is skipped', () => {
    assert.equal(selectPrice(5, [2030, 2000, 1990, 2010]), 2000);
  });

  it('V5: falls back to the first price when none is in the band', () => {
    assert.equal(selectPrice(5, [10, 10.5, 100, 101]), 10);
  });

  it('V5: with one or two prices the first one wins', () => {
    assert.equal(selectPrice(5, [5]), 5);
    assert.equal(selectPrice(5, [5, 500]), 5);
  });

  it('is undefined without prices', () => {
    assert.equal(selectPrice(5, []), undefined);
    assert.equal(selectPrice(2, []), undefined);
  });
});

describe('truncation and units', () => {
  it('truncates to 8 decimals (4 for V1) and yields uint64 1e-8 units', () => {
    assert.equal(truncatePrice(2, 0.123456789), 0.12345678);
    assert.equal(toPriceUnits(2, 0.123456789), 12345678n);
    assert.equal(toPriceUnits(1, 0.123456789), 12340000n);
    assert.equal(toPriceUnits(5, 64000.12), 6400012000000n);
    assert.equal(toPriceUnits(5, 1), 100000000n);
  });

  it('truncates like the reference, float error included (0.29·1e8 = 28999999.99…)', () => {
    assert.equal(toPriceUnits(5, 0.29), 28999999n);
  });

  it('truncates tiny prices to 0 and rejects negative or non-finite ones', () => {
    assert.equal(toPriceUnits(5, 0.000000009), 0n);
    assert.throws(() => toPriceUnits(5, -1), RangeError);
    assert.throws(() => toPriceUnits(5, Number.NaN), RangeError);
    assert.throws(() => toPriceUnits(5, 1e12), RangeError);
  });
});
