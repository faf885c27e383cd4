import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import { FactomdClient } from '../../src/factom/index.js';
import { CONFIG_SCHEMA, defaultConfig } from '../../src/config/index.js';

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

const DEVNET_DEFAULTS = defaultConfig().devnet;
const CLI = "import('./src/cli/prosper-pool.ts').then((m) => m.main(process.argv))";

/** Starts `prosper-pool <args>` and resolves with its "devnet running" log line once it is up. */
async function startDevnetCli(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', CLI, 'prosper-pool', ...args], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'], env });
  let out = '';
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const running = await new Promise<Record<string, any>>((resolve, reject) => {
    // Generous: tsx compiles the CLI on a loaded machine.
    const timer = setTimeout(() => reject(new Error('devnet did not start: ' + out)), 120_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.includes('devnet running'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited early (${code}): ${out}`)); });
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exit = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    await exit;
  };
  return { running, stop };
}

/** The environment of a fresh machine: HOME in a temp dir (no config file there), no LXRBITSIZE. */
function freshEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env.LXRBITSIZE;
  return env;
}

test('`prosper-pool devnet` runs on the embedded devnet\'s defaults: 30 s blocks, 30 competitors, a 16-bit table', { timeout: 300_000 }, async () => {
  assert.deepEqual([DEVNET_DEFAULTS.blocktime, DEVNET_DEFAULTS.competitors, DEVNET_DEFAULTS.lxrbits], [30, 30, 16]);
  const home = mkdtempSync(join(tmpdir(), 'prosper-devnet-home-'));
  const dn = await startDevnetCli(['devnet', '--port', '0', '--table-dir', join(home, 'lxr')], freshEnv(home));
  try {
    assert.equal(dn.running.blocktime, 30);
    assert.equal(dn.running.competitors, 30);
    assert.equal(dn.running.lxrbits, 16);
    assert.equal(dn.running.datadir, join(home, '.prosper', 'devnet'));
    assert.ok(existsSync(join(home, 'lxr', 'lxrhash-seed-fafaececfafaecec-passes-5-size-16.dat')), 'the competitors hash on the 16-bit table');
    const c = new FactomdClient({ url: dn.running.url, retries: 0 });
    assert.equal((await c.currentMinute()).directoryBlockInSeconds, 30);
  } finally {
    await dn.stop();
    rmSync(home, { recursive: true, force: true });
  }
});

test('`prosper-pool devnet` takes unset options from the config file\'s [devnet] section, as the embedded devnet does', { timeout: 300_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'prosper-devnet-conf-'));
  const conf = join(home, 'pool.toml');
  writeFileSync(conf, `[devnet]\nblocktime = "2s"\ncompetitors = 5\nlxrbits = 10\ndatadir = "${join(home, 'chain')}"\n`);
  const dn = await startDevnetCli(['--config', conf, 'devnet', '--port', '0', '--table-dir', join(home, 'lxr')], freshEnv(home));
  try {
    assert.deepEqual([dn.running.blocktime, dn.running.competitors, dn.running.lxrbits, dn.running.datadir], [2, 5, 10, join(home, 'chain')]);
    const c = new FactomdClient({ url: dn.running.url, retries: 0 });
    assert.equal((await c.currentMinute()).directoryBlockInSeconds, 2);
    const opr = 'a642a8674f46696cc47fdb6b65f9c87b2a19c5ea8123b3d2f0c13b6f33a9d5ef';
    // Poll (up to two minutes) until the first block after genesis is saved with the competitors' OPRs.
    let latest = await c.entryBlock((await c.chainHead(opr)).chainHead);
    for (const until = Date.now() + 120_000; latest.header.dbHeight === 0 && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 200));
      latest = await c.entryBlock((await c.chainHead(opr)).chainHead);
    }
    assert.equal(latest.entryList.length, 5);
  } finally {
    await dn.stop();
    rmSync(home, { recursive: true, force: true });
  }
});

test('`prosper-pool devnet --help` and the README state the defaults', () => {
  const help = spawnSync(process.execPath, ['--import', 'tsx', '-e', CLI, 'prosper-pool', 'devnet', '--help'], { cwd: repoRoot(), encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
  const d = DEVNET_DEFAULTS;
  for (const fact of [`[devnet] port, ${d.port}`, `[devnet] blocktime, ${d.blocktime} s`, `[devnet] competitors, ${d.competitors}`, `LXRBITSIZE, else [devnet] lxrbits, ${d.lxrbits}`, `[devnet] datadir, ${CONFIG_SCHEMA.devnet.datadir.default}`]) {
    assert.ok(help.includes(fact), `--help says "${fact}": ${help}`);
  }
  const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('#### prosper-pool devnet'), readme.indexOf('#### prosper-pool web')).replace(/\s+/g, ' ');
  for (const fact of [`port \`${d.port}\``, `${d.blocktime} s blocks`, `${d.competitors} competitor OPRs per block`, `${d.lxrbits}-bit LXRHash table`, `\`${CONFIG_SCHEMA.devnet.datadir.default}\``]) {
    assert.ok(section.includes(fact), `the README's devnet section says "${fact}"`);
  }
});
