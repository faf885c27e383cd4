// The pieces of the login guard on their own: failure windows with reservations, and the
// password-hash gate's per-IP bound and round-robin queue.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FailureLimiter } from '../../src/auth/failure-limiter.js';
import { HashGate } from '../../src/auth/hash-gate.js';
import { LoginGuard } from '../../src/auth/index.js';
import { isProsperError } from '../../src/errors.js';

function manualClock(t = 1_800_000_000_000) {
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

/** A promise the test resolves by hand: a password hash that takes as long as we like. */
function held<T>(value: T) {
  let release!: () => void;
  const done = new Promise<T>((r) => (release = () => r(value)));
  return { done, release };
}

describe('failure limiter', () => {
  test('blocks after max failures until the window passes; clear() resets', () => {
    const clock = manualClock();
    const l = new FailureLimiter({ maxFailures: 2, windowMs: 10_000, now: clock.now });
    assert.equal(l.retryAfter('k'), 0);
    for (let i = 0; i < 2; i++) {
      assert.deepEqual(l.reserve(['k']), { reserved: true });
      l.settle(['k'], true);
    }
    assert.equal(l.retryAfter('k'), 10);
    clock.advance(4_000);
    assert.deepEqual(l.reserve(['k']), { reserved: false, limited: true, retryAfter: 6 });
    assert.equal(l.retryAfter('other'), 0);
    clock.advance(6_000);
    assert.equal(l.retryAfter('k'), 0);
    l.reserve(['k']);
    l.settle(['k'], true);
    l.clear('k');
    assert.equal(l.retryAfter('k'), 0);
  });

  test('attempts in flight count: a burst reserves at most max, on every key or none; the rest are busy, not limited', () => {
    const clock = manualClock();
    const l = new FailureLimiter({ maxFailures: 3, windowMs: 60_000, now: clock.now });
    const outcomes = Array.from({ length: 20 }, () => l.reserve(['ip:a', 'account:x']));
    assert.equal(outcomes.filter((o) => o.reserved).length, 3);
    assert.ok(outcomes.slice(3).every((o) => !o.reserved && !o.limited), 'nothing has failed yet: busy');
    // account:y is fresh but ip:a is full: nothing is reserved on y either.
    assert.equal(l.reserve(['ip:a', 'account:y']).reserved, false);
    for (let i = 0; i < 3; i++) l.settle(['ip:a', 'account:x'], false);
    assert.deepEqual(l.reserve(['ip:b', 'account:y']), { reserved: true }, 'successes free their places');
    assert.deepEqual(l.reserve(['ip:a', 'account:x']), { reserved: true });
  });
});

describe('hash gate', () => {
  test('one IP holds at most perIp hashes running and queued; the queue is served round-robin across IPs', async () => {
    const gate = new HashGate({ concurrency: 1, perIp: 3 });
    const order: string[] = [];
    const first = held('a0');
    const running = gate.run('a', () => first.done.then((v) => (order.push(v), v)));
    const queuedA = [1, 2].map((i) => gate.run('a', async () => (order.push(`a${i}`), `a${i}`)));
    await assert.rejects(gate.run('a', async () => 'a3'), (e) => isProsperError(e, 'PROSPER_E_AUTH_BUSY'));
    const queuedB = gate.run('b', async () => (order.push('b0'), 'b0'));
    assert.deepEqual(gate.load, { running: 1, waiting: 3 });
    first.release();
    await Promise.all([running, ...queuedA, queuedB]);
    assert.deepEqual(order, ['a0', 'a1', 'b0', 'a2'], 'b waited behind one of a, not all of them');
    assert.deepEqual(gate.load, { running: 0, waiting: 0 });
    assert.equal(await gate.run('a', async () => 'again'), 'again', 'the IP may hash again once its hashes are done');
  });
});

describe('login guard', () => {
  test('a busy refusal or a thrown check does not count as a failure, and does not clear earlier ones', async () => {
    const clock = manualClock();
    const guard = new LoginGuard({ maxFailures: 2, windowSeconds: 60, hashConcurrency: 1, hashesPerIp: 1 }, clock.now);
    const who = { ip: '10.0.0.1', account: 'a@b.co' };
    await guard.attempt(who, async () => ({ value: null, outcome: 'wrong' as const }));
    const slow = held({ value: null, outcome: 'wrong' as const });
    const pending = guard.attempt(who, () => slow.done);
    // One failure and one attempt running, limit 2: the IP must wait for that attempt (busy, not limited).
    await assert.rejects(guard.attempt({ ...who, account: 'c@d.co' }, async () => ({ value: 1, outcome: 'right' as const })), (e) => isProsperError(e, 'PROSPER_E_AUTH_BUSY'));
    slow.release();
    await pending;
    await assert.rejects(guard.attempt(who, async () => ({ value: 1, outcome: 'right' as const })), (e) => isProsperError(e, 'PROSPER_E_AUTH_RATE_LIMIT') && (e as { retryAfter?: number }).retryAfter === 60);
    await assert.rejects(guard.attempt({ ip: '10.0.0.2', account: 'a@B.co ' }, async () => ({ value: 1, outcome: 'right' as const })), (e) => isProsperError(e, 'PROSPER_E_AUTH_RATE_LIMIT'), 'the account is held back from another IP too');
    clock.advance(60_000);
    assert.equal(await guard.attempt(who, async () => ({ value: 7, outcome: 'right' as const })), 7);
  });
});
