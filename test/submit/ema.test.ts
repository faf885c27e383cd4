import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { floorDiv, nextEma } from '../../src/submit/ema.js';
import { MinuteGuard } from '../../src/submit/minute-guard.js';

describe('EMA of the network minimum target (test vectors of the original pool; docs/pegnet.md section 6)', () => {
  it('reproduces the reference values exactly', () => {
    assert.equal(nextEma(10n, 0n, 4), 10n);
    assert.equal(nextEma(18446222197702600000n, 18446024746824600000n, 36), 18446035419845032432n);
    assert.equal(nextEma(18442051839271800000n, 18443785558926500000n, 36), 18443691844350570270n);
    // A falling value needs floor division: truncation would give ...028.
    assert.equal(nextEma(123n, 21412451n, 36), 20255027n);
  });
  it('floors negative quotients and refuses bad inputs', () => {
    assert.equal(floorDiv(-7n, 2n), -4n);
    assert.equal(floorDiv(7n, 2n), 3n);
    assert.equal(floorDiv(-8n, 2n), -4n);
    assert.throws(() => floorDiv(1n, 0n), RangeError);
    assert.throws(() => nextEma(1n, 2n, 0), RangeError);
  });
  it('converges to a constant input from below, stalling within (n+1)/2 of it', () => {
    let ema = 1n;
    for (let i = 0; i < 400; i++) ema = nextEma(1_000_000n, ema, 36);
    // floor(2 (L - prev) / 37) is 0 once L - prev < 18.5.
    assert.ok(ema >= 1_000_000n - 18n && ema <= 1_000_000n, String(ema));
  });
});

describe('minute guard (as the minute keeper of the original pool)', () => {
  it('holds submissions in minute 0 of a node that follows minutes', () => {
    const g = new MinuteGuard();
    assert.equal(g.canSubmit(), true);
    g.onReading({ minute: 9, directoryBlockHeight: 100, leaderHeight: 101 });
    assert.equal(g.canSubmit(), true);
    assert.equal(g.snapshot().submitHeight, 101);
    g.onReading({ minute: 0, directoryBlockHeight: 100, leaderHeight: 101 });
    assert.equal(g.canSubmit(), false);
    g.onReading({ minute: 1, directoryBlockHeight: 101, leaderHeight: 102 });
    assert.equal(g.canSubmit(), true);
    assert.equal(g.snapshot().submitHeight, 102);
  });
  it('lets everything through when the node does not follow minutes, or cannot be read', () => {
    const g = new MinuteGuard();
    g.onReading({ minute: 0, directoryBlockHeight: 100, leaderHeight: 101 });
    assert.equal(g.canSubmit(), true);
    g.onReading({ minute: 0, directoryBlockHeight: 101, leaderHeight: 102 });
    assert.equal(g.canSubmit(), true);
    g.onReading({ minute: 5, directoryBlockHeight: 101, leaderHeight: 102 });
    g.onReading({ minute: 0, directoryBlockHeight: 101, leaderHeight: 102 });
    assert.equal(g.canSubmit(), false);
    g.onError();
    assert.equal(g.canSubmit(), true);
  });
});
