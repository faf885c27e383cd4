// Fault: a validation worker thread dies in the middle of a batch (process.exit inside the
// worker, the engine's fault injection) while real miners submit to the running pool. Nothing
// acknowledged is lost, piscina replaces the worker, the batch is retried and the pool keeps
// validating.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import {
  assertNothingLost, capturedLogger, creditedByMiner, dropSchema, freePort, poolConfig, PoolUnderLoad, tempDir, uniqueSchema, writePoolToml,
} from './helpers.js';

test('validation workers killed mid-batch under load: every acknowledged share credited exactly once, validation goes on', { timeout: 900_000 }, async (t) => {
  const dir = tempDir('worker');
  const schema = uniqueSchema('worker');
  const db = { host: '127.0.0.1', port: 5432, database: 'test', schema };
  const stratumPort = await freePort();
  const log = capturedLogger();
  const config = poolConfig(writePoolToml({ dir, stratumPort, postgres: { ...db, dbname: db.database }, blocktime: '6s' }), dir);
  let run: PoolUnderLoad | undefined;
  try {
    run = await PoolUnderLoad.start(config, log.logger, { port: stratumPort, prefix: 'wk', sessions: 6 }, 180_000);
    const { engine, load } = run;
    await load.moreAcks(20, 180_000, 'before any fault');

    const validator = engine.validator;
    const CRASHES = 6;
    for (let k = 1; k <= CRASHES; k++) {
      // The next batch's worker calls process.exit half way through it.
      validator.crashNextBatches(1);
      const deadline = Date.now() + 120_000;
      while (validator.stats().retried < k) {
        if (Date.now() > deadline) throw new Error(`crash ${k} never happened: ${JSON.stringify(validator.stats())}\n${log.tail()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      // After each death the replacement worker proves new shares.
      await load.moreAcks(5, 120_000, `after worker death ${k}`);
    }
    const stats = validator.stats();
    // A dying worker also takes down the second batch piscina had posted to it: both are retried.
    assert.ok(stats.retried >= CRASHES && stats.retried <= 2 * CRASHES, `batches retried: ${stats.retried}`);
    assert.equal(stats.failed, 0, 'no batch failed twice: the retry succeeded every time');
    assert.ok(log.count(/validation worker failed on a batch; retrying once/) >= CRASHES, 'the deaths were logged');

    const { report, accepted } = await run.finish();
    const credited = await creditedByMiner(db);
    assertNothingLost(report, credited);
    assert.equal(report.acked, accepted, 'the server counted what the miners were told');
    assert.equal(report.refused, 0, `no share refused: ${JSON.stringify(report.refusals)}`);
    t.diagnostic(`${CRASHES} worker deaths, ${stats.retried} batches retried, ${stats.failed} failed; acknowledged ${report.acked}, credited ${[...credited.raw.values()].reduce((a, b) => a + b, 0)}`);
  } finally {
    await run?.abort();
    await dropSchema(db);
    rmSync(dir, { recursive: true, force: true });
  }
});
