import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fullTableAvailable, gradingFiles, readJson } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'prosper-pegnet-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `prosper-pool ARGS` in a child process: the built program, or the sources under tsx. */
function runPool(args: string[], env: NodeJS.ProcessEnv = {}) {
  const fromSource = import.meta.url.endsWith('.ts');
  const cli = new URL(`../../src/cli/prosper-pool.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
  const script = `import(${JSON.stringify(cli)}).then((m) => m.main(['node', 'prosper-pool', ...process.argv.slice(1)]))` +
    `.catch((e) => { console.error(e instanceof Error ? e.message : e); process.exitCode = 1; })`;
  const environment: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!('LXRBITSIZE' in env)) delete environment.LXRBITSIZE;
  return spawnSync(process.execPath, [...(fromSource ? ['--import', 'tsx'] : []), '--input-type=module', '-e', script, ...args], {
    encoding: 'utf8',
    env: environment,
    timeout: 600_000,
  });
}

describe('prosper-pool pegnet grade FILE', () => {
  // Two synthetic blocks (each process start costs seconds): >50 OPRs, and too few (winners
  // carry over). The library tests grade all thirty.
  const picks = ['v5_5_h280000.json', 'v1_3_h206424.json'];
  for (const name of picks) {
    it(`${name}: prints the height and the reference's winners in graded order`, () => {
      const { path } = gradingFiles('synthetic').find((f) => f.name === name)!;
      const ref = readJson(path);
      const r = runPool(['pegnet', 'grade', path, '--bits', '20']);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), { height: ref.Height, winners: ref.Winners });
      assert.match(r.stdout, /^\{"height":\d+,"winners":\["[0-9a-f]{16}"/);
    });
  }

  it('takes the table size from LXRBITSIZE when --bits is absent', () => {
    const { path } = gradingFiles('synthetic').find((f) => f.name === 'v4_1_h231620.json')!;
    const ref = readJson(path);
    // LXRBITSIZE wins over the file's LxrBits (20): with the 16-bit table every claimed
    // difficulty fails, so there are no winners and the previous ones carry over.
    const wrong = runPool(['pegnet', 'grade', path], { LXRBITSIZE: '16' });
    assert.equal(wrong.status, 0, wrong.stderr);
    assert.deepEqual(JSON.parse(wrong.stdout).winners, ref.PreviousWinners);
  });

  it('fails with a clear message on a missing file, a bad block and bad --bits', () => {
    const badEntry = join(dir, 'bad-entry.json');
    writeFileSync(badEntry, JSON.stringify({ Height: 5, Entries: [{ Hash: 'zz', ExtIDs: [], Content: '' }] }));
    const cases: [string[], RegExp][] = [
      [['pegnet', 'grade', join(dir, 'nope.json'), '--bits', '10'], /cannot read/],
      [['pegnet', 'grade', badEntry, '--bits', '10'], /Hash must be hex/],
      [['pegnet', 'grade', badEntry, '--bits', '31'], /must be an integer in \[8, 30\]/],
    ];
    for (const [args, message] of cases) {
      const r = runPool(args);
      assert.notEqual(r.status, 0, args.join(' '));
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
  });

  it('grades a real MainNet block with the 30-bit table', { skip: fullTableAvailable() ? false : 'needs the 30-bit LXRHash table', timeout: 900_000 }, () => {
    const { path } = gradingFiles('mainnet').find((f) => f.name === '210419.json')!;
    const r = runPool(['pegnet', 'grade', path]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { height: 210419, winners: JSON.parse(readFileSync(path, 'utf8')).Winners });
  });
});
