import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobSoftMax } from '../../src/submit/index.js';
import { allocSoftMax, OFFER_ADMITTED, seededRandom, SoftMaxLimit } from '../../src/validation/index.js';

const THRESHOLD = 0xff00000000000000n;

test('candidates from several edges meet one SoftMaxLimit per job: the same admissions as one machine offered the same shares', () => {
  const rng = seededRandom(7);
  const k = 5;
  // Three edges, each passing on what its own limit admitted: 40 candidates each, interleaved as they arrive.
  const arrivals = Array.from({ length: 120 }, () => THRESHOLD + BigInt(Math.floor(rng.random() * 2 ** 50)));
  const coordinator = new JobSoftMax(k, () => THRESHOLD);
  const single = new SoftMaxLimit(allocSoftMax(k, 1));
  single.reset(0, THRESHOLD);
  const ours = arrivals.map((t) => coordinator.admit(9, t));
  const reference = arrivals.map((t) => single.offer(0, t) === OFFER_ADMITTED);
  assert.deepEqual(ours, reference);
  // Far fewer than the 120 candidates (about k * ln(n/k) + k), and the first k always pass.
  const admitted = ours.filter(Boolean).length;
  assert.ok(admitted >= k && admitted < 40, `${admitted} admitted`);
  assert.deepEqual(ours.slice(0, k), [true, true, true, true, true]);
});

test('a new job starts empty at the threshold of its time; an older job and shares at or below the threshold are refused', () => {
  let threshold = THRESHOLD;
  const limit = new JobSoftMax(2, () => threshold);
  assert.equal(limit.admit(10, THRESHOLD), false, 'at the threshold is not above it');
  assert.equal(limit.admit(10, THRESHOLD + 10n), true);
  assert.equal(limit.admit(10, THRESHOLD + 20n), true);
  assert.equal(limit.admit(10, THRESHOLD + 5n), false, 'does not beat the 2nd best');
  threshold = THRESHOLD + 100n;
  assert.equal(limit.admit(11, THRESHOLD + 50n), false, 'the new job has the new threshold');
  assert.equal(limit.admit(11, THRESHOLD + 150n), true, 'a new job: places are free again');
  assert.equal(limit.admit(10, THRESHOLD + 1000n), false, 'the previous job is over');
  // K = 0: the limit is off, every share above the threshold passes.
  const off = new JobSoftMax(0, () => THRESHOLD);
  assert.ok([1n, 2n, 3n].every((d) => off.admit(1, THRESHOLD + d)));
});
