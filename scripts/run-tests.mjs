#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with node's test runner.
// Extra arguments are passed to `node --test` (e.g. --test-name-pattern=...).
// PROSPER_TEST_FULL=1 also runs what needs the 1 GiB LXRHash table (npm run test:full).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const testDir = join(root, 'dist', 'test');

function collect(dir) {
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...collect(path));
    else if (name.endsWith('.test.js')) files.push(path);
  }
  return files;
}

let files;
try {
  files = collect(testDir);
} catch {
  console.error(`no compiled tests in ${relative(root, testDir)}: run npm run build first`);
  process.exit(1);
}
const filter = process.env.PROSPER_TEST_FILTER;
if (filter) files = files.filter((f) => f.includes(filter));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const concurrency = process.env.PROSPER_TEST_CONCURRENCY ?? '2';
const result = spawnSync(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...process.argv.slice(2), ...files], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(result.status ?? 1);
