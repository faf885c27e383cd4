// The command the embedded pool prints for its first miner, run exactly as printed from the
// repository folder (npx and all): it registers, mines and gets shares accepted. Run again
// without --bits, the miner hashes with the size it remembered instead of the 30-bit default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isValidFctAddress } from '../../src/factom/index.js';
import { quickDevnetConfig, ROOT, spawnCli, stopProc, until, type Proc } from './helpers.js';

const BITS = 10;

/** Runs a printed command line (words split on spaces) in the repository folder, as a user pastes it. */
function runPrinted(words: string[], env: NodeJS.ProcessEnv): Proc {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.LXRBITSIZE; // the size must come from the command or the miner's memory
  // Its own process group: npx runs the bin in a child, and a stop must reach both.
  const child = spawn(words[0]!, words.slice(1), { cwd: ROOT, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out: () => out, exited };
}

async function stopGroup(p: Proc): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const timer = setTimeout(() => process.kill(-p.child.pid!, 'SIGKILL'), 20_000);
  process.kill(-p.child.pid!, 'SIGINT');
  await p.exited;
  clearTimeout(timer);
}

test('the printed first-miner command runs as printed, mines accepted shares, and a second run remembers the table size', { timeout: 300_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'prosper-minercmd-'));
  const config = join(home, 'pool.toml');
  quickDevnetConfig(config, BITS);
  const env = { HOME: home, PROSPER_LOG_PRETTY: '0' };
  const pool = spawnCli('prosper-pool', ['--config', config], { ...env, LXRBITSIZE: String(BITS) });
  const miners: Proc[] = [];
  try {
    await until(() => pool.out().includes('no users yet'), 120_000, 'the first-invite line', () => pool.out().slice(-3000));
    const line = JSON.parse(pool.out().split('\n').find((l) => l.includes('no users yet'))!) as { msg: string; payoutAddress: string; payoutSecret: string };
    const printed = line.msg.slice(line.msg.indexOf('with:') + 'with:'.length).trim();
    assert.match(printed, new RegExp(`^npx prosper-miner -s 127\\.0\\.0\\.1:\\d+ -u you@example\\.com -i \\S{10,} -a FA\\w{50} -p --bits ${BITS}$`));
    const words = printed.split(/\s+/);
    const address = words[words.indexOf('-a') + 1]!;
    assert.ok(isValidFctAddress(address), address);
    assert.equal(line.payoutAddress, address);
    assert.match(line.payoutSecret, /^Fs\w{50}$/);

    const first = runPrinted(words, env);
    miners.push(first);
    first.child.stdin!.write('first-miner-password\nfirst-miner-password\n');
    await until(() => /Message from server: Welcome/.test(first.out()), 120_000, 'the printed command authorizes', () => first.out().slice(-3000));
    assert.match(first.out(), new RegExp(`\\(${BITS}-bit table\\)`));
    await until(() => /shares accepted [1-9]/.test(first.out()), 120_000, 'a share accepted', () => first.out().slice(-3000));
    await stopGroup(first);
    assert.match(readFileSync(join(home, '.prosper', 'prosper-miner.toml'), 'utf8'), new RegExp(`bits = ${BITS}`));

    // Again, without --bits (and with LXRBITSIZE unset): the remembered size.
    const again = words.filter((w, i) => w !== '--bits' && words[i - 1] !== '--bits');
    const second = runPrinted(again, env);
    miners.push(second);
    second.child.stdin!.write('first-miner-password\nfirst-miner-password\n');
    await until(() => /Message from server: Welcome/.test(second.out()), 120_000, 'the second run authorizes', () => second.out().slice(-3000));
    assert.match(second.out(), new RegExp(`\\(${BITS}-bit table\\)`));
    assert.doesNotMatch(second.out(), /Password:/, 'no prompt on a piped stdin');
    await stopGroup(second);
  } finally {
    for (const m of miners) await stopGroup(m).catch(() => undefined);
    await stopProc(pool, 'SIGKILL');
    rmSync(home, { recursive: true, force: true });
  }
});
