import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { isProsperError } from '../../src/errors.js';
import { startWorker } from '../../src/util/worker-url.js';
import { allocSoftMax, OFFER_ADMITTED, OFFER_BELOW_THRESHOLD, OFFER_BLOCKED, seededRandom, SoftMaxLimit } from '../../src/validation/index.js';

const desc = (a: bigint, b: bigint) => (a > b ? -1 : a < b ? 1 : 0);

/** The original's list (docs/stratum.md section 6): sorted descending, insert before the first smaller value. */
function referenceList(k: number) {
  const list: bigint[] = new Array(k).fill(0n);
  return (target: bigint): boolean => {
    const i = list.findIndex((v) => v < target);
    if (i < 0) return false;
    list.splice(i, 0, target);
    list.pop();
    return true;
  };
}

describe('SoftMaxLimit, one thread', () => {
  it('admits exactly what the original sorted list admits, ties included', () => {
    for (const k of [1, 3, 25]) {
      const rng = seededRandom(k);
      const limit = new SoftMaxLimit(allocSoftMax(k, 2));
      limit.reset(1, 0n);
      const ref = referenceList(k);
      for (let i = 0; i < 3000; i++) {
        // A narrow range of values so ties with the K-th best happen often.
        const t = BigInt(1 + (rng.u32() % 200));
        assert.equal(limit.offer(1, t) === OFFER_ADMITTED, ref(t), `k=${k} offer ${i} of ${t}`);
      }
    }
  });

  it('lets the first K above the threshold through, then only the ones beating the K-th best', () => {
    const limit = new SoftMaxLimit(allocSoftMax(3, 1));
    limit.reset(0, 100n);
    assert.equal(limit.offer(0, 100n), OFFER_BELOW_THRESHOLD, 'at the threshold is not above it');
    for (const t of [101n, 150n, 120n]) assert.equal(limit.offer(0, t), OFFER_ADMITTED);
    assert.equal(limit.kthBest(0), 101n);
    assert.equal(limit.offer(0, 101n), OFFER_BLOCKED, 'equal to the K-th best does not beat it');
    assert.equal(limit.lastCompared, 101n);
    assert.equal(limit.offer(0, 130n), OFFER_ADMITTED);
    assert.equal(limit.lastCompared, 101n, 'reports the place it took');
    assert.deepEqual(limit.survivors(0), [150n, 130n, 120n]);
    limit.reset(0, 0n);
    assert.deepEqual(limit.survivors(0), [0n, 0n, 0n], 'a recycled slot starts empty');
  });

  it('K = 0 disables the limit: everything above the threshold is admitted', () => {
    const limit = new SoftMaxLimit(allocSoftMax(0, 1));
    limit.reset(0, 10n);
    for (let i = 0; i < 100; i++) assert.equal(limit.offer(0, 11n + BigInt(i % 3)), OFFER_ADMITTED);
    assert.equal(limit.offer(0, 10n), OFFER_BELOW_THRESHOLD);
  });

  it('rejects bad sizes and slots with coded errors', () => {
    assert.throws(() => allocSoftMax(-1, 1), (e) => isProsperError(e, 'PROSPER_E_VALIDATION_SOFTMAX'));
    assert.throws(() => allocSoftMax(2.5, 1), (e) => isProsperError(e, 'PROSPER_E_VALIDATION_SOFTMAX'));
    assert.throws(() => allocSoftMax(5, 0), (e) => isProsperError(e, 'PROSPER_E_VALIDATION_SOFTMAX'));
    const limit = new SoftMaxLimit(allocSoftMax(5, 2));
    assert.throws(() => limit.offer(2, 5n), (e) => isProsperError(e, 'PROSPER_E_VALIDATION_SOFTMAX'));
    assert.throws(() => new SoftMaxLimit({ ...allocSoftMax(5, 2), k: 6 }), (e) => isProsperError(e, 'PROSPER_E_VALIDATION_SOFTMAX'));
  });
});

describe('SoftMaxLimit under contention (real worker threads on one slot)', () => {
  for (const rising of [false, true]) it(`keeps exactly the true top K and admits exactly the shares that beat the running K-th best (${rising ? 'rising' : 'random'} targets)`, async () => {
    const k = 25;
    const threads = 3;
    const perThread = 40_000;
    const total = threads * perThread;
    const shared = allocSoftMax(k, 3);
    const limit = new SoftMaxLimit(shared);
    const slot = 2;
    limit.reset(slot, 0n);
    limit.reset(0, 0n);
    const targets = new SharedArrayBuffer(8 * total);
    const outcome = new SharedArrayBuffer(total);
    const compared = new SharedArrayBuffer(8 * total);
    const start = new SharedArrayBuffer(8);
    const url = new URL('./fixtures/softmax-hammer' + (import.meta.url.endsWith('.ts') ? '.ts' : '.js'), import.meta.url);
    const workers = Array.from({ length: threads }, (_, w) =>
      startWorker(url, { workerData: { shared, slot, rising, lane: w, seed: 1000 + w, from: w * perThread, count: perThread, targets, outcome, compared, start } }),
    );
    const done = workers.map((w) => once(w, 'message'));
    // Wait until every thread is at the barrier, then release them together.
    const gate = new Int32Array(start);
    while (Atomics.load(gate, 1) < threads) await new Promise((r) => setTimeout(r, 5));
    Atomics.store(gate, 0, 1);
    Atomics.notify(gate, 0);
    await Promise.all(done);
    await Promise.all(workers.map((w) => w.terminate()));

    const t = new BigUint64Array(targets);
    const o = new Uint8Array(outcome);
    const c = new BigUint64Array(compared);
    const all = Array.from(t).sort(desc);
    assert.equal(new Set(all).size, total, 'random 64-bit targets are distinct');
    const survivors = limit.survivors(slot);
    assert.deepEqual(survivors, all.slice(0, k), 'the survivors are exactly the true top K');
    assert.deepEqual(limit.survivors(0), new Array(k).fill(0n), 'another slot is untouched');

    // Every admitted share displaced a value that was in the list (a free place or an earlier
    // admitted target), smaller than itself, and each value was displaced at most once:
    // start (K free places) + admitted - displaced = survivors.
    const admitted = new Set<bigint>();
    const displaced: bigint[] = [];
    let blocked = 0;
    for (let i = 0; i < total; i++) {
      assert.notEqual(o[i], OFFER_BELOW_THRESHOLD);
      if (o[i] === OFFER_ADMITTED) {
        assert.ok(c[i]! < t[i]!, 'an admitted share beat the place it took');
        admitted.add(t[i]!);
        displaced.push(c[i]!);
      } else blocked++;
    }
    const remaining = new Map<bigint, number>([[0n, k]]);
    for (const a of admitted) remaining.set(a, 1);
    for (const d of displaced) {
      const left = remaining.get(d) ?? 0;
      assert.ok(left > 0, `displaced ${d} was not in the list (or displaced twice)`);
      remaining.set(d, left - 1);
    }
    const kept = [...remaining].flatMap(([v, n]) => new Array<bigint>(n).fill(v)).sort(desc);
    assert.deepEqual(kept, survivors, 'no admission was lost or counted twice');
    // Every blocked share failed to beat a K-th best that was really in the list.
    for (let i = 0; i < total; i++) {
      if (o[i] !== OFFER_BLOCKED) continue;
      assert.ok(t[i]! <= c[i]!, 'a blocked share did not beat the K-th best it was compared with');
      assert.ok(c[i] === 0n || admitted.has(c[i]!), 'that K-th best was an admitted target');
    }
    // The true top K can never be blocked.
    for (let i = 0; i < total; i++) if (t[i]! >= survivors[k - 1]!) assert.equal(o[i], OFFER_ADMITTED);
    // Rising targets keep the threads admitting (and racing) throughout; random ones mostly block.
    assert.ok(rising ? admitted.size > total / 20 : blocked > total / 2 && admitted.size > k);
  });
});
