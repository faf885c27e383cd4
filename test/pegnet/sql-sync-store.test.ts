import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createTableInMemory } from '../../src/lxr/index.js';
import { createSqlSyncStore, MAINNET_OPR_CHAIN, PegnetSync, inThreadDifficultyComputer, testingActivations, type SyncedBlock, type SyncBlockEvent } from '../../src/pegnet/index.js';
import { BACKENDS, closeSharedPglite, disposeDb, openTestDb } from '../store/test-backends.js';
import { startHarness } from '../devnet/helpers.js';

after(closeSharedPglite);

const wA = Array.from({ length: 25 }, (_, i) => (0xa000 + i).toString(16).padStart(16, '0'));
const graded: SyncedBlock = {
  height: 7,
  nextPreviousWinners: wA,
  graded: {
    height: 7,
    version: 5,
    accepted: 31,
    graded: [
      { position: 0, entryHash: 'aa'.repeat(32), identity: 'prosper', address: 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q', difficulty: 0xffffffffffffffffn, grade: 1.5347882941457517e-11, payout: 36_000_000_000n },
      { position: 1, entryHash: 'bb'.repeat(32), identity: 'x', address: 'FA1zT4aFpEvcnPqPCigB3fvGu4Q4mTXY22iiuV69DqE1pNhdF2MC', difficulty: 18446744062791918049n, grade: 0, payout: 0n },
    ],
    winners: wA,
    nextPreviousWinners: wA,
    difficulty: { spot: 2, minimum: 18446744062791918049n, maximum: 0xffffffffffffffffn },
    poolReward: { graded: 1, winning: 1, reward: 36_000_000_000n },
  },
};

for (const backend of BACKENDS) {
  describe(`SQL sync store on ${backend}`, () => {
    it('records blocks, answers the resume point and previous winners, replaces a re-recorded height', async () => {
      const db = await openTestDb(backend);
      try {
        const store = await createSqlSyncStore(db);
        assert.equal(await store.lastSyncedHeight(), undefined);
        assert.equal(await store.previousWinnersFor(5), undefined);
        await store.recordBlock({ height: 6, nextPreviousWinners: Array(25).fill('') });
        await store.recordBlock(graded);
        await store.recordBlock({ height: 8, nextPreviousWinners: wA });
        assert.equal(await store.lastSyncedHeight(), 8);
        assert.deepEqual(await store.previousWinnersFor(7), Array(25).fill(''));
        assert.deepEqual(await store.previousWinnersFor(8), wA);
        assert.deepEqual(await store.gradedBlock(7), graded.graded);
        assert.equal(await store.gradedBlock(8), undefined);
        // Recording the same height again replaces it (the tip is re-read after a restart).
        await store.recordBlock({ ...graded, graded: { ...graded.graded!, graded: graded.graded!.graded.slice(0, 1), accepted: 30 } });
        assert.equal((await store.gradedBlock(7))!.graded.length, 1);
        assert.equal((await store.gradedBlock(7))!.accepted, 30);
        // A second store on the same schema (a restart) sees the same data.
        const again = await createSqlSyncStore(db);
        assert.equal(await again.lastSyncedHeight(), 8);
        await assert.rejects(store.recordBlock({ ...graded, height: 9, graded: { ...graded.graded!, poolReward: { graded: 0, winning: 0, reward: -1n } } }), /out of uint64 range/);
        assert.equal(await store.lastSyncedHeight(), 8, 'a failed block is not recorded');
      } finally {
        await disposeDb(db);
      }
    });
  });
}

describe('sync loop with the SQL store', () => {
  it('resumes from PostgreSQL after a restart', async () => {
    const h = await startHarness({ minuteZeroLag: false });
    const db = await openTestDb('postgres');
    try {
      const table = createTableInMemory(16);
      const make = async (events: SyncBlockEvent[]) => new PegnetSync({
        factomd: h.client, store: await createSqlSyncStore(db), computer: inThreadDifficultyComputer(table),
        activations: testingActivations(0), oprChainId: MAINNET_OPR_CHAIN, onBlock: (e) => { events.push(e); },
      });
      for (let i = 0; i < 4; i++) h.toNextBlockMinute(0);
      const first: SyncBlockEvent[] = [];
      assert.equal(await (await make(first)).syncOnce(), 4);
      h.toNextBlockMinute(0);
      const second: SyncBlockEvent[] = [];
      const s2 = await make(second);
      assert.equal(await s2.syncOnce(), 1);
      assert.deepEqual(second.map((e) => [e.block.height, e.top]), [[5, true]]);
      assert.equal(s2.syncedHeight, 5);
    } finally {
      await disposeDb(db);
      await h.stop();
    }
  });
});
