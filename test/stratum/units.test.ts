import { test } from 'node:test';
import assert from 'node:assert/strict';
import { difficultyFromTarget, PDIFF } from '../../src/lxr/difficulty.js';
import { BanList } from '../../src/stratum/bans.js';
import { JobBook } from '../../src/stratum/jobs.js';
import { DEFAULT_VARDIFF, newVardiffState, recordShare, retarget } from '../../src/stratum/vardiff.js';
import { buildNonce } from '../../src/miner/nonce.js';
import { isValidEmail, randomMinerId } from '../../src/miner/config-file.js';
import { FakeClock, oprHashFor, RawClient, startServer } from './helpers/server.js';

test('vardiff moves toward the share interval, bounded per step and by min/max', () => {
  const cfg = { ...DEFAULT_VARDIFF, shareSeconds: 10, retargetSeconds: 60, maxStep: 4, variance: 0.3, minTarget: PDIFF, maxTarget: 0xfffffff000000000n };
  const st = newVardiffState(0);
  // 12 shares in 60 s (wanted 6): twice as hard.
  for (let i = 0; i < 11; i++) assert.equal(recordShare(st, cfg, 0xffffc00000000000n, 1000 * i), null);
  const next = recordShare(st, cfg, 0xffffc00000000000n, 60_000)!;
  assert.ok(Math.abs(difficultyFromTarget(next) / difficultyFromTarget(0xffffc00000000000n) - 2) < 1e-6);
  // Within the variance: unchanged.
  const s2 = newVardiffState(0);
  for (let i = 0; i < 6; i++) recordShare(s2, cfg, next, 1000);
  assert.equal(retarget(s2, cfg, next, 60_000), null);
  // Silence: easier, but never below the minimum.
  assert.equal(retarget(newVardiffState(0), cfg, PDIFF, 600_000), null);
  assert.equal(retarget(newVardiffState(0), cfg, 0xfffffff000000000n, 60_000, PDIFF)! < 0xfffffff000000000n, true);
  const st3 = newVardiffState(0);
  for (let i = 0; i < 1000; i++) recordShare(st3, cfg, 0xffffffe000000000n, 0);
  assert.equal(recordShare(st3, cfg, 0xffffffe000000000n, 60_000), 0xfffffff000000000n);
  assert.equal(retarget(newVardiffState(0), { ...cfg, enabled: false }, PDIFF, 1e9), null);
});

test('ban list decays scores and expires bans', () => {
  const clock = new FakeClock(0);
  const bans = new BanList({ threshold: 10, banMs: 1000, decayPerSecond: 1 }, clock.now);
  assert.equal(bans.add('a', 6), false);
  clock.advance(3000);
  assert.equal(bans.score('a'), 3);
  assert.equal(bans.add('a', 7), true);
  assert.equal(bans.isBanned('a'), true);
  assert.deepEqual(bans.banned(), [{ ip: 'a', until: 4000 }]);
  clock.advance(1000);
  assert.equal(bans.isBanned('a'), false);
  bans.sweep();
  assert.equal(bans.score('a'), 0);
});

test('job book: grace window, quirk mapping, duplicates per job', () => {
  const clock = new FakeClock(0);
  const closed: number[] = [];
  const book = new JobBook(100, clock.now, (j) => closed.push(j.jobId));
  const job = (id: number) => ({ jobId: id, oprHash: oprHashFor(id), oprHashHex: Buffer.from(oprHashFor(id)).toString('hex'), submitThreshold: 0n, startedAt: 0 });
  assert.equal(book.lookup(1, oprHashFor(1)).ok, false);
  book.setJob(job(1));
  book.setJob(job(2));
  assert.equal(book.lookup(1, oprHashFor(1)).ok, true);
  assert.equal(book.lookup(2, oprHashFor(1)).ok, true);
  assert.deepEqual(book.lookup(3, oprHashFor(3)), { ok: false, stale: false });
  const n = Uint8Array.from([1, 2, 3]);
  assert.equal(book.markNonce(2, job(2).oprHashHex, n), true);
  assert.equal(book.markNonce(2, job(2).oprHashHex, n), false);
  assert.equal(book.markNonce(1, job(1).oprHashHex, n), true);
  clock.advance(100);
  assert.deepEqual(book.lookup(1, oprHashFor(1)), { ok: false, stale: true });
  assert.deepEqual(closed, [1]);
  book.setJob(job(3));
  book.setJob(job(4));
  assert.deepEqual(closed, [1, 2]);
});

test('miner nonce layout and identity helpers', () => {
  assert.deepEqual([...buildNonce(0x01020304, 258, 0xa0b0c0d0)], [1, 2, 3, 4, 2, 0xa0, 0xb0, 0xc0, 0xd0]);
  assert.match(randomMinerId(() => 0.5), /^[a-z]+-[a-z]+$/);
  assert.equal(isValidEmail('a@b.co'), true);
  assert.equal(isValidEmail('nope'), false);
  assert.equal(isValidEmail('a'.repeat(250) + '@b.co'), false);
});

test('a flood of requests in one write is answered in order without dropping the session', async () => {
  const f = await startServer();
  try {
    f.server.setJob({ jobId: 1, oprHash: oprHashFor(1) });
    const c = await RawClient.connect(f.port);
    let burst = '';
    for (let i = 0; i < 3000; i++) burst += `{"id":${i},"method":"mining.get_oprhash","params":["1"]}\n`;
    c.send(burst);
    const lines = await c.waitLines(3000, 10_000);
    assert.deepEqual(lines.map((l) => JSON.parse(l).id), Array.from({ length: 3000 }, (_, i) => i));
    assert.equal(c.closed, false);
    c.close();
  } finally {
    await f.close();
  }
});
