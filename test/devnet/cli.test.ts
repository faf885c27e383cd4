import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import { FactomdClient } from '../../src/factom/index.js';

test('`prosper-pool devnet` serves the API, persists to --datadir and stops on SIGINT', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prosper-devnet-cli-'));
  const script = "import('./src/cli/prosper-pool.ts').then((m) => m.main(process.argv))";
  const args = ['devnet', '--port', '0', '--blocktime', '1', '--datadir', dir, '--competitors', '30', '--bits', '10', '--table-dir', join(dir, 'lxr')];
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script, 'prosper-pool', ...args], {
    cwd: repoRoot(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('devnet did not start: ' + out)), 15000);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /"url":"([^"]+)"/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited early (${code}): ${out}`)));
    });
    const c = new FactomdClient({ url, retries: 0 });
    assert.equal((await c.properties()).factomdApiVersion, '2.0');
    assert.equal((await c.currentMinute()).directoryBlockInSeconds, 1);
    // The competitor miners fill the OPR chain: its newest entry block (after genesis) holds 30 OPRs.
    const opr = 'a642a8674f46696cc47fdb6b65f9c87b2a19c5ea8123b3d2f0c13b6f33a9d5ef';
    let latest = await c.entryBlock((await c.chainHead(opr)).chainHead);
    for (let i = 0; i < 100 && latest.header.dbHeight === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      latest = await c.entryBlock((await c.chainHead(opr)).chainHead);
    }
    assert.ok(latest.header.dbHeight >= 1, 'an OPR block was saved');
    assert.equal(latest.entryList.length, 30);
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    assert.equal(await exit, 0);
    assert.ok(existsSync(join(dir, 'blocks.jsonl')));
    assert.ok(existsSync(join(dir, 'state.json')));
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('`prosper-pool devnet` rejects a bad --blocktime', async () => {
  const script = "import('./src/cli/prosper-pool.ts').then((m) => m.main(process.argv))";
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script, 'prosper-pool', 'devnet', '--blocktime', '0'], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  assert.notEqual(code, 0);
  assert.match(err, /blocktime/);
});
