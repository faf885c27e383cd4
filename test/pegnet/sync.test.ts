import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import {
  buildEntry, buildEntryCommit, entryCost, entryHash, FactomdClient, marshalEntry, toHex, type Entry,
} from '../../src/factom/index.js';
import { createHasher, createTableInMemory, powInput, targetOfHash } from '../../src/lxr/index.js';
import {
  MAINNET_OPR_CHAIN, MemorySyncStore, PegnetSync, V5_ASSETS, encodeProtoContent, gradeBlock, inThreadDifficultyComputer,
  oprHash, priceToUnits, testingActivations, winnersToBytes, type SyncBlockEvent, type SyncFactomd,
} from '../../src/pegnet/index.js';
import { ManualClock, startHarness, ZERO_SEED, type Harness } from '../devnet/helpers.js';

const table = createTableInMemory(20);
const hasher = createHasher(table);
const computer = inThreadDifficultyComputer(table);
const POOL_FA = 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q';
const OTHER_FA = 'FA1zT4aFpEvcnPqPCigB3fvGu4Q4mTXY22iiuV69DqE1pNhdF2MC';
const acts = testingActivations(0);

// The real client is what the pool passes in; it must fit the loop's narrow interface.
const _fits: (c: FactomdClient) => SyncFactomd = (c) => c;
void _fits;

/** A V5 OPR entry for `height`, mined honestly with the 20-bit table. */
function oprEntry(height: number, prevWinners: readonly string[], miner: number, identity = `miner${miner}`): Entry {
  const content = encodeProtoContent({
    address: miner % 2 === 0 ? POOL_FA : OTHER_FA,
    id: identity,
    height,
    winners: winnersToBytes(prevWinners),
    // Everyone close to the same prices, a few further out.
    assets: V5_ASSETS.map((_, i) => priceToUnits((i + 1) * (1 + ((miner * 7 + i) % 5) * 0.004 + (miner % 9 === 0 ? 0.05 : 0)))),
  });
  const nonce = Buffer.from([miner, height & 0xff, (height >> 8) & 0xff]);
  const diff = targetOfHash(hasher.hash(powInput(oprHash(content), nonce)));
  const d8 = Buffer.alloc(8);
  d8.writeBigUInt64BE(diff);
  return buildEntry([nonce, d8, Buffer.from([5])], content, Buffer.from(MAINNET_OPR_CHAIN, 'hex'));
}

async function writeEntry(h: Harness, e: Entry): Promise<void> {
  const bytes = marshalEntry(e);
  await h.client.commitEntry(buildEntryCommit(entryHash(e), entryCost(bytes.length), ZERO_SEED, h.clock.t));
  await h.client.revealEntry(bytes);
}

function newSync(h: Harness | { client: FactomdClient }, store: MemorySyncStore, events: SyncBlockEvent[], extra: Partial<ConstructorParameters<typeof PegnetSync>[0]> = {}) {
  return new PegnetSync({
    factomd: h.client,
    store,
    computer,
    activations: acts,
    oprChainId: MAINNET_OPR_CHAIN,
    pool: { identity: 'prosper', coinbase: POOL_FA },
    onBlock: (e) => { events.push(e); },
    ...extra,
  });
}

describe('pegnet sync loop against the devnet over HTTP', () => {
  it('grades each block, carries winners into the next, records rewards, announces empty blocks, resumes after restart', async () => {
    const h = await startHarness({ minuteZeroLag: false });
    try {
      const store = new MemorySyncStore();
      const events: SyncBlockEvent[] = [];
      const sync = newSync(h, store, events);
      assert.equal(await sync.syncOnce(), 0, 'nothing above genesis yet');

      let winners: readonly string[] = Array(25).fill('');
      const written: Entry[][] = [];
      for (let round = 0; round < 2; round++) {
        const height = (await h.client.heights()).directoryBlockHeight + 1;
        const entries = Array.from({ length: 30 }, (_, m) => oprEntry(height, winners, m, m === 0 ? 'prosper' : `miner${m}`));
        // One entry with stale winners: refused by the grader.
        entries.push(oprEntry(height, Array(25).fill('00000000000000ff'), 99));
        for (const e of entries) await writeEntry(h, e);
        written.push(entries);
        h.toNextBlockMinute(0);
        assert.equal(await sync.syncOnce(), 1);
        const ev = events.at(-1)!;
        assert.equal(ev.block.height, height);
        assert.equal(ev.top, true);
        const rec = ev.block.graded!;
        assert.equal(rec.accepted, 30);
        assert.equal(rec.winners.length, 25);
        // Same result as grading the written entries directly.
        const direct = await gradeBlock({
          version: 5, height, previousWinners: winners, computer,
          entries: entries.map((e) => ({ entryHash: entryHash(e), extIds: e.extIds, content: e.content })),
        });
        assert.deepEqual(rec.nextPreviousWinners, direct.winnersShortHashes);
        assert.deepEqual(rec.graded.map((g) => g.entryHash), direct.graded.map((o) => toHex(o.entryHash)));
        // Pool rewards: OPRs with the pool identity or coinbase, 360 PEG per winning place.
        const mine = rec.graded.filter((g) => g.identity === 'prosper' || g.address === POOL_FA);
        assert.ok(mine.length > 1);
        assert.equal(rec.poolReward.graded, mine.length);
        assert.equal(rec.poolReward.winning, mine.filter((g) => g.position < 25).length);
        assert.equal(rec.poolReward.reward, BigInt(rec.poolReward.winning) * 36_000_000_000n);
        // Network difficulty figures from the top list.
        assert.equal(rec.difficulty.spot, 30);
        assert.equal(rec.difficulty.minimum, rec.graded.reduce((m, g) => (g.difficulty < m ? g.difficulty : m), rec.graded[0]!.difficulty));
        winners = rec.nextPreviousWinners;
      }

      // An empty block still advances the job, carrying the winners.
      h.toNextBlockMinute(0);
      assert.equal(await sync.syncOnce(), 1);
      const empty = events.at(-1)!;
      assert.equal(empty.top, true);
      assert.equal(empty.block.graded, undefined);
      assert.deepEqual(empty.block.nextPreviousWinners, winners);

      // Behind by three blocks: only the newest is top.
      h.toNextBlockMinute(0); h.toNextBlockMinute(0); h.toNextBlockMinute(0);
      const before = events.length;
      assert.equal(await sync.syncOnce(), 3);
      assert.deepEqual(events.slice(before).map((e) => e.top), [false, false, true]);
      // Each carries factomd's head as the pass read it: the lag is head - block height.
      const head = (await h.client.heights()).directoryBlockHeight;
      assert.deepEqual(events.slice(before).map((e) => e.headHeight - e.block.height), [2, 1, 0]);
      assert.equal(events.at(-1)!.headHeight, head);

      // Restart: a new loop on the same store resumes there and re-announces the tip once.
      const tip = (await h.client.heights()).directoryBlockHeight;
      const events2: SyncBlockEvent[] = [];
      const again = newSync(h, store, events2);
      assert.equal(await again.syncOnce(), 1);
      assert.deepEqual(events2.map((e) => [e.block.height, e.top]), [[tip, true]]);
      assert.deepEqual(events2[0]!.block.nextPreviousWinners, winners);
      assert.equal(await again.syncOnce(), 0);
      // The next block's OPRs carry the restarted loop's winners and still win.
      const height = tip + 1;
      for (let m = 0; m < 26; m++) await writeEntry(h, oprEntry(height, events2[0]!.block.nextPreviousWinners, m));
      h.toNextBlockMinute(0);
      assert.equal(await again.syncOnce(), 1);
      assert.equal(events2.at(-1)!.block.graded!.winners.length, 25);
      assert.equal(store.size, tip + 1);
    } finally {
      await h.stop();
    }
  });

  it('reports progress when far behind', async () => {
    const h = await startHarness({ minuteZeroLag: false });
    try {
      for (let i = 0; i < 12; i++) h.toNextBlockMinute(0);
      const progress: { height: number; left: number }[] = [];
      const sync = newSync(h, new MemorySyncStore(), [], { progressEvery: 5, onProgress: (p) => progress.push({ height: p.height, left: p.left }) });
      assert.equal(await sync.syncOnce(), 12);
      assert.deepEqual(progress, [{ height: 5, left: 7 }, { height: 10, left: 2 }]);
    } finally {
      await h.stop();
    }
  });

  it('keeps going while factomd is down, backing off, and syncs once it is up', async () => {
    // A port with nothing listening yet.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const client = new FactomdClient({ url: `http://127.0.0.1:${port}/v2`, retries: 0, timeoutMs: 2000 });
    const retries: number[] = [];
    const recoveries: number[] = [];
    const events: SyncBlockEvent[] = [];
    let gotEvent!: () => void;
    const firstEvent = new Promise<void>((r) => (gotEvent = r));
    const sync = newSync({ client }, new MemorySyncStore(), events, {
      retryMs: 20, maxRetryMs: 80, pollMs: 10,
      onError: (_err, ms) => retries.push(ms),
      onRecovered: () => recoveries.push(retries.length),
      onBlock: (e) => { events.push(e); gotEvent(); },
    });
    sync.start();
    let h: Harness | undefined;
    try {
      while (retries.length < 4) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(retries.slice(0, 4), [20, 40, 80, 80]);
      h = await startHarness({ port, minuteZeroLag: false }, new ManualClock());
      h.toNextBlockMinute(0);
      await firstEvent;
      assert.equal(events[0]!.block.height, 1);
      assert.equal(events[0]!.top, true);
      // Recovery is reported once, after the failures (the pool's factomd pool.recovered source).
      while (recoveries.length === 0) await new Promise((r) => setTimeout(r, 10));
      assert.equal(recoveries.length, 1);
      assert.ok(recoveries[0]! >= 4);
    } finally {
      await sync.stop();
      await h?.stop();
    }
  });
});
