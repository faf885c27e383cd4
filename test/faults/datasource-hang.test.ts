// Fault: price datasources that accept the connection and never answer (a local HTTP server),
// configured ahead of the Devnet source in every asset's fallback order. Each pull costs at
// most the configured request timeout ([polling] timeout), the oracle falls back, and the pool
// keeps building a job for every block while real miners are acknowledged and credited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import {
  assertNothingLost, capturedLogger, creditedByMiner, dropSchema, freePort, poolConfig, PoolUnderLoad, sleep, tempDir, uniqueSchema, writePoolToml,
} from './helpers.js';

const HANGING = ['CoinGecko', 'CoinCap', 'ExchangeRates', 'Kitco'];

test('datasources hanging forever: the oracle times out and falls back, a job comes with every block, shares are credited', { timeout: 900_000 }, async (t) => {
  // Accepts every request, reads it, never answers.
  const open = new Set<Socket>();
  const requests: string[] = [];
  const hang = createServer((req: IncomingMessage) => {
    requests.push(req.url ?? '');
  });
  hang.on('connection', (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  await new Promise<void>((r) => hang.listen(0, '127.0.0.1', () => r()));
  const hangUrl = `http://127.0.0.1:${(hang.address() as { port: number }).port}`;

  const dir = tempDir('oracle');
  const db = { host: '127.0.0.1', port: 5432, database: 'test', schema: uniqueSchema('oracle') };
  const stratumPort = await freePort();
  const log = capturedLogger();
  const extra = `
[polling]
timeout = "1s"
cacheduration = "1s"
[oracle]
deadline = "10s"
${HANGING.map((s) => `${s.toLowerCase()}url = "${hangUrl}/${s.toLowerCase()}"`).join('\n')}
[oracledatasources]
${HANGING.map((s, i) => `${s} = ${i}`).join('\n')}
Devnet = 10
`;
  const config = poolConfig(writePoolToml({ dir, stratumPort, postgres: { ...db, dbname: db.database }, blocktime: '4s', extra }), dir);
  let run: PoolUnderLoad | undefined;
  try {
    run = await PoolUnderLoad.start(config, log.logger, { port: stratumPort, prefix: 'ds', sessions: 4 }, 180_000);
    const { engine, load } = run;
    const current = () => (engine.handler.current as { jobId: number } | undefined)?.jobId ?? -1;

    // Jobs keep coming, one per block, although the first sources of every asset never answer.
    const firstJob = current();
    const started = Date.now();
    const jobs = new Set<number>([firstJob]);
    let withoutJob = 0;
    while (jobs.size < 8) {
      if (Date.now() - started > 300_000) throw new Error(`only ${jobs.size} jobs in 300 s\n${log.tail()}`);
      await sleep(100);
      const j = current();
      if (j === -1) withoutJob++;
      else jobs.add(j);
    }
    const seconds = (Date.now() - started) / 1000;
    assert.equal(log.count(/cannot build the next job/), 0, 'no job build failed: the oracle fell back every time');
    assert.equal(withoutJob, 0, 'miners were never left without a job');
    assert.ok(requests.length >= 4, `the hanging sources were asked (${requests.length} requests)`);
    for (const s of HANGING) assert.ok(requests.some((u) => u.startsWith(`/${s.toLowerCase()}`)), `${s} was asked`);
    assert.ok(log.count(/price source failed; falling back/) >= 4, 'the timeouts were logged');
    // At most the pull under way holds connections to the hanging server (one per source).
    const openDuring = open.size;
    assert.ok(openDuring <= 2 * HANGING.length, `${openDuring} connections to the hanging server open`);
    await load.moreAcks(10, 180_000, 'while the sources hang');

    const { report, accepted } = await run.finish();
    // Every request that timed out is closed (undici lets an aborted socket go within seconds):
    // nothing piles up on the hanging server.
    const closeDeadline = Date.now() + 60_000;
    while (open.size > 0 && Date.now() < closeDeadline) await sleep(100);
    assert.equal(open.size, 0, `${open.size} connections to the hanging server left open 60 s after the pool stopped`);
    assertNothingLost(report, await creditedByMiner(db));
    assert.equal(report.acked, accepted);
    t.diagnostic(`${jobs.size - 1} new jobs in ${seconds.toFixed(1)} s, ${requests.length} requests to the hanging sources, ${openDuring} open at most during a pull; acknowledged ${report.acked}, refused ${report.refused} ${JSON.stringify(report.refusals)}`);
  } catch (err) {
    t.diagnostic(log.tail(60));
    throw err;
  } finally {
    await run?.abort();
    for (const s of open) s.destroy();
    await new Promise((r) => hang.close(r));
    await dropSchema(db);
    rmSync(dir, { recursive: true, force: true });
  }
});
