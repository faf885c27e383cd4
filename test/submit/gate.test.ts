import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minimumTargetFromGraded } from '../../src/lxr/index.js';
import { MinuteGuard, SubmissionGate, nextEma } from '../../src/submit/index.js';

describe('submission gate', () => {
  it('estimates the minimum target from the least of the best 50 graded proofs of work and smooths it', () => {
    const gate = new SubmissionGate({ emaN: 36, cutoff: 200 });
    // 60 records in grading order (not difficulty order): the 50th best is 0xfffff00000000000.
    const graded = Array.from({ length: 60 }, (_, i) => 0xfffff00000000000n + BigInt(((i * 37) % 60) - 10) * 0x1000n);
    const sorted = [...graded].sort((a, b) => (a > b ? -1 : 1));
    const p1 = gate.onGradedBlock(100, graded);
    assert.equal(p1.spots, 50);
    assert.equal(p1.lastGraded, sorted[49]);
    assert.equal(p1.minimumTarget, minimumTargetFromGraded(sorted[49]!, 50, 200));
    assert.equal(p1.ema, p1.minimumTarget, 'the first value is taken as is');
    const p2 = gate.onGradedBlock(101, [0xffffff0000000000n, 0xffffff0000000001n]);
    assert.equal(p2.ema, nextEma(minimumTargetFromGraded(0xffffff0000000000n, 2, 200), p1.ema, 36));
    assert.equal(gate.threshold(), p2.ema);
  });
  it('treats a block with fewer than two graded records as no information (minimum 0)', () => {
    const gate = new SubmissionGate({ emaN: 4, cutoff: 200, initialEma: 1000n });
    const p = gate.onGradedBlock(5, [123n]);
    assert.equal(p.minimumTarget, 0n);
    assert.equal(p.ema, nextEma(0n, 1000n, 4));
  });
  it('admits only the current job, strictly above the EMA, up to the cutoff', () => {
    const gate = new SubmissionGate({ emaN: 36, cutoff: 3, initialEma: 1000n });
    gate.openJob(10);
    assert.equal(gate.decide(9, 5000n), 'other-job');
    assert.equal(gate.decide(10, 1000n), 'below-ema');
    assert.equal(gate.decide(10, 1001n), 'submit');
    assert.equal(gate.decide(10, 2000n), 'submit');
    assert.equal(gate.decide(10, 3000n), 'submit');
    assert.equal(gate.decide(10, 4000n), 'cutoff');
    gate.release(10);
    assert.equal(gate.submittedThisJob(), 2);
    assert.equal(gate.decide(10, 4000n), 'submit');
    gate.openJob(11);
    assert.equal(gate.submittedThisJob(), 0);
    assert.equal(gate.decide(11, 4000n), 'submit');
  });
  it('counts a restarted job\'s earlier entries toward its cutoff (the one place the cutoff is kept)', () => {
    const gate = new SubmissionGate({ emaN: 36, cutoff: 3, initialEma: 1000n });
    gate.openJob(20, 2);
    assert.equal(gate.submittedThisJob(), 2);
    assert.equal(gate.decide(20, 5000n), 'submit');
    assert.equal(gate.decide(20, 6000n), 'cutoff', 'two from the earlier run and one now fill a cutoff of 3');
    gate.openJob(20, 0);
    assert.equal(gate.submittedThisJob(), 3, 'opening the same job again keeps its count');
    gate.openJob(21, 3);
    assert.equal(gate.decide(21, 5000n), 'cutoff', 'a job already full when the pool restarts writes nothing');
  });
  it('holds submissions in minute 0', () => {
    const guard = new MinuteGuard();
    const gate = new SubmissionGate({ emaN: 36, cutoff: 10, minuteGuard: guard });
    gate.openJob(1);
    guard.onReading({ minute: 5, directoryBlockHeight: 0, leaderHeight: 1 });
    guard.onReading({ minute: 0, directoryBlockHeight: 0, leaderHeight: 1 });
    assert.equal(gate.decide(1, 5n), 'minute-zero');
    assert.equal(gate.submittedThisJob(), 0, 'a held share takes no slot');
    guard.onReading({ minute: 1, directoryBlockHeight: 1, leaderHeight: 2 });
    assert.equal(gate.decide(1, 5n), 'submit');
  });
});
