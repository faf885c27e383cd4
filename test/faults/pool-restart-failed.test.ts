// Restart in place that fails (issue 24, item 4; README "Restarts in place"): when the successor
// does not take the listening socket, the old process logs PROSPER_E_ENGINE_HANDOVER and keeps
// serving its miners (their shares keep being acknowledged, the port is never refused), and a
// second SIGUSR2 while the first restart is under way is ignored with a log line.
//
// How the successor is made to fail, with no test-only knob in the pool: once the pool runs, its
// config file is replaced by a FIFO. The successor (same argv: `--config <that path>`) blocks
// reading it, which holds the restart open for as long as the test needs (the second SIGUSR2 is
// sent then); the test then writes malformed TOML into the FIFO, so the successor exits with a
// config error before it has taken the socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPidFile } from '../../src/engine/pid-file.js';
import { spawnCli, stopProc, until, type Proc } from '../e2e/helpers.js';
import { freePort, MinerLoad, tempDir, writePoolToml } from './helpers.js';
import { probeConnects } from './connect-probe.js';

const count = (text: string, needle: string) => text.split(needle).length - 1;

test('a restart in place whose successor fails: PROSPER_E_ENGINE_HANDOVER, the old pool keeps serving, a second SIGUSR2 meanwhile is ignored', { timeout: 600_000 }, async () => {
  const dir = tempDir('restart-fail');
  const stratumPort = await freePort();
  const path = writePoolToml({ dir, stratumPort, blocktime: '10s' });
  const env = { HOME: dir, LXRBITSIZE: '12', PROSPER_LOG_PRETTY: '0' };
  const pidFile = join(dir, '.prosper', 'prosper-pool.pid');
  let pool: Proc | undefined;
  let load: MinerLoad | undefined;
  try {
    pool = spawnCli('prosper-pool', ['--config', path], env);
    const p = pool;
    const tail = () => p.out().slice(-4000);
    await until(() => p.out().includes('"msg":"pool running"') || p.child.exitCode !== null, 180_000, 'pool running', tail);
    await until(() => readPidFile(pidFile) === p.child.pid, 30_000, 'pid file written');
    load = await MinerLoad.start({ port: stratumPort, prefix: 'rf', sessions: 3, inflight: 4, reconnectMs: 200 });
    await load.moreAcks(20, 180_000, 'before the restart');

    rmSync(path);
    const fifo = spawnSync('mkfifo', [path], { encoding: 'utf8' });
    assert.equal(fifo.status, 0, fifo.stderr);
    const prober = probeConnects(stratumPort);
    process.kill(p.child.pid!, 'SIGUSR2');
    await until(() => p.out().includes('restarting in place: successor started'), 60_000, 'successor started', tail);
    // The successor is blocked on the FIFO: the restart is still under way.
    process.kill(p.child.pid!, 'SIGUSR2');
    await until(() => p.out().includes('a restart or stop is already under way'), 60_000, 'second SIGUSR2 logged', tail);
    assert.equal(count(p.out(), 'restarting in place: successor started'), 1, 'the second SIGUSR2 started no successor');
    // Malformed TOML: the successor exits with a config error, never having taken the socket.
    writeFileSync(path, 'this is [not toml\n');
    await until(() => p.out().includes('PROSPER_E_ENGINE_HANDOVER'), 120_000, 'handover failure logged', tail);
    assert.match(p.out(), /"err":"the new pool process \d+ did not take over \(it exited with \d+\); this one keeps serving","code":"PROSPER_E_ENGINE_HANDOVER"/);
    assert.match(p.out(), /restart in place failed/);

    // The old process still serves: shares acknowledged after the failure, the port never refused.
    await load.moreAcks(20, 180_000, 'after the failed restart');
    const probed = await prober.stop();
    assert.equal(probed.refused, 0, `connections refused: ${JSON.stringify(probed)}`);
    assert.ok(probed.ok > 0, 'the prober connected');
    assert.equal(p.child.exitCode, null, 'the old pool still runs');
    assert.equal(readPidFile(pidFile), p.child.pid, 'the pid file still names the old pool');
    assert.ok(!p.out().includes('no longer accepting'), 'the old pool never stopped accepting');
    const report = await load.stop();
    load = undefined;
    assert.ok(report.acked > 0, 'shares were acknowledged');
    assert.equal(await stopProc(p), 0, tail());
  } finally {
    load?.kill();
    if (pool) await stopProc(pool, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
