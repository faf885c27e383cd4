// Fault: the pool's PostgreSQL goes away for 60 s in the middle of a job (stopped as a crash
// would, `pg_ctl stop -m immediate`) while real miners keep submitting, then comes back. The
// pool acknowledges shares through the outage from its disk spool ([accounting] spooldir),
// replays the spool when the database returns, and every acknowledged share is credited exactly
// once. A private PostgreSQL of the test's own: the shared one on 5432 is never touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import {
  assertNothingLost, capturedLogger, creditedByMiner, freePort, poolConfig, PoolUnderLoad, PrivatePostgres, sleep, spoolFiles, tempDir, uniqueSchema, writePoolToml,
} from './helpers.js';

const OUTAGE_MS = 60_000;

test('PostgreSQL stopped for 60 s mid-job: shares acknowledged through the spool, every one credited exactly once after it returns', {
  timeout: 900_000,
  skip: PrivatePostgres.available() ? false : 'PostgreSQL server binaries (/usr/lib/postgresql/15/bin/initdb, pg_ctl) are not installed: cannot run a private PostgreSQL to stop',
}, async (t) => {
  const dir = tempDir('pgout');
  const pgPrivate = await PrivatePostgres.create();
  const db = { host: '127.0.0.1', port: pgPrivate.port, database: 'postgres', schema: uniqueSchema('pgout') };
  const stratumPort = await freePort();
  const log = capturedLogger();
  const config = poolConfig(writePoolToml({ dir, stratumPort, postgres: { ...db, dbname: db.database }, blocktime: '15s' }), dir);
  let run: PoolUnderLoad | undefined;
  try {
    run = await PoolUnderLoad.start(config, log.logger, { port: stratumPort, prefix: 'pg', sessions: 6 }, 180_000);
    const { engine, load } = run;
    await load.moreAcks(20, 180_000, 'before the outage');

    // The database dies mid-job.
    const jobAtStop = (engine.handler.current as { jobId: number }).jobId;
    const stoppedAt = Date.now();
    pgPrivate.stopImmediate();
    const ackedAtStop = load.progress.acked;
    // Miners are still answered `true` during the outage: their credit is fsynced to the spool.
    await load.moreAcks(30, OUTAGE_MS - 5_000, 'during the outage');
    assert.ok(spoolFiles(dir) > 0, 'credit waits in the spool while the database is down');
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
    const ackedInOutage = load.progress.acked - ackedAtStop;
    const spooled = spoolFiles(dir);
    assert.ok(log.count(/database unavailable; share batch spooled to disk/) > 0, 'the ledger spooled batches');
    t.diagnostic(`outage ${Date.now() - stoppedAt} ms: ${ackedInOutage} shares acknowledged, ${spooled} batches spooled, job at stop ${jobAtStop}`);

    // It comes back: the spool is replayed (timer: every 5 s) and new credit goes straight in.
    pgPrivate.start();
    const replayDeadline = Date.now() + 180_000;
    while (spoolFiles(dir) > 0) {
      if (Date.now() > replayDeadline) throw new Error(`spool still holds ${spoolFiles(dir)} batches 180 s after the database returned\n${log.tail()}`);
      await sleep(200);
    }
    await load.moreAcks(20, 180_000, 'after the database returned');
    assert.ok(log.count(/spooled share batches replayed/) > 0, 'the spool was replayed');

    const { report, accepted } = await run.finish();
    assert.equal(spoolFiles(dir), 0, 'nothing left in the spool after the stop');
    const credited = await creditedByMiner(db);
    assertNothingLost(report, credited);
    assert.equal(report.acked, accepted);
    t.diagnostic(`acknowledged ${report.acked} (during the outage ${ackedInOutage}), refused ${report.refused} ${JSON.stringify(report.refusals)}, credited ${[...credited.raw.values()].reduce((a, b) => a + b, 0)}`);
  } catch (err) {
    t.diagnostic(log.tail(60));
    throw err;
  } finally {
    await run?.abort();
    pgPrivate.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
