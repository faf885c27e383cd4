// A real pool (embedded devnet, PGlite) with real miners in another process, and two webhook
// endpoints: one that accepts each request and never answers, one that answers. Miners that
// stop are announced offline and, when they come back, online, to the answering endpoint,
// while the hanging one holds its first request; all the while shares keep being acknowledged.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { capturedLogger, freePort, MinerLoad, poolConfig, PoolUnderLoad, tempDir, writePoolToml } from '../faults/helpers.js';
import { Receiver, until } from './receiver.js';

const SECRET = 'operator-secret-0123456789';

test('a webhook endpoint that hangs does not slow share acceptance; miner.offline and miner.online reach the other endpoint', { timeout: 600_000 }, async () => {
  const hang = await Receiver.start('/hang');
  hang.mode = 'hang';
  const ok = await Receiver.start('/ok');
  const dir = tempDir('notify');
  const stratumPort = await freePort();
  const log = capturedLogger();
  const extra = `
[notify]
urls = "${hang.url},${ok.url}"
secret = "${SECRET}"
events = "miner.offline,miner.online"
offlineafter = "3s"
timeout = "300s"
concurrency = 2
spooldir = "${dir}/notify"
`;
  const config = poolConfig(writePoolToml({ dir, stratumPort, extra }), dir);
  // Shares every half second per session, so a mining miner is never silent for offlineafter.
  config.stratum.sharetime = 0.5;
  let run: PoolUnderLoad | undefined;
  let second: MinerLoad | undefined;
  try {
    run = await PoolUnderLoad.start(config, log.logger, { port: stratumPort, prefix: 'wh', sessions: 2 }, 180_000);
    await run.load.moreAcks(10, 240_000, 'first shares');
    const first = await run.load.stop();
    assert.ok(first.acked >= 10);

    const events = (rx: Receiver) => rx.delivered().map((b) => `${b.event} ${String(b.data.miner)}`);
    const has = (e: string) => events(ok).includes(e);
    await until(() => has('miner.offline wh0') && has('miner.offline wh1'), 'both miners announced offline', 120_000);
    await until(() => hang.received.length === 1, 'the hanging endpoint holding its first request', 60_000);

    // The miners come back while the hanging endpoint still holds that request.
    const acceptedBefore = run.engine.stratum.counters.accepted;
    second = await MinerLoad.start({ port: stratumPort, prefix: 'wh', sessions: 2 });
    await second.moreAcks(40, 240_000, 'shares while an endpoint hangs');
    assert.ok(run.engine.stratum.counters.accepted - acceptedBefore >= 40, 'the pool counted them accepted');
    await until(() => has('miner.online wh0') && has('miner.online wh1'), 'both miners announced online', 120_000);
    assert.equal(hang.received.length, 1, 'the hanging endpoint gets its events one at a time: the rest wait behind the first');
    assert.equal(hang.received[0]!.answered, null);
    for (const miner of ['wh0', 'wh1']) {
      // Each miner's events alternate, starting with offline (a slow share may add a pair).
      const mine = events(ok).filter((e) => e.endsWith(` ${miner}`)).map((e) => e.split(' ')[0]);
      assert.ok(mine.length >= 2 && mine.every((e, i) => e === (i % 2 === 0 ? 'miner.offline' : 'miner.online')), `${miner}: ${mine.join(', ')}`);
    }
    for (const r of ok.received) assert.deepEqual(ok.verify(r, SECRET), { ok: true });
    assert.ok(run.engine.notifier.queued >= 3, 'what the hanging endpoint has not taken waits in the queue');
    await second.stop();
    second = undefined;
  } finally {
    second?.kill();
    await hang.close(); // the held request fails, so the engine's stop does not wait for its timeout
    await run?.abort();
    await ok.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
