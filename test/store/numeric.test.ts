// toJobId: the one place a job_id column comes back to the pool's JobId (a number).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isProsperError } from '../../src/errors.js';
import { toJobId } from '../../src/store/index.js';

test('toJobId reads every driver\'s int8 (bigint, decimal string, number) as the exact height', () => {
  for (const v of [205_000n, '205000', 205_000]) assert.equal(toJobId(v), 205_000);
  assert.equal(toJobId(BigInt(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER, 'the largest height a JobId holds exactly');
});

test('toJobId refuses what cannot be a height instead of rounding it', () => {
  for (const v of [BigInt(Number.MAX_SAFE_INTEGER) + 1n, '9223372036854775807', -1n, '1.5', 'abc', null, 2 ** 53]) {
    assert.throws(() => toJobId(v), (e) => isProsperError(e, 'PROSPER_E_STORE_NUMERIC'), String(v));
  }
});
