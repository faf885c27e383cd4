import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createTableInMemory } from '../../src/lxr/index.js';
import { isProsperError, type ProsperCode } from '../../src/errors.js';
import {
  BlockGrader, encodeProtoContent, inThreadDifficultyComputer, oprVersionAt, parseBlockFile, type DifficultyComputer,
  type DifficultyItem, workerDifficultyComputer,
} from '../../src/pegnet/index.js';
import { assertMatchesReference, gradeFile } from './grade-check.js';
import { gradingFiles, readJson } from './helpers.js';

const table = createTableInMemory(20);
const computer = inThreadDifficultyComputer(table);
const files = gradingFiles('synthetic');

describe('grader: synthetic reference-graded blocks (20-bit table)', () => {
  it('covers all five versions, six blocks each', () => {
    const versions = files.map((f) => readJson(f.path).Version as number);
    for (const v of [1, 2, 3, 4, 5]) assert.equal(versions.filter((x) => x === v).length, 6);
  });

  for (const { name, path } of files) {
    it(`${name}: winners, rejections (with reasons), positions, grades and payouts as the reference`, async () => {
      const ref = readJson(path);
      assert.equal(ref.LxrBits, 20);
      // The version by height must be the version the reference graded with.
      assert.equal(oprVersionAt(ref.Height), ref.Version);
      const g = await gradeFile(readFileSync(path, 'utf8'), computer);
      assertMatchesReference(g, ref);
    });
  }

  it('the blocks chain: each block carries the winners our grader produced for the one before', async () => {
    const byName = new Map(files.map((f) => [f.name, f.path]));
    for (const { path } of files) {
      const ref = readJson(path);
      if (!ref.PreviousBlock) continue;
      const prev = await gradeFile(readFileSync(byName.get(ref.PreviousBlock)!, 'utf8'), computer);
      assert.deepEqual([...prev.winnersShortHashes], ref.PreviousWinners);
    }
  });
});

describe('grader: difficulty computer and API', () => {
  const { path } = files.find((f) => f.name.startsWith('v5_5'))!;
  const block = parseBlockFile(readFileSync(path, 'utf8'));

  it('hashes lazily through the injected computer: only until 50 honest entries are found', async () => {
    const asked: number[] = [];
    const counting: DifficultyComputer = {
      async computeTargets(items: readonly DifficultyItem[]) {
        asked.push(items.length);
        return computer.computeTargets(items);
      },
    };
    const g = new BlockGrader(block.version, block.height, block.previousWinners);
    for (const e of block.entries) g.addOpr(e.entryHash, e.extIds, e.content);
    const graded = await g.grade(counting);
    assert.equal(graded.graded.length, 50);
    const total = asked.reduce((a, b) => a + b, 0);
    assert.ok(total < g.count, `hashed ${total} of ${g.count}`);
    // Grading again gives the same result (grading works on copies).
    const again = await g.grade(computer);
    assert.deepEqual(again.winnersShortHashes, graded.winnersShortHashes);
  });

  it('a computer that disagrees with every claim leaves no winners and carries the previous ones', async () => {
    const liar: DifficultyComputer = { computeTargets: async (items) => items.map(() => 1n) };
    const g = new BlockGrader(block.version, block.height, block.previousWinners);
    for (const e of block.entries) g.addOpr(e.entryHash, e.extIds, e.content);
    const graded = await g.grade(liar);
    assert.equal(graded.graded.length, 0);
    assert.equal(graded.winners.length, 0);
    assert.deepEqual([...graded.winnersShortHashes], block.previousWinners);
  });

  it('refuses bad previous winners and heights like NewGrader', () => {
    const err = (code: ProsperCode) => (e: unknown) => isProsperError(e, code);
    assert.throws(() => new BlockGrader(5, 10, Array(10).fill('00000000000000aa')), err('PROSPER_E_PEGNET_PREV_WINNERS'));
    assert.throws(() => new BlockGrader(1, 10, Array(25).fill('')), err('PROSPER_E_PEGNET_PREV_WINNERS'));
    assert.throws(() => new BlockGrader(5, 10, ['', ...Array(24).fill('00000000000000aa')]), err('PROSPER_E_PEGNET_PREV_WINNERS'));
    assert.throws(() => new BlockGrader(5, -1), err('PROSPER_E_PEGNET_HEIGHT'));
    // V2 accepts the 10 winners of a V1 block; an empty list means the bootstrap list.
    assert.equal(new BlockGrader(2, 10, Array(10).fill('00000000000000aa')).previousWinners.length, 10);
    assert.deepEqual(new BlockGrader(5, 10).previousWinners, Array(25).fill(''));
  });

  it('reports why an entry was refused', () => {
    const g = new BlockGrader(5, 10);
    const content = encodeProtoContent({ address: 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q', id: 'x', height: 11, winners: [], assets: [] });
    const hash = new Uint8Array(32);
    assert.equal(g.addOpr(hash, [new Uint8Array(1), new Uint8Array(8), Uint8Array.of(5)], content)?.reason, 'invalid height');
    assert.equal(g.addOpr(hash, [new Uint8Array(1), new Uint8Array(8)], content)?.reason, 'invalid extid count');
    assert.equal(g.addOpr(new Uint8Array(31), [], content)?.reason, 'invalid entry hash length');
    assert.equal(g.addOpr(hash, [new Uint8Array(1), new Uint8Array(8), Uint8Array.of(5)], new Uint8Array(0))?.kind, 'decode');
    assert.equal(g.count, 0);
  });
});

describe('grader: hashing on worker threads', () => {
  it('gives the same targets as the calling thread and grades blocks to the reference', async () => {
    const workers = workerDifficultyComputer(table, { threads: 2 });
    try {
      const items = Array.from({ length: 37 }, (_, i) => ({ oprHash: new Uint8Array(32).fill(i), nonce: Uint8Array.from({ length: i % 7 }, (_, k) => k + i) }));
      assert.deepEqual(await workers.computeTargets(items), await computer.computeTargets(items));
      assert.deepEqual(await workers.computeTargets([]), []);
      for (const name of ['v1_5_h208000.json', 'v5_6_h300000.json']) {
        const { path } = files.find((f) => f.name === name)!;
        assertMatchesReference(await gradeFile(readFileSync(path, 'utf8'), workers), readJson(path));
      }
    } finally {
      await workers.close();
    }
    await assert.rejects(workers.computeTargets([{ oprHash: new Uint8Array(32), nonce: new Uint8Array(0) }]), /closed/);
  });

  it('refuses a table that is not in shared memory', () => {
    assert.throws(() => workerDifficultyComputer({ bits: 10, bytes: new Uint8Array(1024), sha256: '' }), (e: unknown) => isProsperError(e, 'PROSPER_E_PEGNET_TABLE'));
  });
});
