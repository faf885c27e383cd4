import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { isProsperError } from '../../src/errors.js';
import { createTableInMemory } from '../../src/lxr/index.js';
import { createShareValidator, seededRandom, type ShareToValidate } from '../../src/validation/index.js';
import { checkAdmissions, desc, randomShares } from './helpers.js';

const table = createTableInMemory(12);
const rng = seededRandom(7);

describe('worker failure', () => {
  const k = 5;
  const validator = createShareValidator({ table, workers: 2, batchSize: 32, batchDelayMs: 5, softmax: k });
  after(() => validator.close());
  validator.openJob(1, 0n);

  it('a worker dying mid-batch is replaced and the batch retried once: correct verdicts, no share offered twice', async () => {
    const shares = randomShares(table, 1, 20, rng.random);
    validator.crashNextBatches(1);
    const verdicts = await Promise.all(shares.map((s) => validator.validate(s)));
    verdicts.forEach((v, i) => {
      assert.equal(v.valid, true);
      assert.equal(v.valid && v.target, shares[i]!.claimedTarget);
    });
    assert.equal(validator.stats().retried, 1);
    assert.equal(validator.stats().failed, 0);
    // The first attempt decided half the shares before dying; the retry must not offer those
    // again (a duplicate would push a legitimate share out of the top K).
    const survivors = validator.softMaxSurvivors(1)!;
    assert.deepEqual(survivors, shares.map((s) => s.claimedTarget).sort(desc).slice(0, k));
    checkAdmissions(verdicts, survivors, k);
  });

  it('a batch that kills its worker twice fails with a clear error, and the pool goes on', async () => {
    const shares = randomShares(table, 1, 20, rng.random);
    validator.crashNextBatches(2);
    const verdicts = await Promise.all(shares.map((s) => validator.validate(s)));
    for (const v of verdicts) {
      assert.equal(v.valid, false);
      if (!v.valid) {
        assert.equal(v.reason, 'failed');
        assert.match(v.message, /failed twice.*exited with code: 70/);
      }
    }
    assert.equal(validator.stats().failed, 20);
    // Replacement workers prove the next shares.
    const again = randomShares(table, 1, 40, rng.random);
    const ok = await Promise.all(again.map((s) => validator.validate(s)));
    assert.ok(ok.every((v, i) => v.valid && v.target === again[i]!.claimedTarget));
  });
});

describe('batching', () => {
  /** A one-worker validator with job 1 open, closed after `fn`. */
  async function withValidator(batching: { batchSize: number; batchDelayMs: number }, fn: (v: ReturnType<typeof createShareValidator>) => Promise<void>): Promise<void> {
    const v = createShareValidator({ table, workers: 1, ...batching });
    try {
      v.openJob(1, 0n);
      await fn(v);
    } finally {
      await v.close();
    }
  }

  it('sends a batch as soon as it is full, without waiting for the delay', { timeout: 120_000 }, async () => {
    // A delay longer than any test run: a share can only be answered because its batch filled.
    await withValidator({ batchSize: 5, batchDelayMs: 3_600_000 }, async (v) => {
      const full = await Promise.all(randomShares(table, 1, 10, rng.random).map((s) => v.validate(s)));
      assert.ok(full.every((x) => x.valid));
      assert.equal(v.stats().batches, 2, 'ten shares, two full batches of five');
      // A lone share is held: it is not sent alone but in the batch the next four fill.
      let loneAnswered = false;
      const [lone, ...four] = randomShares(table, 1, 5, rng.random);
      const loneVerdict = v.validate(lone!).then((x) => ((loneAnswered = true), x));
      await new Promise((r) => setImmediate(r));
      assert.equal(v.stats().batches, 2, 'the lone share was not sent by itself');
      assert.equal(loneAnswered, false);
      const rest = await Promise.all(four.map((s) => v.validate(s)));
      assert.ok((await loneVerdict).valid && rest.every((x) => x.valid));
      assert.equal(v.stats().batches, 3, 'the lone share went out with the four that filled its batch');
    });
  });

  it('sends a batch that is not full once the delay after its first share is over', { timeout: 120_000 }, async () => {
    await withValidator({ batchSize: 1000, batchDelayMs: 20 }, async (v) => {
      // Nothing else arrives: only the delay can send these (they would wait forever otherwise).
      const verdicts = await Promise.all(randomShares(table, 1, 3, rng.random).map((s) => v.validate(s)));
      assert.ok(verdicts.every((x) => x.valid));
      assert.equal(v.stats().batches, 1, 'the three shares went out together, in one batch');
    });
  });
});

describe('bounded queue, sampling, jobs', () => {
  const mismatches: [ShareToValidate, bigint][] = [];
  let nextRandom: number[] = [];
  const validator = createShareValidator({
    table,
    workers: 1,
    batchSize: 1000,
    batchDelayMs: 30,
    maxPending: 10,
    maxJobs: 2,
    onMismatch: (share, computed) => mismatches.push([share, computed]),
  });
  const sampler = createShareValidator({
    table,
    workers: 1,
    sampleOneIn: 4,
    random: () => nextRandom.shift() ?? 0,
    onMismatch: (share, computed) => mismatches.push([share, computed]),
  });
  after(() => Promise.all([validator.close(), sampler.close()]));

  it('a full queue answers busy at once, never drops a share silently, and recovers', async () => {
    validator.openJob(2, 0n);
    const shares = randomShares(table, 2, 15, rng.random);
    const verdicts = await Promise.all(shares.map((s) => validator.validate(s)));
    const busy = verdicts.filter((v) => !v.valid && v.reason === 'busy');
    assert.equal(busy.length, 5);
    assert.ok(verdicts.slice(0, 10).every((v, i) => v.valid && v.target === shares[i]!.claimedTarget));
    assert.ok(verdicts.slice(10).every((v) => !v.valid && v.reason === 'busy' && /queue full/.test(v.message)));
    assert.equal(validator.stats().busy, 5);
    assert.equal(validator.stats().pending, 0);
    const later = await validator.validate(shares[12]!);
    assert.equal(later.valid, true, 'room again once verdicts are in');
  });

  it('sampling is off by default: every share is hashed and a lying claim is caught', async () => {
    validator.openJob(2, 0n);
    const [honest, liar] = randomShares(table, 2, 2, rng.random);
    const lie = { ...liar!, claimedTarget: liar!.claimedTarget ^ 0xffn };
    const [a, b] = await Promise.all([validator.validate(honest!), validator.validate(lie)]);
    assert.ok(a.valid && a.sampled);
    assert.ok(!b.valid && b.reason === 'target-mismatch' && b.target === liar!.claimedTarget);
    assert.equal(mismatches.length, 1);
    assert.equal(mismatches[0]![1], liar!.claimedTarget);
    assert.equal(validator.stats().unsampled, 0);
  });

  it('with sampling on, one in N shares below the threshold is hashed; a share that could be submitted always is', async () => {
    mismatches.length = 0;
    const shares = randomShares(table, 3, 4, rng.random);
    const threshold = [...shares].map((s) => s.claimedTarget).sort((x, y) => (x < y ? -1 : 1))[1]!; // two at or below, two above
    sampler.openJob(3, threshold);
    const below = shares.filter((s) => s.claimedTarget <= threshold);
    const above = shares.filter((s) => s.claimedTarget > threshold);
    const lies = below.map((s) => ({ ...s, claimedTarget: s.claimedTarget - 1n }));
    // random() < 1/4 samples: the first lie is sampled (0.1), the second is not (0.9).
    nextRandom = [0.1, 0.9];
    assert.equal(lies.length, 2);
    const [caught, missed] = await Promise.all(lies.map((s) => sampler.validate(s)));
    assert.ok(!caught!.valid && caught!.reason === 'target-mismatch');
    assert.deepEqual(missed, { valid: true, target: lies[1]!.claimedTarget, submit: false, sampled: false });
    assert.equal(mismatches.length, 1, 'the penalty hook saw the sampled liar');
    nextRandom = [0.9, 0.9];
    const proven = await Promise.all(above.map((s) => sampler.validate(s)));
    assert.ok(proven.every((v) => v.valid && v.sampled && v.submit));
    assert.equal(sampler.stats().unsampled, 1);
  });

  it('unknown and closed jobs, recycled slots, bad input', async () => {
    validator.openJob(2, 0n); // no-op if open: with job 9 below, both slots are taken
    const [s] = randomShares(table, 9, 1, rng.random);
    const unknown = await validator.validate(s!);
    assert.ok(!unknown.valid && unknown.reason === 'unknown-job');
    validator.openJob(9, 0n);
    assert.throws(() => validator.openJob(10, 0n), (e) => isProsperError(e, 'PROSPER_E_VALIDATION_JOBS_FULL'));
    assert.ok((await validator.validate(s!)).valid);
    assert.equal(validator.softMaxSurvivors(9)![0], s!.claimedTarget);
    // Announced again with a new threshold: the list is kept, the threshold applies.
    validator.openJob(9, s!.claimedTarget);
    assert.equal(validator.softMaxSurvivors(9)![0], s!.claimedTarget);
    const atThreshold = await validator.validate(s!);
    assert.ok(atThreshold.valid && !atThreshold.submit && atThreshold.kthBest === undefined);
    validator.openJob(9, 0n);
    // A share in flight keeps the slot until its verdict is in.
    const inFlight = validator.validate({ ...s!, nonce: new Uint8Array([1, 2, 3]) });
    validator.closeJob(9);
    assert.throws(() => validator.openJob(10, 0n), (e) => isProsperError(e, 'PROSPER_E_VALIDATION_JOBS_FULL'));
    await inFlight;
    validator.openJob(10, 0n);
    assert.deepEqual(validator.softMaxSurvivors(10), new Array(25).fill(0n), 'the recycled slot starts empty');
    const closed = await validator.validate(s!);
    assert.ok(!closed.valid && closed.reason === 'unknown-job');
    const bad = (share: Partial<ShareToValidate>) =>
      assert.rejects(validator.validate({ ...s!, jobId: 10, ...share }), (e) => isProsperError(e, 'PROSPER_E_VALIDATION_SHARE'));
    await bad({ oprHash: new Uint8Array(31) });
    await bad({ nonce: new Uint8Array(0) });
    await bad({ nonce: new Uint8Array(1025) });
    await bad({ claimedTarget: -1n });
    await bad({ minTarget: 1n << 64n });
    await bad({ jobId: 1.5 });
    assert.throws(() => validator.openJob(11, -5n), (e) => isProsperError(e, 'PROSPER_E_VALIDATION_JOB'));
  });

  it('rejects bad options with coded errors', () => {
    for (const o of [{ workers: 0 }, { batchSize: 1.5 }, { softmax: -1 }, { maxPending: 0 }, { sampleOneIn: 0 }, { kernel: 'sse9' }]) {
      assert.throws(() => createShareValidator({ table, ...o }), (e) => isProsperError(e, 'PROSPER_E_VALIDATION_CONFIG'), JSON.stringify(o));
    }
    const copied = { ...table, bytes: new Uint8Array(table.bytes) }; // an ordinary ArrayBuffer
    assert.throws(() => createShareValidator({ table: copied }), (e) => isProsperError(e, 'PROSPER_E_VALIDATION_CONFIG'));
    const short = { ...table, bits: table.bits + 1 };
    assert.throws(() => createShareValidator({ table: short }), (e) => isProsperError(e, 'PROSPER_E_VALIDATION_CONFIG'));
  });

  it('close() settles every share in flight first, then refuses new ones', async () => {
    const v = createShareValidator({ table, workers: 1, batchDelayMs: 50 });
    v.openJob(1, 0n);
    const shares = randomShares(table, 1, 5, rng.random);
    const pending = shares.map((s) => v.validate(s));
    await v.close();
    const verdicts = await Promise.all(pending);
    assert.ok(verdicts.every((x, i) => x.valid && x.target === shares[i]!.claimedTarget));
    const after = await v.validate(shares[0]!);
    assert.ok(!after.valid && after.reason === 'failed');
  });
});
