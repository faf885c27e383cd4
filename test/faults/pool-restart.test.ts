// Restart in place (issue 24, item 4): `prosper-pool restart` while real miners submit. The
// listening sockets (plain and TLS) go from the old process to the new one, so a prober connecting
// in a loop to each port through the restart is never refused (and the TLS port then serves a
// handshake with its certificate); every share acknowledged (by either process) is credited
// in the store exactly once; the load's sessions (which follow client.reconnect once their
// submits are answered) and two real prosper-miner processes are all back within the stated
// bound of reconnectspread + 60 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { join } from 'node:path';
import { readPidFile } from '../../src/engine/pid-file.js';
import { processAlive } from '../../src/store/dir-lock.js';
import { makeTestCert } from '../helpers/tls-cert.js';
import { runToEnd, spawnCli, stopProc, until, type Proc } from '../e2e/helpers.js';
import { assertNothingLost, BITS, creditedByMiner, creditedInConfigured, dropSchema, poolConfig, freePort, MinerLoad, tempDir, uniqueSchema, writePoolToml } from './helpers.js';
import { probeConnects } from './connect-probe.js';

/** `[stratum] reconnectspread` left at its default. */
const SPREAD_S = 10;
/** The stated bound: every miner is back within this many seconds of the restart command. */
const BACK_WITHIN_S = SPREAD_S + 60;
const SESSIONS = 6;

const count = (text: string, needle: string) => text.split(needle).length - 1;

for (const backend of ['postgres', 'pglite'] as const) {
  test(`prosper-pool restart under load (${backend}): no refused connection, no acknowledged share lost, every miner back`, { timeout: 900_000 }, async (t) => {
    const dir = tempDir('restart');
    const db = { host: '127.0.0.1', port: 5432, database: 'test', schema: uniqueSchema('restart') };
    const stratumPort = await freePort();
    const tlsPort = await freePort();
    const cert = makeTestCert(dir);
    const stratumExtra = `tlsport = ${tlsPort}\ntlscert = "${cert.certFile}"\ntlskey = "${cert.keyFile}"`;
    // PGlite: the successor opens the directory only after the old process released its lock.
    const path = writePoolToml({ dir, stratumPort, stratumExtra, postgres: backend === 'postgres' ? { ...db, dbname: db.database } : undefined, blocktime: '10s' });
    const env = { HOME: dir, LXRBITSIZE: String(BITS), PROSPER_LOG_PRETTY: '0' };
    const pidFile = join(dir, '.prosper', 'prosper-pool.pid');
    let pool: Proc | undefined;
    let load: MinerLoad | undefined;
    const miners: Proc[] = [];
    try {
      pool = spawnCli('prosper-pool', ['--config', path], env);
      const p = pool;
      await until(() => p.out().includes('"msg":"pool running"') || p.child.exitCode !== null, 180_000, 'pool running', () => p.out().slice(-3000));
      await until(() => readPidFile(pidFile) === p.child.pid, 30_000, 'pid file written');
      load = await MinerLoad.start({ port: stratumPort, prefix: 'rs', sessions: SESSIONS, inflight: 4, reconnectMs: 200 });
      for (const i of [1, 2]) {
        miners.push(spawnCli('prosper-miner', ['-s', `127.0.0.1:${stratumPort}`, '-u', `real${i}@faults.test`, '-m', `real${i}`, '--bits', String(BITS), '-t', '1', '--reconnect-ms', '200'], env));
      }
      const welcomes = () => miners.map((m) => count(m.out(), 'Message from server'));
      await until(() => welcomes().every((n) => n >= 1), 120_000, 'real miners authorized', () => miners.map((m) => m.out().slice(-1500)).join('\n'));
      await load.moreAcks(60, 180_000, 'before the restart');

      const prober = probeConnects(stratumPort);
      const tlsProber = probeConnects(tlsPort);
      const signalled = Date.now();
      const restart = await runToEnd(['restart', '--config', path], env);
      assert.equal(restart.code, 0, `${restart.out}\n--- pool\n${p.out().slice(-6000)}`);
      assert.match(restart.out, /pool restarted: process \d+ took over/);
      assert.equal(await p.exited, 0, 'the old process exits cleanly');
      const successor = readPidFile(pidFile);
      assert.ok(successor !== null && successor !== p.child.pid && processAlive(successor), 'the pid file names the new live process');

      // Every load session and both real miners came back (the bound is checked once they have).
      const l = load;
      await until(() => SESSIONS === Object.values(l.progress.connectsByMiner ?? {}).filter((n) => n >= 2).length, 300_000, 'load sessions back', () => JSON.stringify(l.progress));
      await until(() => welcomes().every((n) => n >= 2), 300_000, 'real miners back', () => miners.map((m) => m.out().slice(-1500)).join('\n'));
      const backAfterS = (Date.now() - signalled) / 1000;
      assert.ok(backAfterS <= BACK_WITHIN_S, `every miner back after ${backAfterS.toFixed(1)} s, stated bound ${BACK_WITHIN_S} s`);
      for (const m of miners) assert.match(m.out(), new RegExp(`Pool asks to reconnect to 127\\.0\\.0\\.1:${stratumPort}`), 'the real miner followed client.reconnect to the same address');
      await load.moreAcks(30, 180_000, 'after the restart');
      const probed = await prober.stop();
      assert.equal(probed.refused, 0, `connections refused during the restart: ${JSON.stringify(probed)}`);
      assert.ok(probed.ok > 0, 'the prober connected');
      const tlsProbed = await tlsProber.stop();
      assert.equal(tlsProbed.refused, 0, `TLS port connections refused during the restart: ${JSON.stringify(tlsProbed)}`);
      assert.ok(tlsProbed.ok > 0, 'the TLS prober connected');
      // The successor serves TLS on the handed-over port with the configured certificate.
      const peer = await new Promise<string>((resolve, reject) => {
        const s = tlsConnect({ port: tlsPort, host: '127.0.0.1', ca: cert.cert, servername: 'localhost' }, () => {
          resolve(s.getPeerX509Certificate()?.fingerprint256 ?? '');
          s.destroy();
        });
        s.once('error', reject);
      });
      assert.equal(peer, cert.fingerprint256);

      const report = await load.stop();
      load = undefined;
      for (const m of miners) await stopProc(m);
      process.kill(successor!, 'SIGINT');
      await until(() => !processAlive(successor!), 60_000, 'new pool stopped', () => p.out().slice(-3000));
      assert.equal(count(p.out(), '"msg":"pool stopped"'), 2, p.out().slice(-3000));

      const credited = backend === 'postgres' ? await creditedByMiner(db) : await creditedInConfigured(poolConfig(path, dir));
      // The real miners' shares are counted by no one: only the load's are checked.
      for (const m of ['real1', 'real2']) {
        credited.raw.delete(m);
        credited.aggregate.delete(m);
      }
      // Submits in flight when a session was asked to go were answered before it went: exact.
      assertNothingLost(report, credited, { exact: true });
      t.diagnostic(`back after ${backAfterS.toFixed(1)} s (bound ${BACK_WITHIN_S} s); prober ${JSON.stringify(probed)}, TLS ${JSON.stringify(tlsProbed)}; acknowledged ${report.acked}, refused ${report.refused} ${JSON.stringify(report.refusals)}, connects ${report.connects}`);
    } finally {
      load?.kill();
      for (const m of miners) await stopProc(m, 'SIGKILL');
      const next = readPidFile(pidFile);
      if (next !== null && next !== pool?.child.pid && processAlive(next)) process.kill(next, 'SIGKILL');
      if (pool) await stopProc(pool, 'SIGKILL');
      if (backend === 'postgres') await dropSchema(db);
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('prosper-pool restart with no running pool: a coded error, for a missing pid file and for a dead process', { timeout: 120_000 }, async () => {
  const dir = tempDir('restart-none');
  const env = { HOME: dir, PROSPER_LOG_PRETTY: '0' };
  try {
    const missing = await runToEnd(['restart'], env);
    assert.equal(missing.code, 1, missing.out);
    assert.match(missing.out, /error PROSPER_E_ENGINE_NOT_RUNNING: no running pool: .*prosper-pool\.pid is missing/);
    // A pid file left by a process that has exited (a finished child's pid).
    const gone = spawnCli('prosper-pool', ['--help'], env);
    await gone.exited;
    mkdirSync(join(dir, '.prosper'), { recursive: true });
    writeFileSync(join(dir, '.prosper', 'prosper-pool.pid'), `${gone.child.pid}\n`);
    const dead = await runToEnd(['restart'], env);
    assert.equal(dead.code, 1, dead.out);
    assert.match(dead.out, new RegExp(`error PROSPER_E_ENGINE_NOT_RUNNING: no running pool: process ${gone.child.pid} named in .* is gone`));
    writeFileSync(join(dir, '.prosper', 'prosper-pool.pid'), 'not a pid\x00\n');
    const garbage = await runToEnd(['restart'], env);
    assert.equal(garbage.code, 1, garbage.out);
    assert.match(garbage.out, /PROSPER_E_ENGINE_NOT_RUNNING: .*holds no process id/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
