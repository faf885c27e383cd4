// `prosper-pool --demo` as a user runs it: a real process on the embedded devnet and PGlite,
// which starts its own miners; within the test's bound its log shows OPRs won and rewards
// credited, and SIGTERM stops the miners and the pool cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quickDevnetConfig, runToEnd, spawnCli, stopProc, until } from './helpers.js';

interface LogLine {
  msg?: string;
  module?: string;
  demoMiner?: number;
  users?: number;
  winning?: number;
  jobId?: string;
  [k: string]: unknown;
}

function logLines(out: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const l of out.split('\n')) {
    if (!l.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(l) as LogLine);
    } catch {
      // a partial last line
    }
  }
  return lines;
}

/** The log's own words that must not be there: prompts of the miners, a first-invite line for users the demo registers. */
function noise(lines: LogLine[]): string[] {
  return lines.map((l) => String(l.msg ?? '')).filter((m) => /Password:|Confirm password|^no users yet/.test(m));
}

async function runDb(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { code, out } = await runToEnd(['db', ...args], env);
  assert.equal(code, 0, out);
  return out;
}

test('prosper-pool --demo: local miners register, the pool wins blocks and credits them, SIGTERM exits cleanly; a restart reuses the users and codes', { timeout: 300_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'prosper-demo-'));
  const config = join(home, 'pool.toml');
  quickDevnetConfig(config, 10);
  const env = { HOME: home, LXRBITSIZE: '10' };
  let pool = spawnCli('prosper-pool', ['--demo', '--config', config], env);
  try {
    const lines = () => logLines(pool.out());
    const tail = () => pool.out().slice(-4000);
    // Rewards split between the two demo users and the pool among a block's winners.
    await until(() => lines().some((l) => l.msg === 'job settled' && l.users === 2), 120_000, 'a reward credited to both demo miners', tail);
    await until(() => lines().some((l) => l.msg === 'pool OPRs won' && Number(l.winning) > 0), 10_000, 'pool OPRs won', tail);
    const all = lines();
    // The demo registers its own users: no invite line for a user's miner, no password prompts.
    assert.deepEqual(noise(all), []);
    // Both demo miners registered, and their own output is in the pool's log.
    for (const i of [1, 2]) {
      assert.ok(all.some((l) => l.demoMiner === i && typeof l.msg === 'string' && l.msg.includes(`demo${i}@example.com`)), `demo miner ${i} log relayed`);
      assert.ok(all.some((l) => l.demoMiner === i && l.msg === 'Message from server: Welcome to Prosper pool!'), `demo miner ${i} authorized`);
    }

    const code = await stopProc(pool, 'SIGTERM', 20_000);
    assert.equal(code, 0, tail());
    const end = lines();
    assert.equal(end.filter((l) => l.msg === 'demo miner exited').length, 2, 'both miners stopped');
    assert.equal(end.at(-1)?.msg, 'pool stopped');
    const codesBefore = await runDb(['--config', config, 'codes'], env);
    assert.equal(codesBefore.trim().split('\n').length, 2, codesBefore);

    // Restart: the same two users log in again; no new invite code, nothing noisy in the log.
    pool = spawnCli('prosper-pool', ['--demo', '--config', config], env);
    for (const i of [1, 2]) {
      await until(() => lines().some((l) => l.demoMiner === i && l.msg === 'Message from server: Welcome to Prosper pool!'), 120_000, `demo miner ${i} back after the restart`, tail);
    }
    assert.equal(await stopProc(pool, 'SIGTERM', 20_000), 0, tail());
    assert.deepEqual(noise(lines()), []);
    assert.ok(!lines().some((l) => l.demoMiner !== undefined && /Authorization refused/.test(String(l.msg))), tail());
    const codesAfter = await runDb(['--config', config, 'codes'], env);
    assert.deepEqual(codesAfter, codesBefore, 'the same two codes, both claimed');
    assert.equal([...codesAfter.matchAll(/claimed by demo\d@example\.com/g)].length, 2, codesAfter);
  } finally {
    await stopProc(pool, 'SIGKILL');
    rmSync(home, { recursive: true, force: true });
  }
});

test('prosper-pool --demo with a config that does not exist fails with a clear message', { timeout: 30_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'prosper-demo-'));
  try {
    const missing = join(home, 'nope.toml');
    const pool = spawnCli('prosper-pool', ['--demo', '--config', missing], { HOME: home });
    const code = await pool.exited;
    assert.notEqual(code, 0);
    assert.match(pool.out(), new RegExp(`config does not exist at ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
