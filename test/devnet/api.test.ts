import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FactomdRpcError,
  buildChainCommit,
  buildEntry,
  buildEntryCommit,
  chainCost,
  ecAddressFromPublicKey,
  entryCost,
  entryHash,
  marshalEntry,
  publicKeyFromSeed,
  toHex,
  type Entry,
} from '../../src/factom/index.js';
import { pegnetChainId } from '../../src/pegnet/index.js';
import { ZERO_EC, ZERO_SEED, seed, startHarness, type Harness } from './helpers.js';

async function rejectsWith(p: Promise<unknown>, code: string, rpcCode: number, message: string, data?: unknown): Promise<FactomdRpcError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof FactomdRpcError, `expected FactomdRpcError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.rpcCode, rpcCode);
    assert.equal(err.rpcMessage, message);
    if (data !== undefined) assert.deepEqual(err.data, data);
    return err;
  }
  assert.fail('expected a rejection');
}

/** Commit (chain or entry) and reveal through the client. */
async function write(h: Harness, e: Entry, newChain: boolean, ecSeed = ZERO_SEED, credits?: number): Promise<string> {
  const bytes = marshalEntry(e);
  const eh = entryHash(e);
  if (newChain) {
    const r = await h.client.commitChain(buildChainCommit(e.chainId, eh, credits ?? chainCost(bytes.length), ecSeed, h.clock.t));
    assert.equal(r.message, 'Chain Commit Success');
    const rv = await h.client.revealChain(bytes);
    assert.equal(rv.chainId, toHex(e.chainId));
  } else {
    const r = await h.client.commitEntry(buildEntryCommit(eh, credits ?? entryCost(bytes.length), ecSeed, h.clock.t));
    assert.equal(r.message, 'Entry Commit Success');
    assert.equal(r.entryHash, toHex(eh));
    const rv = await h.client.revealEntry(bytes);
    assert.equal(rv.message, 'Entry Reveal Success');
  }
  return toHex(eh);
}

test('genesis: PegNet chains exist, properties, heights, EC rate and funded balances', async () => {
  const h = await startHarness();
  try {
    assert.deepEqual(await h.client.heights(), { directoryBlockHeight: 0, leaderHeight: 0, entryBlockHeight: 0, entryHeight: 0 });
    assert.deepEqual(await h.client.properties(), { factomdVersion: '6.17.1-prosper-devnet', factomdApiVersion: '2.0' });
    assert.equal(await h.client.entryCreditRate(), 1000n);
    assert.equal(await h.client.entryCreditBalance(ZERO_EC), 100_000_000n);
    assert.equal(await h.client.factoidBalance('FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q'), 2_000_000_000_000n);
    assert.equal(await h.client.entryCreditBalance(ecAddressFromPublicKey(publicKeyFromSeed(seed('nobody')))), 0n);
    const opr = pegnetChainId('MainNet', 'OraclePriceRecords');
    assert.equal(opr, 'a642a8674f46696cc47fdb6b65f9c87b2a19c5ea8123b3d2f0c13b6f33a9d5ef');
    const head = await h.client.chainHead(opr);
    assert.equal(head.chainInProcessList, false);
    const eb = await h.client.entryBlock(head.chainHead);
    assert.equal(eb.header.dbHeight, 0);
    assert.equal(eb.header.blockSequenceNumber, 0);
    const first = await h.client.entry(eb.entryList[0].entryHash);
    assert.deepEqual(first.extIds.map((x) => x.toString()), ['PegNet', 'MainNet', 'OraclePriceRecords']);
    const db0 = await h.client.dblockByHeight(0);
    assert.deepEqual(db0.dbEntries.slice(0, 3).map((e) => e.chainId.slice(-2)), ['0a', '0c', '0f']);
    assert.equal(await h.client.directoryBlockHead(), db0.keyMr);
  } finally {
    await h.stop();
  }
});

test('chain + entry commit/reveal: process list, save at minute 1, binaries verify, EC charged', async () => {
  const h = await startHarness();
  try {
    const first = buildEntry(['prosper test', 'chain'], 'first entry');
    const chain = toHex(first.chainId);
    await rejectsWith(h.client.chainHead(chain), 'PROSPER_E_FACTOM_MISSING_CHAIN_HEAD', -32009, 'Missing Chain Head');
    h.clock.advance(2 * h.minuteMs + 10); // minute 2 of block 1
    const eh1 = await write(h, first, true);
    assert.deepEqual(await h.client.chainHead(chain), { chainHead: '', chainInProcessList: true });
    const second = buildEntry(['e2'], 'x'.repeat(1500), first.chainId); // 2 EC
    h.clock.advance(3 * h.minuteMs); // minute 5
    const eh2 = await write(h, second, false);
    // Acknowledged entries are readable before the block is saved.
    assert.equal((await h.client.entry(eh2)).content.toString(), 'x'.repeat(1500));
    const ack = await h.client.ack(eh2, chain);
    assert.equal(ack.entryData.status, 'TransactionACK');
    assert.equal(ack.commitData.status, 'TransactionACK');
    const pending = await h.client.pendingEntries();
    assert.ok(pending.some((p) => p.entryHash === eh1 && p.chainId === chain && p.status === 'TransactionACK'));
    assert.equal(await h.client.entryCreditBalance(ZERO_EC), 100_000_000n - 11n - 2n);
    await rejectsWith(h.client.dblockByHeight(1), 'PROSPER_E_FACTOM_NOT_FOUND', -32008, 'Block not found');

    h.toNextBlockMinute(0); // block 1 complete, not yet saved
    assert.deepEqual(await h.client.heights(), { directoryBlockHeight: 0, leaderHeight: 1, entryBlockHeight: 0, entryHeight: 0 });
    assert.deepEqual(await h.client.chainHead(chain), { chainHead: '', chainInProcessList: true });
    assert.equal((await h.client.entry(eh1)).chainId, chain);
    const inWindow = await h.client.pendingEntries();
    assert.deepEqual(inWindow.filter((p) => p.chainId === chain).map((p) => [p.entryHash, p.status]), [[eh1, 'TransactionACK'], [eh2, 'TransactionACK']]);
    h.clock.advance(h.minuteMs); // minute 1: saved
    assert.equal((await h.client.heights()).directoryBlockHeight, 1);
    assert.deepEqual(await h.client.pendingEntries(), []);

    const db = await h.client.verifiedDirectoryBlock(1);
    const ref = db.entries.find((e) => toHex(e.chainId) === chain);
    assert.ok(ref, 'new chain listed in dblock 1');
    const head = await h.client.chainHead(chain);
    assert.deepEqual(head, { chainHead: toHex(ref.keyMr), chainInProcessList: false });
    const eb = await h.client.verifiedEntryBlock(head.chainHead);
    assert.equal(eb.header.sequence, 0);
    assert.deepEqual(eb.objects.map((o) => (o.kind === 'entry' ? toHex(o.hash) : o.minute)), [eh1, 3, eh2, 6]);
    const ebJson = await h.client.entryBlock(head.chainHead);
    const dbJson = await h.client.dblockByHeight(1, { noraw: true });
    assert.equal(dbJson.rawData, undefined);
    assert.equal(ebJson.header.timestamp, dbJson.header.timestamp * 60);
    assert.deepEqual(ebJson.entryList, [
      { entryHash: eh1, timestamp: ebJson.header.timestamp + 180 },
      { entryHash: eh2, timestamp: ebJson.header.timestamp + 360 },
    ]);
    const dirBlock = await h.client.directoryBlock(dbJson.keyMr);
    assert.equal(dirBlock.header.sequenceNumber, 1);
    assert.equal(dirBlock.header.timestamp, dbJson.header.timestamp * 60);
    assert.equal(dirBlock.header.prevBlockKeyMr, (await h.client.dblockByHeight(0)).keyMr);
    assert.deepEqual((await h.client.verifiedEntry(eh2)).content, second.content);
    assert.equal((await h.client.ack(eh2, chain)).entryData.status, 'DBlockConfirmed');

    // A second eblock on the chain links to the first.
    const third = buildEntry([], '', first.chainId);
    const eh3 = await write(h, third, false);
    const e3 = await h.client.entry(eh3);
    assert.deepEqual(e3.extIds, []);
    h.toNextBlockMinute(1);
    const head2 = await h.client.chainHead(chain);
    const eb2 = await h.client.entryBlock(head2.chainHead);
    assert.equal(eb2.header.prevKeyMr, head.chainHead);
    assert.equal(eb2.header.blockSequenceNumber, 1);
    assert.equal(eb2.header.dbHeight, 2);
  } finally {
    await h.stop();
  }
});

test('error cases: unknown entry/block/object, missing chain head, bad params, invalid commits/reveals', async () => {
  const h = await startHarness();
  try {
    const unknown = 'ab'.repeat(32);
    await rejectsWith(h.client.entry(unknown), 'PROSPER_E_FACTOM_NOT_FOUND', -32008, 'Entry not found');
    await rejectsWith(h.client.entryBlock(unknown), 'PROSPER_E_FACTOM_NOT_FOUND', -32008, 'Block not found');
    await rejectsWith(h.client.directoryBlock(unknown), 'PROSPER_E_FACTOM_NOT_FOUND', -32008, 'Block not found');
    await rejectsWith(h.client.rawData(unknown), 'PROSPER_E_FACTOM_NOT_FOUND', -32008, 'Object not found');
    await rejectsWith(h.client.dblockByHeight(99), 'PROSPER_E_FACTOM_NOT_FOUND', -32008, 'Block not found');
    await rejectsWith(h.client.dblockByHeight(-1), 'PROSPER_E_FACTOM_NOT_FOUND', -32008, 'Block not found');
    await rejectsWith(h.client.chainHead(unknown), 'PROSPER_E_FACTOM_MISSING_CHAIN_HEAD', -32009, 'Missing Chain Head');
    for (const bad of ['xyz', 'ab'.repeat(31), 'zz'.repeat(32), '']) {
      await rejectsWith(h.client.entry(bad), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params', 'Invalid Hash');
      await rejectsWith(h.client.chainHead(bad), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params', 'Invalid Hash');
    }
    // Upper-case hex is accepted like Go's hex decoder.
    await rejectsWith(h.client.entry(unknown.toUpperCase()), 'PROSPER_E_FACTOM_NOT_FOUND', -32008, 'Entry not found');
    await rejectsWith(h.client.call('dblock-by-height', { height: 'one' }), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params');
    await rejectsWith(h.client.call('dblock-by-height', { height: 1.5 }), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params');
    await rejectsWith(h.client.call('entry', [unknown]), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params');
    await rejectsWith(h.client.call('no-such-method'), 'PROSPER_E_FACTOM_METHOD_NOT_FOUND', -32601, 'Method not found');
    await rejectsWith(h.client.call('raw-data', 'abc'), 'PROSPER_E_FACTOM_INTERNAL', -32603, 'Internal error');
    // Balance calls: secrets and junk are Invalid Address; raw 64-hex keys are accepted.
    for (const bad of ['Es2Rf7iM6PdsqfYCo3D1tnAR65SkLENyWJG1deUzpRMQmbh9F3eG', 'EC2DKSYyRcNWf7RS963VFYgMExoHRYLHVeCfQ9PGPmNzwrcmgm2s', 'hello', '']) {
      await rejectsWith(h.client.entryCreditBalance(bad), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params', 'Invalid Address');
    }
    await rejectsWith(h.client.factoidBalance(ZERO_EC), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params', 'Invalid Address');
    assert.equal(await h.client.entryCreditBalance(toHex(publicKeyFromSeed(ZERO_SEED))), 100_000_000n);

    // A chain commit sent as an entry commit, in a param named `entry`, and other junk.
    const e = buildEntry(['x'], 'y');
    const chainCommit = buildChainCommit(e.chainId, entryHash(e), 11, ZERO_SEED, h.clock.t);
    await rejectsWith(h.client.call('commit-entry', { entry: toHex(chainCommit) }, false), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params', 'Invalid Commit Entry');
    await rejectsWith(h.client.commitEntry(Buffer.from('00', 'hex')), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params', 'Invalid Commit Entry');
    const badSig = buildEntryCommit(entryHash(e), 1, ZERO_SEED, h.clock.t);
    badSig[100] ^= 1;
    await rejectsWith(h.client.commitEntry(badSig), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params', 'Invalid Commit Entry');
    const entryCommit = buildEntryCommit(entryHash(e), 1, ZERO_SEED, h.clock.t);
    await rejectsWith(h.client.commitChain(entryCommit), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params', 'Invalid Commit Chain');
    await rejectsWith(h.client.revealEntry(Buffer.from('01', 'hex')), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params', 'Invalid Entry');
    await rejectsWith(h.client.revealEntry(Buffer.concat([marshalEntry(e), Buffer.alloc(10240)])), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params', 'Invalid Entry');
    await rejectsWith(h.client.call('reveal-entry', { entry: 'not hex' }, false), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params', 'Invalid Entry');
    await rejectsWith(h.client.call('factoid-submit', { transaction: 'beef' }, false), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params', 'Unable to decode the transaction');
    await rejectsWith(h.client.ack('zz', 'c'), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params', 'Hash must be 64 hex encoded characters');
    await rejectsWith(h.client.ack(unknown, 'nope'), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params', 'ChainID must be 64 hex encoded characters');
    await rejectsWith(h.client.ack(unknown, '0'.repeat(63) + 'a'), 'PROSPER_E_FACTOM_INVALID_PARAMS', -32602, 'Invalid params', 'ChainID cannot be admin chain');
    assert.equal((await h.client.ack(unknown, 'c')).commitData.status, 'Unknown');
    // The server is still healthy after all of that.
    assert.equal((await h.client.heights()).directoryBlockHeight, 0);
  } finally {
    await h.stop();
  }
});

test('repeated commit (-32011), replayed and stale commits, duplicate reveals are dropped as factomd drops them', async () => {
  const h = await startHarness();
  try {
    const chainEntry = buildEntry(['dup test'], '');
    const firstHash = await write(h, chainEntry, true);
    const e = buildEntry(['one'], 'payload', chainEntry.chainId);
    const eh = toHex(entryHash(e));
    const before = await h.client.entryCreditBalance(ZERO_EC);
    await h.client.commitEntry(buildEntryCommit(entryHash(e), 2, ZERO_SEED, h.clock.t));
    const err = await rejectsWith(
      h.client.commitEntry(buildEntryCommit(entryHash(e), 2, ZERO_SEED, h.clock.t + 1)),
      'PROSPER_E_FACTOM_REPEATED_COMMIT',
      -32011,
      'Repeated Commit',
    );
    assert.deepEqual(err.data, { info: 'A commit with equal or greater payment already exists', entryhash: eh });
    await rejectsWith(h.client.commitEntry(buildEntryCommit(entryHash(e), 1, ZERO_SEED, h.clock.t + 2)), 'PROSPER_E_FACTOM_REPEATED_COMMIT', -32011, 'Repeated Commit');
    assert.equal(await h.client.entryCreditBalance(ZERO_EC), before - 2n);
    await h.client.revealEntry(marshalEntry(e));
    // After the reveal: another commit of the same entry is accepted by the API but dropped (no charge).
    const r = await h.client.commitEntry(buildEntryCommit(entryHash(e), 3, ZERO_SEED, h.clock.t + 3));
    assert.equal(r.message, 'Entry Commit Success');
    assert.equal(await h.client.entryCreditBalance(ZERO_EC), before - 2n);
    await h.client.revealEntry(marshalEntry(e)); // duplicate reveal, dropped
    h.toNextBlockMinute(1);
    const eb = await h.client.entryBlock((await h.client.chainHead(toHex(chainEntry.chainId))).chainHead);
    assert.deepEqual(eb.entryList.map((x) => x.entryHash), [firstHash, eh]);

    // Stale commit (2 h old): API success, never charged, its reveal never lands.
    const stale = buildEntry(['stale'], '', chainEntry.chainId);
    await h.client.commitEntry(buildEntryCommit(entryHash(stale), 1, ZERO_SEED, h.clock.t - 2 * 3600_000));
    await h.client.revealEntry(marshalEntry(stale));
    assert.equal(await h.client.entryCreditBalance(ZERO_EC), before - 2n);
    assert.equal((await h.client.ack(toHex(entryHash(stale)), toHex(chainEntry.chainId))).entryData.status, 'NotConfirmed');
    // A replayed commit (same txid) after its reveal is dropped too.
    const e2 = buildEntry(['two'], '', chainEntry.chainId);
    const c2 = buildEntryCommit(entryHash(e2), 1, ZERO_SEED, h.clock.t);
    await h.client.commitEntry(c2);
    await h.client.revealEntry(marshalEntry(e2));
    await h.client.commitEntry(c2);
    assert.equal(await h.client.entryCreditBalance(ZERO_EC), before - 3n);
    // A reveal that underpays (entry needs 2 EC, commit paid 1) waits in holding.
    const big = buildEntry(['big'], 'z'.repeat(2000), chainEntry.chainId);
    await h.client.commitEntry(buildEntryCommit(entryHash(big), 1, ZERO_SEED, h.clock.t));
    await h.client.revealEntry(marshalEntry(big));
    assert.equal((await h.client.ack(toHex(entryHash(big)), toHex(chainEntry.chainId))).entryData.status, 'NotConfirmed');
  } finally {
    await h.stop();
  }
});

test('EC balance is checked: an unfunded commit waits in holding until the key is funded', async () => {
  const h = await startHarness();
  try {
    const poorSeed = seed('poor miner');
    const poorEc = ecAddressFromPublicKey(publicKeyFromSeed(poorSeed));
    const chainEntry = buildEntry(['poor chain'], '');
    await write(h, chainEntry, true);
    const e = buildEntry(['opr'], 'content', chainEntry.chainId);
    const eh = toHex(entryHash(e));
    await h.client.commitEntry(buildEntryCommit(entryHash(e), 1, poorSeed, h.clock.t));
    await h.client.revealEntry(marshalEntry(e));
    const ack = await h.client.ack(eh, toHex(chainEntry.chainId));
    assert.equal(ack.commitData.status, 'NotConfirmed');
    assert.equal(ack.entryData.status, 'NotConfirmed');
    assert.ok((await h.client.pendingEntries()).some((p) => p.entryHash === eh && p.status === 'NotConfirmed'));
    h.devnet.fundEntryCredits(poorEc, 5n);
    h.clock.advance(h.minuteMs); // holding is retried each minute
    assert.equal((await h.client.ack(eh, toHex(chainEntry.chainId))).entryData.status, 'TransactionACK');
    assert.equal(await h.client.entryCreditBalance(poorEc), 4n);
    const byTxid = await h.client.ack(ack.commitTxid || (await h.client.ack(eh, toHex(chainEntry.chainId))).commitTxid, 'c');
    assert.equal(byTxid.entryHash, eh);
    // Entry for a chain that does not exist waits as well.
    const orphan = buildEntry(['orphan'], '', Buffer.alloc(32, 0x42));
    await h.client.commitEntry(buildEntryCommit(entryHash(orphan), 1, ZERO_SEED, h.clock.t));
    await h.client.revealEntry(marshalEntry(orphan));
    assert.equal((await h.client.ack(toHex(entryHash(orphan)), '42'.repeat(32))).entryData.status, 'NotConfirmed');
  } finally {
    await h.stop();
  }
});

test('chain reveal that does not match its commit is dropped', async () => {
  const h = await startHarness();
  try {
    const real = buildEntry(['real'], '');
    const fake = buildEntry(['fake'], '', real.chainId); // claims the chain id but its ext ids differ
    const bytes = marshalEntry(fake);
    await h.client.commitChain(buildChainCommit(real.chainId, entryHash(fake), 11, ZERO_SEED, h.clock.t));
    await h.client.revealChain(bytes);
    await rejectsWith(h.client.chainHead(toHex(real.chainId)), 'PROSPER_E_FACTOM_MISSING_CHAIN_HEAD', -32009, 'Missing Chain Head');
    await rejectsWith(h.client.entry(toHex(entryHash(fake))), 'PROSPER_E_FACTOM_NOT_FOUND', -32008, 'Entry not found');
  } finally {
    await h.stop();
  }
});

test('held commits expire after the replay window; factoid-submit moves factoids and is ack-able', async () => {
  const h = await startHarness();
  try {
    const poorSeed = seed('expired');
    const chainEntry = buildEntry(['expiry chain'], '');
    await write(h, chainEntry, true);
    const e = buildEntry(['late'], '', chainEntry.chainId);
    await h.client.commitEntry(buildEntryCommit(entryHash(e), 1, poorSeed, h.clock.t));
    await h.client.revealEntry(marshalEntry(e));
    h.clock.advance(61 * 60_000); // over an hour of (catch-up limited) blocks
    await h.client.heights();
    h.devnet.fundEntryCredits(ecAddressFromPublicKey(publicKeyFromSeed(poorSeed)), 10n);
    h.clock.advance(h.minuteMs);
    const ack = await h.client.ack(toHex(entryHash(e)), toHex(chainEntry.chainId));
    assert.equal(ack.entryData.status, 'Unknown');
    assert.equal(await h.client.entryCreditBalance(ecAddressFromPublicKey(publicKeyFromSeed(poorSeed))), 10n);

    // The Factom API docs' example transaction: 1 FCT from FA2jK2… (funded at genesis) to FA3Y1t…, fee 0.012 FCT.
    const tx = Buffer.from(
      '0201565d109233010100b0a0e100646f3e8750c550e4582eca5047546ffef89c13a175985e320232bacac81cc428afd7c200ce7b98bfdae90f942bc1fe88c3dd44d8f4c81f4eeb88a5602da05abc82ffdb5301718b5edd2914acc2e4677f336c1a32736e5e9bde13663e6413894f57ec272e28dc1908f98b79df30005a99df3c5caf362722e56eb0e394d20d61d34ff66c079afad1d09eee21dcd4ddaafbb65aacea4d5c1afcd086377d77172f15b3aa32250a',
      'hex',
    );
    const tampered = Buffer.from(tx);
    tampered[tampered.length - 1] ^= 1;
    assert.equal((await h.client.factoidSubmit(tampered)).message, 'Successfully submitted the transaction');
    const to = 'FA3Y1tBWnFpyoZUPr9ZH51R1gSC8r5x5kqvkXL3wy4uRvzFnuWLB';
    assert.equal(await h.client.factoidBalance(to), 0n, 'bad signature dropped');
    const r = await h.client.factoidSubmit(tx);
    assert.equal(r.txid, 'aa8bac391e744340140ea0d95c7b37f9cc8a58601961bd751f5adb042af6f33b');
    assert.equal(await h.client.factoidBalance(to), 100_000_000n);
    assert.equal(await h.client.factoidBalance('FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q'), 2_000_000_000_000n - 101_200_000n);
    assert.deepEqual(await h.client.factoidAck(r.txid), { txid: r.txid, status: 'TransactionACK' });
    assert.equal((await h.client.factoidAck('00'.repeat(32))).status, 'Unknown');
    await h.client.factoidSubmit(tx); // a replay is ignored
    assert.equal(await h.client.factoidBalance(to), 100_000_000n);
  } finally {
    await h.stop();
  }
});

test('buying EC with a factoid transaction funds an EC key on the devnet', async () => {
  const { buildFactoidTransaction, decodeAddress } = await import('../../src/factom/index.js');
  const h = await startHarness();
  try {
    const buyer = publicKeyFromSeed(seed('ec buyer'));
    const fs = decodeAddress('Fs', 'Fs3E9gV6DXsYzf7Fqx1fVBQPQXV695eP3k5XbmHEZVRLkMdD9qCK');
    // 1 FCT of EC at rate 1000 = 100 000 EC; fee at least 1000 × (1 + 10 + 1).
    const tx = buildFactoidTransaction({ timestampMs: h.clock.t, inputs: [{ seed: fs, amount: 100_012_000n }], ecOutputs: [{ address: buyer, amount: 100_000_000n }] });
    await h.client.factoidSubmit(tx);
    assert.equal(await h.client.entryCreditBalance(ecAddressFromPublicKey(buyer)), 100_000n);
    // Underpaying the fee gets the transaction dropped.
    const cheap = buildFactoidTransaction({ timestampMs: h.clock.t + 1, inputs: [{ seed: fs, amount: 100_000_001n }], ecOutputs: [{ address: buyer, amount: 100_000_000n }] });
    await h.client.factoidSubmit(cheap);
    assert.equal(await h.client.entryCreditBalance(ecAddressFromPublicKey(buyer)), 100_000n);
    // Spending from an empty address is dropped too.
    const broke = buildFactoidTransaction({ timestampMs: h.clock.t, inputs: [{ seed: seed('broke'), amount: 200_000_000n }], ecOutputs: [{ address: buyer, amount: 100_000_000n }] });
    await h.client.factoidSubmit(broke);
    assert.equal(await h.client.entryCreditBalance(ecAddressFromPublicKey(buyer)), 100_000n);
  } finally {
    await h.stop();
  }
});
