import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CREDIT_PER_PDIFF, PDIFF, creditForTarget, creditToDifficulty, formatFeeRate, parseFeeRate, splitReward,
} from '../../src/accounting/index.js';
import { isProsperError } from '../../src/errors.js';
import { prng } from './prng.js';

const MAX64 = (1n << 64n) - 1n;

test('credit is expected hashes for the assigned target: PDiff = 65 536', () => {
  assert.equal(creditForTarget(PDIFF), CREDIT_PER_PDIFF);
  assert.equal(creditToDifficulty(creditForTarget(PDIFF)), 1);
  assert.equal(creditForTarget(0n), 1n);
  assert.equal(creditForTarget(0xfffffff000000000n), 1n << 28n);
  assert.equal(creditForTarget(MAX64), MAX64, 'capped at uint64');
  const r = prng(1n);
  for (let i = 0; i < 500; i++) {
    const a = r.next64();
    const b = r.next64();
    const [lo, hi] = a < b ? [a, b] : [b, a];
    assert.ok(creditForTarget(lo) <= creditForTarget(hi), 'a harder target never earns less');
  }
  for (const bad of [-1n, MAX64 + 1n]) assert.throws(() => creditForTarget(bad), (e) => isProsperError(e, 'PROSPER_E_ACCOUNTING_TARGET'));
});

test('fee rate parsing: exact 1e-8 integers, "-1" is no fee, junk refused', () => {
  assert.equal(parseFeeRate('0.05'), 5_000_000n);
  assert.equal(parseFeeRate('-1'), 0n);
  assert.equal(parseFeeRate('0'), 0n);
  assert.equal(parseFeeRate('1'), 100_000_000n);
  assert.equal(parseFeeRate('0.00000001'), 1n);
  assert.equal(formatFeeRate(parseFeeRate('0.125')), '0.125');
  assert.equal(formatFeeRate(0n), '0');
  for (const bad of ['', '1.5', '-0.5', '0.000000001', 'abc', '5%', '1e-2', 0.05]) {
    assert.throws(() => parseFeeRate(bad), (e) => isProsperError(e, 'PROSPER_E_ACCOUNTING_FEE'), String(bad));
  }
});

test('split of a small job is exact and its remainder is dust', () => {
  const plan = splitReward(1000n, parseFeeRate('0.05'), [
    { userId: 2n, credit: 1n },
    { userId: 1n, credit: 1n },
    { userId: 3n, credit: 1n },
  ]);
  assert.equal(plan.fee, 50n);
  assert.deepEqual(plan.payouts.map((p) => [p.userId, p.amount]), [[1n, 316n], [2n, 316n], [3n, 316n]]);
  assert.equal(plan.dust, 2n);
  const empty = splitReward(1000n, 0n, []);
  assert.deepEqual([empty.fee, empty.dust, empty.payouts.length], [0n, 1000n, 0], 'no work: all dust');
  assert.throws(() => splitReward(-1n, 0n, []), (e) => isProsperError(e, 'PROSPER_E_ACCOUNTING_REWARD'));
  assert.throws(() => splitReward(1n, 100_000_001n, []), (e) => isProsperError(e, 'PROSPER_E_ACCOUNTING_FEE'));
  assert.throws(() => splitReward(1n, 0n, [{ userId: 1n, credit: -1n }]), (e) => isProsperError(e, 'PROSPER_E_ACCOUNTING_CREDIT'));
});

test('property: random share streams always split exactly, non-negative, deterministic and fair', () => {
  const r = prng(0xc0ffeen);
  for (let round = 0; round < 400; round++) {
    // A random stream of shares over a few users, each credited by its assigned target.
    const nUsers = r.int(12);
    const credits: { userId: bigint; credit: bigint }[] = [];
    const shares = r.int(60);
    for (let i = 0; i < shares && nUsers > 0; i++) {
      const target = r.int(4) === 0 ? r.next64() : PDIFF + r.below(MAX64 - PDIFF);
      credits.push({ userId: BigInt(1 + r.int(nUsers)), credit: creditForTarget(target) });
    }
    const reward = r.int(5) === 0 ? r.below(1000n) : r.below(1n << 63n);
    const feeRate = r.int(4) === 0 ? 0n : r.below(100_000_001n);
    const plan = splitReward(reward, feeRate, credits);

    const sum = plan.payouts.reduce((s, p) => s + p.amount, 0n);
    assert.equal(plan.fee + sum + plan.dust, reward, 'fee + credits + dust == reward');
    assert.ok(plan.fee >= 0n && plan.dust >= 0n && plan.payouts.every((p) => p.amount >= 0n), 'never negative');
    assert.ok(plan.payouts.length === 0 ? plan.dust === reward - plan.fee : plan.dust < BigInt(plan.payouts.length), 'dust < one unit per payee');
    assert.equal(plan.fee, (reward * feeRate) / 100_000_000n);
    const remaining = reward - plan.fee;
    for (const p of plan.payouts) {
      // floor(remaining * c / total): p*total <= remaining*c < (p+1)*total
      assert.ok(p.amount * plan.totalCredit <= remaining * p.credit && remaining * p.credit < (p.amount + 1n) * plan.totalCredit);
    }
    for (const a of plan.payouts) for (const b of plan.payouts) if (a.credit > b.credit) assert.ok(a.amount >= b.amount, 'more work never earns less');
    // Same inputs in another order give the same plan.
    const shuffled = [...credits].sort(() => (r.int(2) === 0 ? -1 : 1)).reverse();
    assert.deepEqual(splitReward(reward, feeRate, shuffled), plan);
  }
});
