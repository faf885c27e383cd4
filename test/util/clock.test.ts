import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock, monotonicMs, systemClock } from '../../src/util/clock.js';

test('ManualClock fires timeouts and intervals in due order as time advances', () => {
  const clock = new ManualClock(1_000_000);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push(`b@${clock.monotonic()}`), 200);
  clock.setTimeout(() => fired.push(`a@${clock.monotonic()}`), 100);
  const every = clock.setInterval(() => fired.push(`i@${clock.monotonic()}`), 150);
  clock.advance(99);
  assert.deepEqual(fired, []);
  clock.advance(251);
  assert.deepEqual(fired, ['a@100', 'i@150', 'b@200', 'i@300']);
  assert.equal(clock.now(), 1_000_350);
  clock.clearInterval(every);
  clock.advance(1000);
  assert.equal(fired.length, 4);
  assert.equal(clock.pendingTimers, 0);
});

test('ManualClock fires a timer scheduled by a firing timer when it falls inside the advance', () => {
  const clock = new ManualClock();
  const fired: number[] = [];
  clock.setTimeout(() => {
    fired.push(clock.monotonic());
    clock.setTimeout(() => fired.push(clock.monotonic()), 10);
  }, 10);
  clock.advance(25);
  assert.deepEqual(fired, [10, 20]);
});

test('a cleared timeout never fires', () => {
  const clock = new ManualClock();
  let fired = false;
  const handle = clock.setTimeout(() => (fired = true), 5);
  clock.clearTimeout(handle);
  clock.advance(10);
  assert.equal(fired, false);
});

test('stepWall moves wall time alone; monotonic time never goes back', () => {
  const clock = new ManualClock(5_000_000);
  clock.advance(1000);
  clock.stepWall(-3_600_000);
  assert.equal(clock.now(), 5_000_000 + 1000 - 3_600_000);
  assert.equal(clock.monotonic(), 1000);
  assert.throws(() => clock.advance(-1), RangeError);
});

test('the system clock reads real time and runs real timers', async () => {
  const before = monotonicMs();
  assert.ok(Math.abs(systemClock.now() - Date.now()) < 1000);
  await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 1).unref());
  assert.ok(systemClock.monotonic() >= before);
});
