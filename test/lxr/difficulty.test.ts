import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { creditForTarget } from '../../src/accounting/index.js';
import {
  PDIFF, UINT64_MAX, difficultyFromTarget, effectiveHashRate, minimumTargetFromGraded, powInput, targetFromDifficulty,
  targetFromHashes, targetFromHashRate, targetOfHash, expectedHashes,
} from '../../src/lxr/index.js';

// A small seeded PRNG so failures reproduce.
function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 2 ** 32; };
}

describe('proof-of-work target', () => {
  it('reads the first 8 bytes big-endian', () => {
    const hash = Buffer.from('9638a058c58e87b7931c8b6465aa36256e02314b83c0ac9d733974bfa2be9df3', 'hex');
    assert.equal(targetOfHash(hash), 0x9638a058c58e87b7n);
    assert.equal(targetOfHash(Buffer.alloc(8, 0xff)), UINT64_MAX);
    assert.equal(targetOfHash(Buffer.alloc(32)), 0n);
    assert.throws(() => targetOfHash(Buffer.alloc(7)), RangeError);
  });
  it('builds oprhash || nonce', () => {
    assert.deepEqual(Buffer.from(powInput(Buffer.from('aabb', 'hex'), Buffer.from('01', 'hex'))), Buffer.from('aabb01', 'hex'));
  });
});

describe('difficulty package (docs/stratum.md section 5)', () => {
  it('difficulty 1 is 65 536 expected hashes', () => {
    assert.equal(expectedHashes(PDIFF), 65536n);
    assert.equal(expectedHashes(0n), 1n);
    assert.equal(expectedHashes(UINT64_MAX), UINT64_MAX);
    // The definition divides 2^64, not 2^64 - 1: near the top the two differ by half.
    assert.equal(expectedHashes(UINT64_MAX - 2n), (1n << 64n) / 3n);
    for (const t of [0n, PDIFF, 0xfffffff000000000n, UINT64_MAX - 2n, UINT64_MAX]) assert.equal(creditForTarget(t), expectedHashes(t), 'credit is expected hashes');
    assert.equal(targetFromHashes(65536n), (UINT64_MAX * 65535n) / 65536n);
    assert.equal(targetFromHashes(1n), 0n);
    assert.throws(() => targetFromHashes(0n), RangeError);
    assert.equal(targetFromHashRate(32768, 2), targetFromHashes(65536n));
  });
  it('converts target to difficulty and back', () => {
    assert.equal(difficultyFromTarget(PDIFF), 1);
    // ~PDIFF / ~t = (2^48 - 1) / (2^47 - 1): "about 2" in the original's words.
    assert.equal(difficultyFromTarget(0xffff800000000000n), (2 ** 48 - 1) / (2 ** 47 - 1));
    assert.equal(targetFromDifficulty(1), PDIFF);
    assert.equal(targetFromDifficulty(2), 0xffff800000000000n);
    assert.equal(difficultyFromTarget(UINT64_MAX), Number.POSITIVE_INFINITY);
    assert.throws(() => targetFromDifficulty(0), RangeError);
    assert.throws(() => targetFromDifficulty(Number.NaN), RangeError);
    assert.throws(() => difficultyFromTarget(-1n), RangeError);
    assert.throws(() => difficultyFromTarget(UINT64_MAX + 1n), RangeError);
  });
  it('round-trips random targets within one unit', () => {
    const rnd = xorshift(42);
    for (let i = 0; i < 2000; i++) {
      // Targets harder than difficulty 1, spread over many orders of magnitude.
      const zeros = 16 + Math.floor(rnd() * 40);
      const tail = BigInt(Math.floor(rnd() * 2 ** 40)) << BigInt(Math.max(0, 64 - zeros - 40));
      const target = UINT64_MAX - ((1n << BigInt(64 - zeros)) + tail) + 1n;
      const back = targetFromDifficulty(difficultyFromTarget(target));
      const diff = back > target ? back - target : target - back;
      // float64 keeps 53 bits of ~t, so the round trip is exact up to ~t / 2^52.
      const tolerance = ((UINT64_MAX - target) >> 52n) + 1n;
      assert.ok(diff <= tolerance, `target ${target.toString(16)} came back as ${back.toString(16)}`);
    }
  });
  it('emulates the 64-bit-mantissa quotient rounded to float64', () => {
    // ~PDIFF / ~t for t = ~3: (2^48 - 1) / 3 is exact, and an inexact case rounds to nearest.
    assert.equal(difficultyFromTarget(UINT64_MAX - 3n), (2 ** 48 - 1) / 3);
    assert.equal(difficultyFromTarget(UINT64_MAX - 7n), (2 ** 48 - 1) / 7);
  });
});

describe('minimum network target (docs/pegnet.md section 6; test vectors of the original pool)', () => {
  const cases: [bigint, bigint][] = [
    [0xfffff00000000000n, 0xffffc00000000000n],
    [0xffffff0000000000n, 0xfffffc0000000000n],
    [0xfffffff000000000n, 0xffffffc000000000n],
  ];
  for (const [last, min] of cases) {
    it(`last graded ${last.toString(16)} with 50 spots and cutoff 200 gives ${min.toString(16)}`, () => {
      assert.equal(minimumTargetFromGraded(last, 50, 200), min);
    });
  }
  it('gives the reference hashrate for the first vector', () => {
    assert.ok(Math.abs(effectiveHashRate(0xfffff00000000000n, 50) - 109226.66666666667) < 1e-6);
  });
  it('admits everything when the network is smaller than the cutoff (the reference wrapped)', () => {
    assert.equal(minimumTargetFromGraded(0x1000000000000000n, 50, 200), 0n);
    assert.equal(minimumTargetFromGraded(0xfffff00000000000n, 0, 200), 0n);
  });
});
