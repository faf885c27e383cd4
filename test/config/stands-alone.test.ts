import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { outsideRefs } from '../helpers/outside-refs.js';
import { repoRoot } from '../helpers/paths.js';

const root = repoRoot();
// The samples below are built from UP so that this file does not refer to them itself.
const UP = '..' + '/';

/** Every tracked file that is text (binary files hold no paths a reader follows). */
function trackedTextFiles(): { file: string; text: string }[] {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  return files.flatMap((file) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(root, file));
    } catch {
      return []; // deleted in the work tree but still in the index
    }
    return bytes.includes(0) ? [] : [{ file, text: bytes.toString('utf8') }];
  });
}

describe('the repository stands alone', () => {
  it('the check finds paths that leave the repository, machine paths and ../ paths that name nothing here', () => {
    const whys = (file: string, text: string) => outsideRefs(root, file, text).map((r) => r.why);
    assert.deepEqual(whys('README.md', `see ${UP}notes/pegnet.md`), [`${UP}notes/pegnet.md leaves the repository`]);
    assert.deepEqual(whys('src/lxr/pow.ts', ` * (${UP}notes/original-pool.md 12).`), [`${UP}notes/original-pool.md names nothing in the repository`]);
    assert.deepEqual(whys('test/helpers/x.ts', `readFileSync('${UP.repeat(4)}data.json')`), [`${UP.repeat(4)}data.json leaves the repository`]);
    assert.equal(whys('docs/x.md', 'read /w' + 'ork/notes/data/README.md').length, 1);
    assert.equal(whys('scripts/x.mjs', "const p = '/ho" + "me/alice/.lxrhash'").length, 1);
    // Paths inside the repository are fine, from any folder, built output included.
    assert.deepEqual(whys('test/lxr/x.test.ts', "import { a } from '../../src/lxr/index.js';"), []);
    assert.deepEqual(whys('docs/x.md', `see [the README](${UP}README.md) and ~/.prosper`), []);
    assert.deepEqual(whys('bin/x.js', `import '${UP}dist/src/cli/prosper-pool.js';`), []);
    // The container's own home is inside the image, not on anyone's machine.
    assert.deepEqual(whys('Dockerfile', 'RUN mkdir -p /home/node/.lxrhash'), []);
  });

  it('no tracked file (source, test, script, doc, config) refers to a path outside the repository', () => {
    const files = trackedTextFiles();
    assert.ok(files.some((f) => f.file === 'package.json'), 'git ls-files lists the repository');
    const refs = files.flatMap(({ file, text }) => outsideRefs(root, file, text));
    assert.deepEqual(refs.map((r) => `${r.file}:${r.line}: ${r.why}: ${r.text}`), []);
  });
});
