import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './helpers.js';

test('minutes and heights follow factomd, including the minute-0 lag', async () => {
  const h = await startHarness();
  try {
    const start = h.clock.t;
    for (let m = 0; m < 10; m++) {
      h.clock.t = start + m * h.minuteMs + 1;
      const cm = await h.client.currentMinute();
      assert.equal(cm.minute, m);
      assert.equal(cm.leaderHeight, 0);
      assert.equal(cm.directoryBlockHeight, 0);
      // ns fields exact (beyond 2^53) and consistent with the clock.
      assert.equal(cm.currentTime, BigInt(h.clock.t) * 1_000_000n);
      assert.equal(cm.currentBlockStartTime, BigInt(start) * 1_000_000n);
      assert.equal(cm.currentMinuteStartTime, BigInt(start + m * h.minuteMs) * 1_000_000n);
      assert.equal(cm.directoryBlockInSeconds, 10);
    }
    // Minute 0 of block 2: block 1 complete (leader) but not saved.
    h.clock.t = start + h.blockMs + 1;
    let cm = await h.client.currentMinute();
    assert.deepEqual([cm.minute, cm.leaderHeight, cm.directoryBlockHeight], [0, 1, 0]);
    const heights = await h.client.heights();
    assert.deepEqual(heights, { directoryBlockHeight: 0, leaderHeight: 1, entryBlockHeight: 0, entryHeight: 0 });
    h.clock.t = start + h.blockMs + h.minuteMs + 1;
    cm = await h.client.currentMinute();
    assert.deepEqual([cm.minute, cm.leaderHeight, cm.directoryBlockHeight], [1, 1, 1]);
    // Several blocks pass between two polls: every block is produced, in order.
    h.clock.t = start + 4 * h.blockMs + 2 * h.minuteMs + 1;
    cm = await h.client.currentMinute();
    assert.deepEqual([cm.minute, cm.leaderHeight, cm.directoryBlockHeight], [2, 4, 4]);
    for (let height = 0; height <= 4; height++) assert.equal((await h.client.verifiedDirectoryBlock(height)).header.dbHeight, height);
    // A long pause does not back-fill hundreds of blocks.
    h.clock.t += 1000 * h.blockMs;
    cm = await h.client.currentMinute();
    assert.equal(cm.leaderHeight, 5);
    assert.equal(cm.minute, 0);
  } finally {
    await h.stop();
  }
});

test('minuteZeroLag=false saves a block as soon as it completes', async () => {
  const h = await startHarness({ minuteZeroLag: false });
  try {
    h.toNextBlockMinute(0);
    const cm = await h.client.currentMinute();
    assert.deepEqual([cm.minute, cm.leaderHeight, cm.directoryBlockHeight], [0, 1, 1]);
  } finally {
    await h.stop();
  }
});

test('real-time clock with a 1 s block time advances on its own timer', async () => {
  const { Devnet } = await import('../../src/devnet/index.js');
  const { FactomdClient } = await import('../../src/factom/index.js');
  const d = new Devnet({ port: 0, blockTimeSeconds: 1 });
  const port = await d.start();
  try {
    const c = new FactomdClient({ url: `http://127.0.0.1:${port}/v2`, retries: 0 });
    // Sample until the clock has shown eight different minutes and sealed a block; the deadline
    // is only there to report a clock that stopped.
    const seen = new Set<number>();
    const deadline = Date.now() + 120_000;
    while (seen.size < 8 || (await c.heights()).leaderHeight < 1) {
      assert.ok(Date.now() < deadline, `the clock stopped: saw minutes ${[...seen].join(',')}`);
      seen.add((await c.currentMinute()).minute);
      await new Promise((r) => setTimeout(r, 40));
    }
  } finally {
    await d.stop();
  }
});

test('bad block time is a config error', async () => {
  const { Devnet } = await import('../../src/devnet/index.js');
  assert.throws(() => new Devnet({ blockTimeSeconds: 0 }), { code: 'PROSPER_E_DEVNET_CONFIG' });
  assert.throws(() => new Devnet({ blockTimeSeconds: Number.NaN }), { code: 'PROSPER_E_DEVNET_CONFIG' });
  assert.throws(() => new Devnet({ ecFunding: [{ address: 'nope', credits: 1n }] }), { code: 'PROSPER_E_DEVNET_CONFIG' });
});
