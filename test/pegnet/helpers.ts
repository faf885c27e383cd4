import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultTableDir, tableFileName } from '../../src/lxr/index.js';
import { testdataPath } from '../helpers/paths.js';

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export function gradingFiles(kind: 'mainnet' | 'synthetic'): { name: string; path: string }[] {
  const dir = testdataPath('grader', kind);
  return readdirSync(dir)
    .filter((f) => /^(v\d_\d_h)?\d+\.json$/.test(f))
    .sort()
    .map((name) => ({ name, path: join(dir, name) }));
}

export const readJson = (path: string): any => JSON.parse(readFileSync(path, 'utf8'));

/** The 1 GiB table is used only when already generated (its checksum file is written last) or when asked for. */
export function fullTableAvailable(): boolean {
  const path = join(defaultTableDir(), tableFileName(30));
  return process.env.PROSPER_TEST_FULL === '1' || (existsSync(path) && existsSync(`${path}.sha256`));
}
