import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createTableInMemory } from '../../src/lxr/index.js';
import { createShareValidator, seededRandom } from '../../src/validation/index.js';
import { checkAdmissions, desc, randomShares } from './helpers.js';

describe('SoftMaxLimit through the worker pool: several workers hammering one job', () => {
  const table = createTableInMemory(16);
  const k = 25;
  const validator = createShareValidator({ table, workers: 3, softmax: k, batchSize: 8, batchDelayMs: 0, maxInFlight: 6 });
  after(() => validator.close());
  const rng = seededRandom(42);

  for (const order of ['random', 'rising'] as const) it(`keeps the true top K and submits exactly the shares that beat the running K-th best (${order} order)`, async () => {
    const jobId = order === 'random' ? 100 : 200;
    validator.openJob(jobId, 0n);
    // Nonces of two lengths, so batches hold two groups.
    const shares = [...randomShares(table, jobId, 1500, rng.random, 8), ...randomShares(table, jobId, 1500, rng.random, 12)];
    if (order === 'rising') {
      // Nearly every share beats the K-th best: the workers race on the same places throughout.
      shares.sort((a, b) => desc(b.claimedTarget, a.claimedTarget));
    } else {
      for (let i = shares.length - 1; i > 0; i--) {
        const j = Math.floor(rng.random() * (i + 1));
        [shares[i], shares[j]] = [shares[j]!, shares[i]!];
      }
    }
    const verdicts = await Promise.all(shares.map((s) => validator.validate(s)));
    const targets = shares.map((s) => s.claimedTarget);
    const top = [...targets].sort(desc).slice(0, k);
    assert.equal(new Set(targets).size, targets.length, 'targets are distinct');
    const survivors = validator.softMaxSurvivors(jobId)!;
    assert.deepEqual(survivors, top, 'survivors are exactly the true top K');

    assert.ok(verdicts.every((v) => v.valid));
    const { submitted, blocked } = checkAdmissions(verdicts, survivors, k);
    assert.ok(submitted > k && blocked > 0);
    const admitted = new Set(verdicts.filter((v) => v.valid && v.submit).map((v) => v.valid && v.target));
    for (const t of top) assert.ok(admitted.has(t), 'the true top K were all submitted');
    validator.closeJob(jobId);
  });

  it('shares at or below the job threshold are proven but never compete', async () => {
    const shares = randomShares(table, 101, 400, rng.random);
    const sorted = shares.map((s) => s.claimedTarget).sort(desc);
    const threshold = sorted[10]!; // exactly ten shares are above it
    validator.openJob(101, threshold);
    const verdicts = await Promise.all(shares.map((s) => validator.validate(s)));
    const submitted = verdicts.filter((v) => v.valid && v.submit);
    assert.equal(submitted.length, 10, 'fewer than K above the threshold: all of them go through');
    for (const v of verdicts) if (v.valid && !v.submit) assert.ok(v.target <= threshold && v.kthBest === undefined);
    assert.deepEqual(validator.softMaxSurvivors(101)!.slice(0, 10), sorted.slice(0, 10));
    validator.closeJob(101);
  });

  it('softmax 0 disables the limit: every share above the threshold is submitted', async () => {
    const off = createShareValidator({ table, workers: 1, softmax: 0 });
    try {
      off.openJob(5, 0n);
      const verdicts = await Promise.all(randomShares(table, 5, 200, rng.random).map((s) => off.validate(s)));
      assert.ok(verdicts.every((v) => v.valid && v.submit));
    } finally {
      await off.close();
    }
  });
});
