import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadOrCreateTable } from '../../src/lxr/index.js';
import { BlockGrader, inThreadDifficultyComputer, parseBlockFile, type DifficultyComputer } from '../../src/pegnet/index.js';
import assert from 'node:assert/strict';
import { assertMatchesReference, gradeFile } from './grade-check.js';
import { fixturePath } from '../helpers/paths.js';
import { fullTableAvailable, gradingFiles, mainnetReferenceFiles, readJson } from './helpers.js';

// Real MainNet blocks need the 1 GiB consensus table: run only when it is generated or asked for.
const skip = fullTableAvailable() ? false : 'needs the 30-bit LXRHash table (~/.lxrhash) or PROSPER_TEST_FULL=1';

describe('grader: real MainNet blocks (30-bit table)', () => {
  let computer: DifficultyComputer | undefined;
  const getComputer = async () => (computer ??= inThreadDifficultyComputer(await loadOrCreateTable({ bits: 30 })));

  for (const { name, path } of gradingFiles('mainnet')) {
    it(`${name}: grades to the reference's winners${existsSync(join(path, '..', 'reference_graded_' + name)) ? ' and full graded output' : ''}`, { skip, timeout: 600_000 }, async () => {
      const g = await gradeFile(readFileSync(path, 'utf8'), await getComputer());
      const refPath = join(path, '..', 'reference_graded_' + name);
      const block = readJson(path);
      assertMatchesReference(g, existsSync(refPath) ? readJson(refPath) : { Winners: block.Winners });
      // The block file's own expected winners as well.
      assertMatchesReference(g, { Winners: block.Winners });
    });
  }
});

describe('grader: real MainNet blocks, entry validation (no table needed)', () => {
  for (const { block, path: refPath } of mainnetReferenceFiles()) {
    it(`${block}: accepts and refuses exactly the entries the reference did, for the same reasons`, () => {
      const b = parseBlockFile(readFileSync(fixturePath('grader', 'mainnet', block), 'utf8'));
      const ref = readJson(refPath);
      const g = new BlockGrader(b.version, b.height, b.previousWinners);
      for (const e of b.entries) g.addOpr(e.entryHash, e.extIds, e.content);
      assert.equal(g.count, ref.Count);
      assert.deepEqual(Object.fromEntries(g.rejected.map((r) => [r.entryHash, r.reason])), ref.AddErrors);
    });
  }
});
