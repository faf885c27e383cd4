import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultTableDir, tableFileName } from '../../src/lxr/index.js';
import { fixturePath } from '../helpers/paths.js';

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** How many graded blocks each fixture folder holds: fewer means the fixtures are broken, and the tests must say so. */
const BLOCKS_EXPECTED = { mainnet: 4, synthetic: 30 } as const;
/** MainNet blocks that also carry the reference grader's full output (reference_graded_<H>.json). */
export const MAINNET_REFERENCE_GRADED = 3;

function fixtureList(dir: string, pattern: RegExp, expected: number, what: string): { name: string; path: string }[] {
  const names = existsSync(dir) ? readdirSync(dir).filter((f) => pattern.test(f)).sort() : [];
  if (names.length !== expected) throw new Error(`${dir} holds ${names.length} ${what}, expected ${expected}: the test fixtures are incomplete`);
  return names.map((name) => ({ name, path: join(dir, name) }));
}

/** The graded blocks of test/fixtures/grader/<kind>; throws when any is missing (a loop over nothing would pass silently). */
export function gradingFiles(kind: 'mainnet' | 'synthetic'): { name: string; path: string }[] {
  return fixtureList(fixturePath('grader', kind), /^(v\d_\d_h)?\d+\.json$/, BLOCKS_EXPECTED[kind], 'graded blocks');
}

/** The reference grader's full outputs for MainNet blocks, keyed by the block file they grade. */
export function mainnetReferenceFiles(): { block: string; path: string }[] {
  return fixtureList(fixturePath('grader', 'mainnet'), /^reference_graded_\d+\.json$/, MAINNET_REFERENCE_GRADED, 'reference outputs')
    .map(({ name, path }) => ({ block: name.replace('reference_graded_', ''), path }));
}

export const readJson = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));

/** The 1 GiB table is used only when already generated (its checksum file is written last) or when asked for. */
export function fullTableAvailable(): boolean {
  const path = join(defaultTableDir(), tableFileName(30));
  return process.env.PROSPER_TEST_FULL === '1' || (existsSync(path) && existsSync(`${path}.sha256`));
}
