import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createTableInMemory, loadOrCreateTable, targetOfHash } from '../../src/lxr/index.js';
import { createShareValidator, type ShareToValidate } from '../../src/validation/index.js';
import { lxrTableVectors } from '../helpers/lxr-vectors.js';
import { hexBytes } from './helpers.js';

// Every reference vector long enough to be oprhash (32 bytes) || nonce (1+ bytes) becomes a
// share; the verdicts come from the real worker pool, all in flight at once so that one batch
// mixes nonce lengths (8, 2, 9 and 68 bytes).
// The 1 GiB table only when asked for (npm run test:full).
const full = process.env.PROSPER_TEST_FULL !== undefined && process.env.PROSPER_TEST_FULL !== '';
for (const t of ([10, 16, 20, 30] as const).map(lxrTableVectors)) {
  const skip = t.map_size_bits === 30 && !full ? 'needs the 30-bit table: set PROSPER_TEST_FULL' : false;
  describe(`verdicts through the worker pool, ${t.map_size_bits}-bit table`, { skip }, async () => {
    const table = t.map_size_bits === 30 ? await loadOrCreateTable({ bits: 30 }) : createTableInMemory(t.map_size_bits);
    const validator = createShareValidator({ table, workers: 2, batchSize: 64, batchDelayMs: 5 });
    after(() => validator.close());
    const jobId = 7;
    const vectors = t.vectors.filter((v) => v.input_hex.length / 2 > 32);
    const shareOf = (input: Uint8Array, claimedTarget: bigint, minTarget = 0n): ShareToValidate => ({
      jobId,
      oprHash: input.subarray(0, 32),
      nonce: input.subarray(32),
      claimedTarget,
      minTarget,
    });

    it('proves every reference share and computes the reference target', async () => {
      assert.ok(vectors.length >= 8);
      validator.openJob(jobId, 0n);
      const expected = vectors.map((v) => targetOfHash(hexBytes(v.output_hex)));
      const verdicts = await Promise.all(vectors.map((v, i) => validator.validate(shareOf(hexBytes(v.input_hex), expected[i]!))));
      verdicts.forEach((verdict, i) => {
        assert.equal(verdict.valid, true, vectors[i]!.name);
        if (verdict.valid) {
          assert.equal(verdict.target, expected[i], vectors[i]!.name);
          assert.equal(verdict.sampled, true);
        }
      });
      // The zero32+nonce vectors: oprhash of 32 zero bytes and an 8-byte big-endian nonce.
      const zero = vectors.filter((v) => v.name.startsWith('zero32+nonce'));
      assert.equal(zero.length, 4);
      for (const v of zero) assert.deepEqual(hexBytes(v.input_hex).subarray(0, 32), new Uint8Array(32));
      assert.equal(validator.stats().proven, vectors.length);
    });

    it('rejects a claim one off the reference target, and reports the true one', async () => {
      const verdicts = await Promise.all(
        vectors.map((v) => validator.validate(shareOf(hexBytes(v.input_hex), targetOfHash(hexBytes(v.output_hex)) ^ 1n))),
      );
      verdicts.forEach((verdict, i) => {
        assert.equal(verdict.valid, false);
        if (!verdict.valid) {
          assert.equal(verdict.reason, 'target-mismatch');
          assert.equal(verdict.target, targetOfHash(hexBytes(vectors[i]!.output_hex)));
        }
      });
    });

    it('rejects a share whose target is below the session minimum', async () => {
      const v = vectors[0]!;
      const target = targetOfHash(hexBytes(v.output_hex));
      const verdict = await validator.validate(shareOf(hexBytes(v.input_hex), target, target + 1n));
      assert.equal(verdict.valid, false);
      assert.equal(!verdict.valid && verdict.reason, 'below-minimum');
      const ok = await validator.validate(shareOf(hexBytes(v.input_hex), target, target));
      assert.equal(ok.valid, true, 'reaching the minimum exactly is enough');
    });
  });
}
