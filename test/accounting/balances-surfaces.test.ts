// One balance, four numbers (earned, paid, pending, owed), the same on every surface at every step
// of a payout: the database, `prosper-pool db users`, /api/me, the admin users list, and (with
// Chromium) the dashboard and admin page as a browser shows them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { PDIFF, createAccountant, createShareLedger, parseFeeRate, parsePeg } from '../../src/accounting/index.js';
import { createAuthService } from '../../src/auth/index.js';
import { Devnet } from '../../src/devnet/index.js';
import { encodeAddress } from '../../src/factom/index.js';
import { chainsForNetwork } from '../../src/pegnet/index.js';
import { createStoreWebData } from '../../src/web/index.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { openTestStore, type TestStore } from '../store/test-backends.js';
import { call, FAST_SCRYPT, login, startTestServer, type TestServer } from '../web/helpers.js';
import { runDb, runPay } from './payout-drivers.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const FS = 'Fs3E9gV6DXsYzf7Fqx1fVBQPQXV695eP3k5XbmHEZVRLkMdD9qCK';
const POOL_FA = 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q';
const ES = encodeAddress('Es', Buffer.alloc(32));
const EC = 'EC2DKSYyRcNWf7RS963VFYgMExoHRYLHVeCfQ9PGPmNzwrcmgm2r';
const PAYEE = 'FA1zT4aFpEvcnPqPCigB3fvGu4Q4mTXY22iiuV69DqE1pNhdF2MC';
const KEYS = ['earned', 'paid', 'pending', 'owed'] as const;
type Balance = Record<(typeof KEYS)[number], bigint>;

let t: TestStore;
let dir: string;
let srv: TestServer;
let browser: Browser | undefined;
let clock = 1_800_000_000_000;
const now = () => clock;

before(async () => {
  t = await openTestStore('postgres');
  dir = mkdtempSync(join(tmpdir(), 'prosper-balances-'));
  const auth = createAuthService({ store: t.store, now, scryptCost: FAST_SCRYPT });
  srv = await startTestServer(createStoreWebData({ store: t.store, auth, live: new MemoryWebData({ now }), now, scryptCost: FAST_SCRYPT }), Date.now, { securecookies: false });
  if (CHROMIUM) browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
});
after(async () => {
  await browser?.close();
  srv?.close();
  await t.dispose();
  rmSync(dir, { recursive: true, force: true });
});

test('earned, paid, pending and owed agree on every surface through credit -> db payout -> payout-cli pay -> db record', { timeout: 180_000 }, async () => {
  const devnet = new Devnet({ port: 0, autoTick: false, blockTimeSeconds: 10, now });
  const url = `http://127.0.0.1:${await devnet.start()}/v2`;
  try {
    const auth = createAuthService({ store: t.store, now, scryptCost: FAST_SCRYPT });
    const [c1, c2] = await auth.createInviteCodes(2);
    const miner = await auth.authorizeMiner({ username: 'miner@pool.io', minerId: 'r', password: 'miner-password', inviteCode: c1, payoutAddress: PAYEE });
    const boss = await auth.authorizeMiner({ username: 'boss@pool.io', minerId: 'r', password: 'boss-password', inviteCode: c2, payoutAddress: POOL_FA });
    assert.ok(miner.ok && boss.ok);
    assert.equal(await auth.makeAdmin('boss@pool.io'), true);
    const minerSession = await login(srv.base, 'miner@pool.io', 'miner-password');
    const bossSession = await login(srv.base, 'boss@pool.io', 'boss-password');
    const pages = browser ? { me: await browser.newPage(), admin: await browser.newPage() } : undefined;
    if (pages) {
      for (const [page, email, password] of [[pages.me, 'miner@pool.io', 'miner-password'], [pages.admin, 'boss@pool.io', 'boss-password']] as const) {
        await page.goto(srv.base + '/account');
        await page.fill('input[name=email]', email);
        await page.fill('input[name=password]', password);
        await page.click('#login-form button');
        await page.locator('#me-email').filter({ hasText: email }).waitFor();
      }
    }

    /** Reads the miner's balance from every surface and asserts they all equal `expected`. */
    const everySurface = async (step: string, expected: Balance) => {
      const seen: Record<string, Balance> = {};
      const db = (await t.store.balances()).find((b) => b.email === 'miner@pool.io')!;
      seen.database = { earned: db.earned, paid: db.paid, pending: db.pending, owed: db.owed };
      const users = await runDb(t.store, now, 'users');
      const header = users.out[0].split('\t');
      const row = users.out.find((l) => l.split('\t')[1] === 'miner@pool.io')!.split('\t');
      seen.dbUsers = Object.fromEntries(KEYS.map((k) => [k, parsePeg(row[header.indexOf(k)])])) as Balance;
      const me = await call(srv.base, 'GET', '/api/me', { cookie: minerSession.cookie });
      seen.apiMe = Object.fromEntries(KEYS.map((k) => [k, BigInt(me.json.balance[k])])) as Balance;
      const admin = await call(srv.base, 'GET', '/api/admin/users', { cookie: bossSession.cookie });
      const listed = admin.json.users.find((u: { email: string }) => u.email === 'miner@pool.io');
      seen.apiAdmin = Object.fromEntries(KEYS.map((k) => [k, BigInt(listed.balance[k])])) as Balance;
      if (pages) {
        await pages.me.reload();
        await pages.me.locator('#me-email').filter({ hasText: 'miner@pool.io' }).waitFor();
        await pages.me.locator('#me-owed').filter({ hasText: /\d/ }).waitFor();
        const dom: Partial<Balance> = {};
        for (const k of KEYS) dom[k] = parsePeg((await pages.me.locator(`#me-${k}`).innerText()).trim());
        seen.dashboard = dom as Balance;
        await pages.admin.goto(srv.base + '/admin');
        const cells = (await pages.admin.locator('#users tr', { hasText: 'miner@pool.io' }).innerText()).split('\t').map((c) => c.trim());
        seen.adminPage = Object.fromEntries(KEYS.map((k, i) => [k, parsePeg(cells[4 + i])])) as Balance;
      }
      assert.equal(Object.keys(seen).length, pages ? 6 : 4, 'every surface was read');
      for (const [surface, b] of Object.entries(seen)) assert.deepEqual(b, expected, `${step}: ${surface}`);
      assert.equal(expected.owed, expected.earned - expected.paid - expected.pending);
    };

    await everySurface('before any credit', { earned: 0n, paid: 0n, pending: 0n, owed: 0n });

    // Credit and a settled job: 2 PEG, 10 % fee, all to the miner.
    const ledger = createShareLedger({ store: t.store, now, flushIntervalMs: 1 });
    await ledger.credit({ jobId: 9, userId: miner.userId, miner: 'r', assignedTarget: PDIFF });
    const acct = createAccountant({ store: t.store, ledger, feeRateE8: parseFeeRate('0.1'), now });
    await acct.settleJob(9, 2n * 100_000_000n);
    const earned = 180_000_000n;
    await everySurface('credited', { earned, paid: 0n, pending: 0n, owed: earned });

    const payments = join(dir, 'payments.json');
    assert.equal((await runDb(t.store, now, 'payout', payments, '--min', '0.5')).out[0], 'Payment data written to file');
    await everySurface('db payout', { earned, paid: 0n, pending: earned, owed: 0n });

    const keyfile = join(dir, 'keys.txt');
    writeFileSync(keyfile, `${FS}\n${ES}\n`, { mode: 0o600 });
    const receipt = join(dir, 'receipt.json');
    const paid = await runPay(url, now, payments, POOL_FA, EC, receipt, '--keyfile', keyfile, '--chain', chainsForNetwork('MainNet').transactions);
    assert.equal(paid.code, 0, paid.err.join('\n'));
    clock += 12_000;
    devnet.tick();
    await everySurface('payout-cli pay (not recorded yet)', { earned, paid: 0n, pending: earned, owed: 0n });

    assert.equal((await runDb(t.store, now, 'record', receipt)).out[0], 'Payment data recorded');
    await everySurface('db record', { earned, paid: earned, pending: 0n, owed: 0n });

    // More work after the payout: owed grows again from 0.
    await ledger.credit({ jobId: 10, userId: miner.userId, miner: 'r', assignedTarget: PDIFF });
    await acct.settleJob(10, 100_000_000n);
    await ledger.close();
    await everySurface('next job', { earned: earned + 90_000_000n, paid: earned, pending: 0n, owed: 90_000_000n });
  } finally {
    await devnet.stop();
  }
});
