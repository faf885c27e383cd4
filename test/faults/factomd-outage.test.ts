// Fault: factomd (a devnet started apart from the pool, `[factom] factomdlocation`) goes away
// for 60 s while real miners mine, then returns on the same port with its chain and a new
// block. The pool keeps serving the job it had, does not crash, moves to the new block's job
// when factomd returns, settles the job mined through the outage, and every acknowledged share
// is credited exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { Devnet } from '../../src/devnet/index.js';
import {
  assertNothingLost, capturedLogger, creditedByMiner, dropSchema, freePort, poolConfig, PoolUnderLoad, sleep, tempDir, uniqueSchema, writePoolToml,
} from './helpers.js';

const OUTAGE_MS = 60_000;
const BLOCK_SECONDS = 8;

test('factomd stopped for 60 s and back with a new block: the pool serves its job throughout, follows the new block, settles, loses no acknowledged share', { timeout: 900_000 }, async (t) => {
  const dir = tempDir('factomd');
  const db = { host: '127.0.0.1', port: 5432, database: 'test', schema: uniqueSchema('factomd') };
  const stratumPort = await freePort();
  const devnetPort = await freePort();
  const log = capturedLogger();
  const devnetOpts = { port: devnetPort, blockTimeSeconds: BLOCK_SECONDS, dataDir: join(dir, 'factomd'), logger: log.logger.child({ module: 'external-devnet' }) };
  let devnet: Devnet | undefined = new Devnet(devnetOpts);
  await devnet.start();
  const config = poolConfig(writePoolToml({ dir, stratumPort, postgres: { ...db, dbname: db.database }, factomd: devnet.url, testing: true, extra: '[oracledatasources]\nDevnet = 0\n' }), dir);
  const client = new pg.Client({ host: db.host, port: db.port, user: 'postgres', database: db.database });
  let run: PoolUnderLoad | undefined;
  try {
    run = await PoolUnderLoad.start(config, log.logger, { port: stratumPort, prefix: 'fd', sessions: 6 }, 180_000);
    const { engine, load } = run;
    assert.equal(engine.info.embeddedDevnet, false);
    assert.equal(engine.devnet, undefined);
    await load.moreAcks(20, 180_000, 'before the outage');

    // factomd goes away.
    const current = () => (engine.handler.current as { jobId: number } | undefined)?.jobId;
    const jobAtStop = current()!;
    const stoppedAt = Date.now();
    await devnet.stop();
    devnet = undefined;
    const ackedAtStop = load.progress.acked;
    // The pool keeps serving the last job: shares for it are still acknowledged.
    await load.moreAcks(30, OUTAGE_MS - 5_000, 'during the outage');
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
    assert.equal(current(), jobAtStop, 'the job in force when factomd left is still the job');
    const ackedInOutage = load.progress.acked - ackedAtStop;

    // factomd returns on the same port with its chain, and makes a new block.
    devnet = new Devnet(devnetOpts);
    await devnet.start();
    const returnedAt = Date.now();
    while (!(current()! > jobAtStop)) {
      if (Date.now() - returnedAt > 180_000) throw new Error(`no new job 180 s after factomd returned (job ${current()})\n${log.tail()}`);
      await sleep(200);
    }
    const newJob = current()!;
    t.diagnostic(`outage ${returnedAt - stoppedAt} ms, ${ackedInOutage} shares acknowledged during it on job ${jobAtStop}; new job ${newJob} ${Date.now() - returnedAt} ms after the return`);
    await load.moreAcks(10, 180_000, 'on the new job');

    // The job mined through the outage is settled once its stale window is over, over exactly
    // the credit its shares earned.
    await client.connect();
    const settled = async () => (await client.query<{ total: string }>(`SELECT total_credit::text AS total FROM ${db.schema}.job_settlements WHERE job_id = $1`, [jobAtStop])).rows[0];
    const settleDeadline = Date.now() + 180_000;
    while (!(await settled())) {
      if (Date.now() > settleDeadline) throw new Error(`job ${jobAtStop} not settled 60 s after factomd returned\n${log.tail()}`);
      await sleep(500);
    }
    const credit = (await client.query<{ c: string }>(`SELECT sum(credit)::text AS c FROM ${db.schema}.job_credits WHERE job_id = $1`, [jobAtStop])).rows[0]!.c;
    assert.equal((await settled())!.total, credit, 'the settlement splits exactly the job\'s credited work');

    const { report, accepted } = await run.finish();
    assertNothingLost(report, await creditedByMiner(db));
    assert.equal(report.acked, accepted);
    t.diagnostic(`acknowledged ${report.acked}, refused ${report.refused} ${JSON.stringify(report.refusals)}`);
  } catch (err) {
    t.diagnostic(log.tail(60));
    throw err;
  } finally {
    await run?.abort();
    await devnet?.stop();
    await client.end().catch(() => undefined);
    await dropSchema(db);
    rmSync(dir, { recursive: true, force: true });
  }
});
