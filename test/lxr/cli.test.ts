import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runBin } from '../helpers/cli.js';
import { lxrTableVectors } from '../helpers/lxr-vectors.js';

const dir = mkdtempSync(join(tmpdir(), 'prosper-lxr-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const t16 = lxrTableVectors(16);

describe('prosper-pool lxr', () => {
  it('gen prints the table sha256', () => {
    const r = runBin('prosper-pool', ['lxr', 'gen', '--bits', '16', '--table-dir', dir, '--log', 'warn']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), t16.table_sha256);
  });
  it('hash prints the 64-hex hash of the input bytes, with every kernel', () => {
    for (const kernel of ['auto', 'js1', 'js4']) {
      for (const v of t16.vectors.slice(0, 6)) {
        const r = runBin('prosper-pool', ['lxr', 'hash', '--bits', '16', '--table-dir', dir, '--kernel', kernel, v.input_hex]);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout.trim(), v.output_hex, `${v.name} with ${kernel}`);
      }
    }
  });
  it('takes the size from LXRBITSIZE when --bits is absent', () => {
    const r = runBin('prosper-pool', ['lxr', 'hash', '--table-dir', dir, '616263'], { LXRBITSIZE: '16' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), t16.vectors.find((v) => v.name === 'abc')!.output_hex);
  });
  it('bench reports a rate for each kernel', () => {
    const r = runBin('prosper-pool', ['lxr', 'bench', '--bits', '16', '--table-dir', dir, '--seconds', '0.2', '--json', '--log', 'warn']);
    assert.equal(r.status, 0, r.stderr);
    const results = JSON.parse(r.stdout) as { kernel: string; hashesPerSecond: number }[];
    assert.ok(results.some((x) => x.kernel === 'js4'));
    for (const x of results) assert.ok(x.hashesPerSecond > 0, x.kernel);
  });
  it('refuses bad input with a clear message and a non-zero exit', () => {
    const badBits = runBin('prosper-pool', ['lxr', 'hash', '--bits', '40', 'aa']);
    assert.notEqual(badBits.status, 0);
    assert.match(badBits.stderr, /--bits.*must be an integer in \[8, 30\]/);
    const badHex = runBin('prosper-pool', ['lxr', 'hash', '--bits', '16', '--table-dir', dir, 'xyz']);
    assert.notEqual(badHex.status, 0);
    assert.match(badHex.stderr, /even-length hex/);
    const badKernel = runBin('prosper-pool', ['lxr', 'hash', '--bits', '16', '--table-dir', dir, '--kernel', 'gpu', 'aa']);
    assert.notEqual(badKernel.status, 0);
    assert.match(badKernel.stderr, /Allowed choices/);
  });
});
