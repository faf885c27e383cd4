import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retry, retryWait, type RetryPolicy } from '../../src/util/retry.js';

const policy = (over: Partial<RetryPolicy> = {}): RetryPolicy => ({
  attempts: 4, backoffMs: 100, maxBackoffMs: 250, jitter: 0.5, retryable: (err) => (err as Error).message === 'transient', ...over,
});

test('a retryable failure is tried exactly `attempts` times, waiting with capped doubling backoff', async () => {
  let calls = 0;
  const waits: number[] = [];
  await assert.rejects(
    retry(policy(), async () => { calls += 1; throw new Error('transient'); }, { random: () => 0, sleep: async (ms) => void waits.push(ms) }),
    /transient/,
  );
  assert.equal(calls, 4);
  assert.deepEqual(waits, [100, 200, 250]);
});

test('a non-retryable failure is tried once; a success reports its attempt', async () => {
  let calls = 0;
  await assert.rejects(retry(policy(), async () => { calls += 1; throw new Error('final'); }, { sleep: async () => {} }), /final/);
  assert.equal(calls, 1);
  let n = 0;
  const r = await retry(policy(), async () => { n += 1; if (n < 3) throw new Error('transient'); return 'ok'; }, { sleep: async () => {} });
  assert.deepEqual(r, { value: 'ok', attempts: 3 });
});

test('jitter takes at most its fraction off each wait', () => {
  const p = policy();
  assert.equal(retryWait(p, 1, () => 0), 100);
  assert.equal(retryWait(p, 1, () => 1), 50);
  for (let i = 0; i < 100; i++) {
    const w = retryWait(p, 2, Math.random);
    assert.ok(w >= 100 && w <= 200, String(w));
  }
});
