import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { buildChainCommit, buildEntry, buildEntryCommit, entryHash, marshalEntry, toHex } from '../../src/factom/index.js';
import { ManualClock, ZERO_SEED, startHarness } from './helpers.js';

const require = createRequire(import.meta.url);
const factomjs = require('factom') as { FactomCli: new (o: unknown) => any; Entry: { builder(): any }; Chain: new (e: any) => any };

// ---- an independent, deliberately naive decoder (no code shared with src/factom) ----
const sha = (...b: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(b)).digest();
function naiveMerkle(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return Buffer.alloc(32);
  let lvl = leaves;
  while (lvl.length > 1) {
    const up: Buffer[] = [];
    for (let i = 0; i < lvl.length; i += 2) up.push(sha(lvl[i], lvl[i + 1] ?? lvl[i]));
    lvl = up;
  }
  return lvl[0];
}
function naiveDBlock(raw: Buffer): { keyMr: string; height: number; prev: string; entries: { chain: string; keyMr: string }[] } {
  const header = raw.subarray(0, 113);
  const n = raw.readUInt32BE(109);
  assert.equal(raw.length, 113 + 64 * n);
  const entries = [];
  const leaves = [];
  for (let i = 0; i < n; i++) {
    const o = 113 + 64 * i;
    entries.push({ chain: raw.subarray(o, o + 32).toString('hex'), keyMr: raw.subarray(o + 32, o + 64).toString('hex') });
    leaves.push(sha(raw.subarray(o, o + 64)));
  }
  assert.deepEqual(naiveMerkle(leaves), raw.subarray(5, 37), 'dblock BodyMR');
  return { keyMr: sha(sha(header), raw.subarray(5, 37)).toString('hex'), height: raw.readUInt32BE(105), prev: raw.subarray(37, 69).toString('hex'), entries };
}
function naiveEBlock(raw: Buffer): { keyMr: string; objects: string[]; chain: string; seq: number } {
  const n = raw.readUInt32BE(136);
  assert.equal(raw.length, 140 + 32 * n);
  const objs = [];
  for (let i = 0; i < n; i++) objs.push(raw.subarray(140 + 32 * i, 172 + 32 * i));
  assert.deepEqual(naiveMerkle(objs), raw.subarray(32, 64), 'eblock BodyMR');
  return { keyMr: sha(sha(raw.subarray(0, 140)), raw.subarray(32, 64)).toString('hex'), objects: objs.map((o) => o.toString('hex')), chain: raw.subarray(0, 32).toString('hex'), seq: raw.readUInt32BE(128) };
}
const naiveEntryHash = (raw: Buffer): string => sha(createHash('sha512').update(raw).digest(), raw).toString('hex');

test('devnet binaries re-verify with an independent decoder (raw-data and rawdata)', async () => {
  const h = await startHarness();
  try {
    const first = buildEntry(['independent'], 'check');
    await h.client.commitChain(buildChainCommit(first.chainId, entryHash(first), 11, ZERO_SEED, h.clock.t));
    await h.client.revealChain(marshalEntry(first));
    for (let i = 0; i < 5; i++) {
      h.clock.advance(h.minuteMs);
      const e = buildEntry([`n${i}`], 'x'.repeat(i * 100), first.chainId);
      await h.client.commitEntry(buildEntryCommit(entryHash(e), 1, ZERO_SEED, h.clock.t));
      await h.client.revealEntry(marshalEntry(e));
    }
    h.toNextBlockMinute(1);
    h.toNextBlockMinute(1);
    let prev = '';
    for (let height = 0; height <= 2; height++) {
      const r = await h.client.call('dblock-by-height', { height });
      const json = r as { dblock: { keymr: string; dbhash: string }; rawdata: string };
      const raw = Buffer.from(json.rawdata, 'hex');
      const d = naiveDBlock(raw);
      assert.equal(d.keyMr, json.dblock.keymr);
      assert.equal(d.height, height);
      assert.equal(sha(raw).toString('hex'), json.dblock.dbhash);
      if (height > 0) assert.equal(d.prev, prev);
      prev = d.keyMr;
      // raw-data by the dblock keymr returns the same bytes.
      assert.deepEqual(await h.client.rawData(d.keyMr), raw);
      for (const ref of d.entries.slice(3)) {
        const ebRaw = await h.client.rawData(ref.keyMr);
        const eb = naiveEBlock(ebRaw);
        assert.equal(eb.keyMr, ref.keyMr);
        assert.equal(eb.chain, ref.chain);
        for (const o of eb.objects) {
          if (/^0{62}/.test(o)) continue; // minute marker
          assert.equal(naiveEntryHash(await h.client.rawData(o)), o);
        }
      }
    }
  } finally {
    await h.stop();
  }
});

test('factomjs (npm factom) reads and writes against the devnet', async () => {
  // factomjs stamps commits with the real time; the ±60 min window applies, so start there.
  const h = await startHarness({}, new ManualClock(Date.now()));
  try {
    const port = Number(new URL(h.url).port);
    const cli = new factomjs.FactomCli({ factomd: { host: '127.0.0.1', port, retry: { retries: 0 } } });
    const es = 'Es2Rf7iM6PdsqfYCo3D1tnAR65SkLENyWJG1deUzpRMQmbh9F3eG';
    const firstEntry = factomjs.Entry.builder().extId('factomjs', 'utf8').extId(String(h.clock.t), 'utf8').content('first', 'utf8').build();
    const chain = new factomjs.Chain(firstEntry);
    const added = await cli.add(chain, es, { commitTimeout: 5, revealTimeout: 5 });
    assert.equal(added.chainId, chain.idHex);
    const e2 = factomjs.Entry.builder().chainId(chain.idHex, 'hex').extId('two', 'utf8').content('second', 'utf8').build();
    const added2 = await cli.add(e2, es, { commitTimeout: 5, revealTimeout: 5 });
    assert.equal(added2.entryHash, e2.hashHex());
    h.toNextBlockMinute(1);
    const all = await cli.getAllEntriesOfChain(chain.idHex);
    assert.deepEqual(all.map((e: any) => e.hashHex()), [chain.firstEntry.hashHex(), e2.hashHex()]);
    assert.deepEqual(all.map((e: any) => e.content.toString()), ['first', 'second']);
    const db = await cli.getDirectoryBlock(1);
    assert.equal(db.height, 1);
    assert.ok(db.entryBlockRefs.some((r: any) => r.chainId === chain.idHex));
    const byKey = await cli.getDirectoryBlock(db.keyMR);
    assert.equal(byKey.height, 1);
    const heights = await cli.getHeights();
    assert.equal(heights.directoryBlockHeight, 1);
    assert.equal(await cli.getBalance('EC2DKSYyRcNWf7RS963VFYgMExoHRYLHVeCfQ9PGPmNzwrcmgm2r'), 100_000_000 - 11 - 1);
    assert.equal(await cli.getEntryCreditRate(), 1000);
  } finally {
    await h.stop();
  }
});

test('receipt: every merkle step holds and the path ends at the dblock KeyMR; transaction finds the height', async () => {
  const h = await startHarness({}, new ManualClock(Date.now()));
  try {
    const first = buildEntry(['receipt chain'], 'r');
    await h.client.commitChain(buildChainCommit(first.chainId, entryHash(first), 11, ZERO_SEED, h.clock.t));
    await h.client.revealChain(marshalEntry(first));
    const hashes = [toHex(entryHash(first))];
    for (let i = 0; i < 4; i++) {
      h.clock.advance(h.minuteMs);
      const e = buildEntry([`r${i}`], '', first.chainId);
      await h.client.commitEntry(buildEntryCommit(entryHash(e), 1, ZERO_SEED, h.clock.t));
      await h.client.revealEntry(marshalEntry(e));
      hashes.push(toHex(entryHash(e)));
    }
    assert.deepEqual(await h.client.transaction(hashes[2]), { includedInTransactionBlock: '', includedInDirectoryBlock: '', includedInDirectoryBlockHeight: -1 });
    await assert.rejects(h.client.call('receipt', { hash: hashes[2] }), { code: 'PROSPER_E_FACTOM_RECEIPT' });
    h.toNextBlockMinute(1);
    const dbKeyMr = (await h.client.dblockByHeight(1)).keyMr;
    for (const eh of hashes) {
      const r = (await h.client.call('receipt', { hash: eh, includerawentry: true })) as {
        receipt: { entry: { raw: string; entryhash: string }; merklebranch: { left: string; right: string; top: string }[]; directoryblockkeymr: string; directoryblockheight: number };
      };
      const branch = r.receipt.merklebranch;
      for (const s of branch) assert.equal(sha(Buffer.from(s.left, 'hex'), Buffer.from(s.right, 'hex')).toString('hex'), s.top);
      assert.ok(branch[0].left === eh || branch[0].right === eh);
      for (let i = 1; i < branch.length; i++) assert.ok([branch[i].left, branch[i].right].includes(branch[i - 1].top), `step ${i} links`);
      assert.equal(branch[branch.length - 1].top, dbKeyMr);
      assert.equal(r.receipt.directoryblockkeymr, dbKeyMr);
      assert.equal(naiveEntryHash(Buffer.from(r.receipt.entry.raw, 'hex')), eh);
      const tx = await h.client.transaction(eh);
      assert.equal(tx.includedInDirectoryBlockHeight, 1);
      assert.equal(tx.includedInDirectoryBlock, dbKeyMr);
      assert.equal(tx.includedInTransactionBlock, r.receipt.merklebranch.find((s) => s.left === toHex(first.chainId))?.right);
    }
    // factomjs uses receipt + entry-block to attach block context.
    const port = Number(new URL(h.url).port);
    const cli = new factomjs.FactomCli({ factomd: { host: '127.0.0.1', port, retry: { retries: 0 } } });
    const withCtx = await cli.getEntryWithBlockContext(hashes[3]);
    assert.equal(withCtx.hashHex(), hashes[3]);
    assert.equal(withCtx.blockContext.directoryBlockHeight, 1);
  } finally {
    await h.stop();
  }
});
