import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompetitorMiners } from '../../src/devnet/index.js';
import { pegnetChainId } from '../../src/pegnet/index.js';
import { toHex } from '../../src/factom/index.js';
import { createHasher, createTableInMemory } from '../../src/lxr/index.js';
import { gradeBlock, inThreadDifficultyComputer, testingActivations } from '../../src/pegnet/index.js';
import { startHarness, type Harness } from './helpers.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function oprEntriesAt(h: Harness, chain: string, height: number) {
  const db = await h.client.dblockByHeight(height, { noraw: true });
  const ref = db.dbEntries.find((e) => e.chainId === chain);
  if (!ref) return [];
  const eb = await h.client.verifiedEntryBlock(ref.keyMr);
  const out = [];
  for (const o of eb.objects) {
    if (o.kind !== 'entry') continue;
    const e = await h.client.verifiedEntry(toHex(o.hash));
    out.push({ entryHash: o.hash, extIds: e.extIds, content: e.content });
  }
  return out;
}

test('competitor miners fill every block with gradeable OPRs carrying the previous winners', async () => {
  const table = createTableInMemory(10);
  const hasher = createHasher(table);
  const chain = pegnetChainId('MainNet', 'OraclePriceRecords');
  const acts = testingActivations(0);
  const miners = new CompetitorMiners({ hasher, oprChainId: chain, activations: acts, count: 30, random: lcg(7) });
  const h = await startHarness({ contributors: [miners] });
  try {
    await miners.idle(); // block 1's OPRs
    h.toNextBlockMinute(1);
    await miners.idle(); // block 2's OPRs (graded block 1 first)
    h.toNextBlockMinute(1);
    await miners.idle();
    const computer = inThreadDifficultyComputer(hasher);
    const b1 = await oprEntriesAt(h, chain, 1);
    assert.equal(b1.length, 30);
    const g1 = await gradeBlock({ version: 5, height: 1, previousWinners: [], entries: b1, computer });
    assert.equal(g1.rejected.length, 0, JSON.stringify(g1.rejected.slice(0, 2)));
    assert.equal(g1.winners.length, 25);
    const b2 = await oprEntriesAt(h, chain, 2);
    assert.equal(b2.length, 30);
    const g2 = await gradeBlock({ version: 5, height: 2, previousWinners: g1.winnersShortHashes, entries: b2, computer });
    assert.equal(g2.rejected.length, 0, JSON.stringify(g2.rejected.slice(0, 2)));
    assert.equal(g2.winners.length, 25);
    // The self-reported difficulty is the real LXRHash target of each entry.
    assert.equal(g2.graded.length, 30);
    // Graded with wrong previous winners, block 2's OPRs are all refused: they really carry block 1's winners.
    const wrong = await gradeBlock({ version: 5, height: 2, previousWinners: [], entries: b2, computer });
    assert.equal(wrong.rejected.length, 30);
  } finally {
    await h.stop();
  }
});

test('competitors skip heights before PegNet activation and a block that closed meanwhile', async () => {
  const table = createTableInMemory(10);
  const hasher = createHasher(table);
  const chain = pegnetChainId('MainNet', 'OraclePriceRecords');
  const miners = new CompetitorMiners({ hasher, oprChainId: chain, activations: testingActivations(5), count: 5, random: lcg(1) });
  const h = await startHarness({ contributors: [miners] });
  try {
    await miners.idle();
    h.toNextBlockMinute(1);
    await miners.idle();
    const db = await h.client.dblockByHeight(1, { noraw: true });
    assert.equal(db.dbEntries.find((e) => e.chainId === chain), undefined);
    // A context whose block has closed refuses writes.
    const ctx = { height: 99, minute: 0, savedHeight: 0, writeEntry: () => false, entriesAt: () => [] };
    const e = miners.buildOpr(5, 99, Array.from({ length: 25 }, () => new Uint8Array(0)), 0);
    assert.equal(ctx.writeEntry(), false);
    assert.equal(e.extIds.length, 3);
    assert.equal(e.extIds[2][0], 5);
  } finally {
    await h.stop();
  }
});
