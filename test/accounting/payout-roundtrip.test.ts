import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDIFF, createAccountant, createShareLedger, parseFeeRate, parseReceipt } from '../../src/accounting/index.js';
import { createAuthService } from '../../src/auth/index.js';
import { ProsperError } from '../../src/errors.js';
import { buildPayoutProgram } from '../../src/cli/payout-cli.js';
import { Devnet } from '../../src/devnet/index.js';
import { chainsForNetwork } from '../../src/pegnet/index.js';
import { FactomdClient, encodeAddress } from '../../src/factom/index.js';
import { openTestStore, type TestStore } from '../store/test-backends.js';
import { runDb, runPay } from './payout-drivers.js';

const FS = 'Fs3E9gV6DXsYzf7Fqx1fVBQPQXV695eP3k5XbmHEZVRLkMdD9qCK';
const POOL_FA = 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q';
const ES = encodeAddress('Es', Buffer.alloc(32));
const EC = 'EC2DKSYyRcNWf7RS963VFYgMExoHRYLHVeCfQ9PGPmNzwrcmgm2r';
const PAYEE_A = 'FA1zT4aFpEvcnPqPCigB3fvGu4Q4mTXY22iiuV69DqE1pNhdF2MC';
const PAYEE_B = 'FA3PuRtw2WkgkUyEFgjLbzZFyef9dwD9maLWPrNr4VhfKxDwrK8J';

let t: TestStore;
let dir: string;
let clock = 1_800_000_000_000;
const now = () => clock;

before(async () => {
  t = await openTestStore('postgres');
  dir = mkdtempSync(join(tmpdir(), 'prosper-payout-'));
});
after(async () => {
  await t.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const db = (...args: string[]) => runDb(t.store, now, ...args);
const payoutCli = (url: string, ...args: string[]) => runPay(url, now, ...args);

test('db admin / code / codes / users, with bad input', async () => {
  const codes = await db('code', '--count', '3');
  assert.equal(codes.out.length, 3);
  assert.ok(codes.out.every((l) => /^New Code: [1-9A-HJ-NP-Za-km-z]{27,28}$/.test(l)));
  const code = codes.out[0].slice('New Code: '.length);
  const auth = createAuthService({ store: t.store, now, scryptCost: { logN: 10, r: 8, p: 1 } });
  assert.ok((await auth.authorizeMiner({ username: 'boss@pool.io', minerId: 'r', password: 'pw', inviteCode: code, payoutAddress: POOL_FA })).ok);
  assert.deepEqual((await db('admin', 'boss@pool.io')).out, ['boss@pool.io is now an admin']);
  const ghost = await db('admin', 'ghost@pool.io');
  assert.equal(ghost.code, 1);
  const listed = await db('codes');
  assert.ok(listed.out.some((l) => l.startsWith(code) && l.includes('claimed by boss@pool.io')));
  assert.equal(listed.out.filter((l) => l.endsWith('unused')).length, 2);
  const users = await db('users');
  assert.ok(users.out.some((l) => new RegExp(`^\\d+\tboss@pool\\.io\tadmin\t${POOL_FA}\t0\t0\t0\t0\tpool$`).test(l)), users.out.join('\n'));
  await assert.rejects(db('code', '--count', '0'));
  await assert.rejects(db('payout', join(dir, 'x.json'), '--min', '-1'));
});

test('payout round trip on the devnet: db payout -> payout-cli pay -> entry on chain -> db record, nothing paid twice', { timeout: 60_000 }, async () => {
  const devnet = new Devnet({ port: 0, autoTick: false, blockTimeSeconds: 10, now });
  const port = await devnet.start();
  const url = `http://127.0.0.1:${port}/v2`;
  try {
    // Two miners earn a job's reward.
    const auth = createAuthService({ store: t.store, now, scryptCost: { logN: 10, r: 8, p: 1 } });
    const [c1, c2] = await auth.createInviteCodes(2);
    const a = await auth.authorizeMiner({ username: 'a@pool.io', minerId: 'r', password: 'pw', inviteCode: c1, payoutAddress: PAYEE_A });
    const b = await auth.authorizeMiner({ username: 'b@pool.io', minerId: 'r', password: 'pw', inviteCode: c2, payoutAddress: PAYEE_B });
    assert.ok(a.ok && b.ok);
    const ledger = createShareLedger({ store: t.store, now, flushIntervalMs: 1 });
    await Promise.all([a, a, b].map((u) => ledger.credit({ jobId: 5, userId: u.userId, miner: 'r', assignedTarget: PDIFF })));
    const acct = createAccountant({ store: t.store, ledger, feeRateE8: parseFeeRate('0.1'), now });
    await acct.settleJob(5, 3n * 100_000_000n); // 3 PEG, 10% fee: a 1.8, b 0.9
    await ledger.close();

    const payments = join(dir, 'payments.json');
    const step1 = await db('payout', payments, '--min', '0.5');
    assert.deepEqual([step1.out[0], step1.out[2]], ['Payment data written to file', '2.7 PEG needed for the TX']);
    assert.match((await db('payout', join(dir, 'again.json'))).out[0], /^Nothing to pay/, 'balances are locked by the pending batch');
    assert.equal(existsSync(join(dir, 'again.json')), false);
    const exists = await db('payout', payments);
    assert.equal(exists.code, 1, 'an existing file is never overwritten');

    const keyfile = join(dir, 'keys.txt');
    writeFileSync(keyfile, `# pool keys\n${FS}\n${ES}\n`, { mode: 0o600 });
    const receipt = join(dir, 'receipt.json');
    const paid = await payoutCli(url, payments, POOL_FA, EC, receipt, '--keyfile', keyfile, '--chain', chainsForNetwork('MainNet').transactions);
    assert.equal(paid.code, 0, paid.err.join('\n'));
    assert.equal(paid.out[0], 'Payment submitted to the network');
    const r = parseReceipt(readFileSync(receipt, 'utf8'));
    assert.equal(r.status, 'submitted');

    // The entry is on the Transactions chain with the exact transfers.
    clock += 10_000;
    devnet.tick();
    clock += 2_000;
    devnet.tick();
    const onChain = await new FactomdClient({ url, retries: 0 }).entry(r.entryHash);
    assert.equal(onChain.chainId, chainsForNetwork('MainNet').transactions);
    const content = JSON.parse(Buffer.from(onChain.content).toString('utf8'));
    assert.deepEqual(content.transactions[0].transfers, [{ address: PAYEE_A, amount: 180_000_000 }, { address: PAYEE_B, amount: 90_000_000 }]);
    assert.equal(content.transactions[0].input.amount, 270_000_000);

    // Paying the same file again is refused, even to another receipt.
    const twice = await payoutCli(url, payments, POOL_FA, EC, join(dir, 'receipt2.json'), '--keyfile', keyfile);
    assert.equal(twice.code, 1);
    assert.match(twice.err[0], /already paid/);

    assert.equal((await db('record', receipt)).out[0], 'Payment data recorded');
    assert.equal((await db('record', receipt)).out[0], 'This receipt is already recorded; nothing changed');
    const bal = new Map((await t.store.balances()).map((x) => [x.email, x]));
    assert.deepEqual([bal.get('a@pool.io')?.earned, bal.get('a@pool.io')?.paid, bal.get('a@pool.io')?.pending, bal.get('a@pool.io')?.owed], [180_000_000n, 180_000_000n, 0n, 0n]);
    assert.match((await db('payout', join(dir, 'after.json'))).out[0], /^Nothing to pay/, 'owed minus paid is zero');

    // A tampered receipt is refused.
    const forged = join(dir, 'forged.json');
    writeFileSync(forged, readFileSync(receipt, 'utf8').replace('"180000000"', '"280000000"').replace('"270000000"', '"370000000"'));
    const bad = await db('record', forged);
    assert.equal(bad.code, 1);
    assert.match(bad.err[0], /PROSPER_E_ACCOUNTING_PAYOUT_MISMATCH/);
  } finally {
    await devnet.stop();
  }
});

test('pay refuses wrong keys before creating anything', async () => {
  const payments = join(dir, 'p2.json');
  writeFileSync(payments, JSON.stringify({ version: 1, kind: 'prosper-payout', batchId: 'x', createdAt: 'now', total: '1', items: [{ userId: '1', email: 'a', address: PAYEE_A, amount: '1' }] }));
  const keyfile = join(dir, 'wrong.txt');
  writeFileSync(keyfile, `${ES}\n${encodeAddress('Fs', Buffer.alloc(32, 7))}\n`, { mode: 0o600 });
  const r = await payoutCli('http://127.0.0.1:9/v2', payments, POOL_FA, EC, join(dir, 'r2.json'), '--keyfile', keyfile);
  assert.equal(r.code, 1);
  assert.match(r.err[0], /PROSPER_E_ACCOUNTING_KEYS/);
  assert.equal(existsSync(join(dir, 'r2.json')), false);
  assert.equal(existsSync(`${payments}.sent`), false);
});

test('an interrupted pay leaves a "signed" receipt: record refuses it, resubmit sends the same entry, then record works', { timeout: 60_000 }, async () => {
  const devnet = new Devnet({ port: 0, autoTick: false, blockTimeSeconds: 10, now });
  const port = await devnet.start();
  const url = `http://127.0.0.1:${port}/v2`;
  try {
    const auth = createAuthService({ store: t.store, now, scryptCost: { logN: 10, r: 8, p: 1 } });
    const [code] = await auth.createInviteCodes(1);
    const u = await auth.authorizeMiner({ username: 'c@pool.io', minerId: 'r', password: 'pw', inviteCode: code, payoutAddress: PAYEE_B });
    assert.ok(u.ok);
    const ledger = createShareLedger({ store: t.store, now, flushIntervalMs: 1 });
    await ledger.credit({ jobId: 6, userId: u.userId, miner: 'r', assignedTarget: PDIFF });
    await createAccountant({ store: t.store, ledger, feeRateE8: 0n, now }).settleJob(6, 5n * 100_000_000n);
    await ledger.close();
    const payments = join(dir, 'p6.json');
    assert.equal((await db('payout', payments, '--min', '1')).out[0], 'Payment data written to file');
    const keyfile = join(dir, 'keys6.txt');
    writeFileSync(keyfile, `${FS} ${ES}\n`, { mode: 0o600 });
    const receipt = join(dir, 'r6.json');
    const chain = chainsForNetwork('MainNet').transactions;

    // The connection drops after the commit: the reveal never reaches factomd.
    const real = new FactomdClient({ url, retries: 0 });
    const out: string[] = [];
    const err: string[] = [];
    await buildPayoutProgram({
      out: (s) => out.push(s), err: (s) => err.push(s), now,
      submitter: () => ({ commitEntry: (c) => real.commitEntry(c), revealEntry: async () => { throw new ProsperError('PROSPER_E_FACTOM_UNREACHABLE', 'connection reset'); } }),
    }).parseAsync(['node', 'payout-cli', 'pay', payments, POOL_FA, EC, receipt, '--keyfile', keyfile, '--chain', chain]);
    process.exitCode = 0;
    assert.match(err.join('\n'), /connection reset/);
    const signed = parseReceipt(readFileSync(receipt, 'utf8'));
    assert.equal(signed.status, 'signed', 'the receipt was written before sending');
    const refused = await db('record', receipt);
    assert.equal(refused.code, 1);
    assert.match(refused.err[0], /never confirmed submitted/);

    const again: string[] = [];
    await buildPayoutProgram({ out: (s) => again.push(s), err: (s) => again.push(s), now }).parseAsync(['node', 'payout-cli', 'resubmit', receipt, '--keyfile', keyfile, '-s', url]);
    assert.equal(again[0], 'Payment submitted to the network', again.join('\n'));
    const done = parseReceipt(readFileSync(receipt, 'utf8'));
    assert.deepEqual([done.status, done.entryHash], ['submitted', signed.entryHash]);
    clock += 12_000;
    devnet.tick();
    assert.equal((await real.entry(done.entryHash)).chainId, chain);
    assert.equal((await db('record', receipt)).out[0], 'Payment data recorded');
  } finally {
    await devnet.stop();
  }
});
