// One PGlite data directory, two real processes. Two PGlite instances on one directory each keep
// their own buffers and lose each other's committed rows, so the second process must refuse with
// a clear coded error while the first has it open, work once it has stopped, and take over the
// lock a killed process left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runToEnd, spawnCli, stopProc, until, type Proc } from './helpers.js';

const SECRET = 'a-web-session-secret-of-forty-characters!';

/** `prosper-pool web` holds the embedded database open as long as it runs. */
async function holder(config: string, env: NodeJS.ProcessEnv): Promise<Proc> {
  const p = spawnCli('prosper-pool', ['--config', config, 'web', '--port', String(await freePort())], env);
  await until(() => p.out().includes('"msg":"web server listening"') || p.child.exitCode !== null, 120_000, 'web holding the database', () => p.out());
  assert.equal(p.child.exitCode, null, p.out());
  return p;
}

test('PGlite: a second process on the same data directory is refused while the first runs, and gets in after it stops or dies', { timeout: 300_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'prosper-pglite-lock-'));
  const datadir = join(home, 'db');
  const config = join(home, 'pool.toml');
  writeFileSync(config, `[database]\ndatadir = "${datadir}"\n[web]\nhost = "127.0.0.1"\n`);
  const env = { HOME: home, PROSPER_WEB_SECRET: SECRET, PROSPER_LOG_PRETTY: '0' };
  const db = (...args: string[]) => runToEnd(['--config', config, 'db', ...args], env);
  let first: Proc | undefined;
  try {
    const made = await db('code');
    assert.equal(made.code, 0, made.out);
    const code1 = /New Code: (\S+)/.exec(made.out)![1]!;
    assert.equal(existsSync(`${datadir}.lock`), false, 'a command releases the lock when it ends');

    first = await holder(config, env);
    const lock = JSON.parse(readFileSync(`${datadir}.lock`, 'utf8')) as { pid: number };
    assert.equal(lock.pid, first.child.pid);
    // The pool itself too: it exits at once with the coded message.
    for (const args of [['db', 'users'], ['db', 'code'], []]) {
      const refused = await runToEnd(['--config', config, ...args], env);
      assert.equal(refused.code, 1, refused.out);
      assert.match(refused.out, new RegExp(`error PROSPER_E_STORE_LOCKED: the embedded database \\(PGlite\\) ${datadir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is open in process ${first.child.pid}`));
    }

    // Stopped cleanly: the lock is gone and the next command works; nothing was written meanwhile.
    assert.equal(await stopProc(first, 'SIGINT', 20_000), 0, first.out());
    assert.equal(existsSync(`${datadir}.lock`), false);
    const after = await db('codes');
    assert.equal(after.code, 0, after.out);
    assert.deepEqual([...after.out.matchAll(/^(\S+)\t.*unused$/gm)].map((m) => m[1]), [code1]);

    // Killed: its lock stays behind with a dead pid, and the next process takes it over.
    first = await holder(config, env);
    first.child.kill('SIGKILL');
    await first.exited;
    assert.equal((JSON.parse(readFileSync(`${datadir}.lock`, 'utf8')) as { pid: number }).pid, first.child.pid, 'the dead process left its lock');
    const again = await db('code');
    assert.equal(again.code, 0, again.out);
    const listed = await db('codes');
    assert.equal(listed.code, 0, listed.out);
    assert.equal([...listed.out.matchAll(/unused$/gm)].length, 2, listed.out);
    assert.equal(existsSync(`${datadir}.lock`), false);
  } finally {
    if (first) await stopProc(first, 'SIGKILL');
    rmSync(home, { recursive: true, force: true });
  }
});
