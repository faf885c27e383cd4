// Fault: the pool process (the real prosper-pool binary) is SIGKILLed while real miners submit,
// then started again on the same config. Every share acknowledged before the kill is credited
// exactly once after the restart; the only shares credited without an acknowledgement are ones
// whose answer the kill cut off (at most the submits left unanswered).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { spawnCli, stopProc, until, type Proc } from '../e2e/helpers.js';
import {
  assertNothingLost, BITS, creditedByMiner, dropSchema, freePort, MinerLoad, sleep, tempDir, uniqueSchema, writePoolToml,
} from './helpers.js';

test('prosper-pool SIGKILLed under load and restarted: every acknowledged share credited exactly once', { timeout: 900_000 }, async (t) => {
  const dir = tempDir('sigkill');
  const db = { host: '127.0.0.1', port: 5432, database: 'test', schema: uniqueSchema('sigkill') };
  const stratumPort = await freePort();
  // A long flush interval keeps shares buffered (not yet durable, not yet acknowledged) when the kill comes.
  const path = writePoolToml({ dir, stratumPort, postgres: { ...db, dbname: db.database }, blocktime: '10s', flushInterval: 150 });
  const env = { HOME: dir, LXRBITSIZE: String(BITS), PROSPER_LOG_PRETTY: '0' };
  const startPool = async (): Promise<Proc> => {
    const p = spawnCli('prosper-pool', ['--config', path], env);
    await until(() => p.out().includes('"msg":"pool running"') || p.child.exitCode !== null, 180_000, 'pool running', () => p.out().slice(-3000));
    assert.equal(p.child.exitCode, null, p.out().slice(-3000));
    return p;
  };
  let pool: Proc | undefined;
  let load: MinerLoad | undefined;
  try {
    pool = await startPool();
    load = await MinerLoad.start({ port: stratumPort, prefix: 'kl', sessions: 8, inflight: 4, reconnectMs: 200 });
    await load.moreAcks(60, 180_000, 'before the kill');

    // Killed mid-flush: no signal handler runs, nothing is flushed.
    pool.child.kill('SIGKILL');
    await pool.exited;
    const killed = pool;
    pool = undefined;
    assert.equal(killed.child.signalCode, 'SIGKILL');
    await sleep(500);
    const atKill = { ...load.progress };

    pool = await startPool();
    // The miners reconnect on their own and are acknowledged again.
    await load.moreAcks(30, 180_000, 'after the restart');
    const report = await load.stop();
    load = undefined;
    assert.equal(await stopProc(pool), 0, pool.out().slice(-3000));
    pool = undefined;
    assert.ok(report.connects > 8, 'the miners reconnected after the kill');

    const credited = await creditedByMiner(db);
    assertNothingLost(report, credited, { exact: false });
    const total = [...credited.raw.values()].reduce((a, b) => a + b, 0);
    t.diagnostic(`acknowledged before the kill ${atKill.acked}, unanswered at the kill ${atKill.unanswered}; in all acknowledged ${report.acked}, credited ${total}, refused ${report.refused} ${JSON.stringify(report.refusals)}`);
  } finally {
    load?.kill();
    if (pool) await stopProc(pool, 'SIGKILL');
    await dropSchema(db);
    rmSync(dir, { recursive: true, force: true });
  }
});
