import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildChainCommit, buildEntry, buildEntryCommit, entryHash, marshalEntry, toHex } from '../../src/factom/index.js';
import { Devnet } from '../../src/devnet/index.js';
import { ManualClock, ZERO_EC, ZERO_SEED, startHarness } from './helpers.js';

test('a restart with the same data directory continues the chain, entries and balances', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prosper-devnet-'));
  try {
    const clock = new ManualClock();
    let h = await startHarness({ dataDir: dir }, clock);
    const first = buildEntry(['persisted chain'], 'hello');
    await h.client.commitChain(buildChainCommit(first.chainId, entryHash(first), 11, ZERO_SEED, clock.t));
    await h.client.revealChain(marshalEntry(first));
    h.toNextBlockMinute(1);
    h.toNextBlockMinute(1); // height 2 saved
    const heightsBefore = await h.client.heights();
    assert.equal(heightsBefore.directoryBlockHeight, 2);
    const db2 = await h.client.dblockByHeight(2);
    const head = await h.client.chainHead(toHex(first.chainId));
    const balance = await h.client.entryCreditBalance(ZERO_EC);
    assert.equal(balance, 100_000_000n - 11n);
    await h.stop();

    clock.advance(60_000);
    h = await startHarness({ dataDir: dir }, clock);
    assert.deepEqual(await h.client.heights(), heightsBefore);
    assert.equal((await h.client.dblockByHeight(2)).keyMr, db2.keyMr);
    assert.deepEqual(await h.client.chainHead(toHex(first.chainId)), head);
    assert.equal((await h.client.entry(toHex(entryHash(first)))).content.toString(), 'hello');
    assert.equal(await h.client.entryCreditBalance(ZERO_EC), balance);
    // Funding applies only to a fresh directory: balances were not topped up again.
    // The chain continues: new entries, and block 3 links to the stored block 2.
    const next = buildEntry(['after restart'], '', first.chainId);
    await h.client.commitEntry(buildEntryCommit(entryHash(next), 1, ZERO_SEED, clock.t));
    await h.client.revealEntry(marshalEntry(next));
    h.toNextBlockMinute(1);
    const db3 = await h.client.verifiedDirectoryBlock(3);
    assert.equal(toHex(db3.header.prevKeyMr), db2.keyMr);
    const eb = await h.client.entryBlock((await h.client.chainHead(toHex(first.chainId))).chainHead);
    assert.equal(eb.header.prevKeyMr, head.chainHead);
    assert.equal(eb.header.blockSequenceNumber, 1);
    await h.stop();

    // A torn last line (crash mid-append) is dropped; the rest loads.
    appendFileSync(join(dir, 'blocks.jsonl'), '{"height":4,"dblock":"00fa');
    h = await startHarness({ dataDir: dir }, clock);
    assert.equal((await h.client.heights()).directoryBlockHeight, 3);
    await h.stop();

    // Corruption inside the file is refused with a coded error, not silently accepted.
    const lines = readFileSync(join(dir, 'blocks.jsonl'), 'utf8').split('\n');
    lines[1] = lines[1].replace(/"dblock":"00/, '"dblock":"01');
    writeFileSync(join(dir, 'blocks.jsonl'), lines.join('\n'));
    assert.throws(() => new Devnet({ dataDir: dir, now: clock.now }), { code: 'PROSPER_E_FACTOM_DECODE' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a data directory of another network id is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prosper-devnet-'));
  try {
    const h = await startHarness({ dataDir: dir });
    await h.stop();
    assert.throws(() => new Devnet({ dataDir: dir, networkId: 0xfa92e5a2 }), { code: 'PROSPER_E_DEVNET_CONFIG' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pegnetNetwork names the chains created at genesis', async () => {
  const { pegnetChainId } = await import('../../src/pegnet/index.js');
  const h = await startHarness({ pegnetNetwork: 'TestNet-pM7' });
  try {
    const opr = pegnetChainId('TestNet-pM7', 'OraclePriceRecords');
    assert.equal(opr, '332d2649a1524918c0071ab4deb06c7e20a471193047d6046115a147a5b9651c');
    assert.equal((await h.client.chainHead(opr)).chainInProcessList, false);
    const tx = pegnetChainId('TestNet-pM7', 'Transactions');
    assert.equal(tx, 'ad40cdc25de3080682c91537d87fc9b378722b3d56ba3e409a931eb0871fac43');
    assert.notEqual((await h.client.chainHead(tx)).chainHead, '');
    await assert.rejects(h.client.chainHead('a642a8674f46696cc47fdb6b65f9c87b2a19c5ea8123b3d2f0c13b6f33a9d5ef'), { code: 'PROSPER_E_FACTOM_MISSING_CHAIN_HEAD' });
  } finally {
    await h.stop();
  }
});
