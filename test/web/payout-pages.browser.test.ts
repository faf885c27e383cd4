// The account page's minimum-payout field and the admin's PPS reserve panel in a real browser
// over the real store.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PayoutSettings } from '../../src/accounting/index.js';
import { createPayoutWebData, createStoreWebData } from '../../src/web/index.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { authWithUser } from '../helpers/accounts.js';
import { CHROMIUM, launchChromium, loggedInPage } from '../helpers/browser.js';
import { closeSharedPglite, openTestStore } from '../store/test-backends.js';
import { FAST_SCRYPT, startTestServer } from './helpers.js';

after(closeSharedPglite);

const PEG = 100_000_000n;
const settings: PayoutSettings = { scheme: 'pps', feeRateE8: 5_000_000n, pplnsFactorE4: 20_000n, ppsFeeE8: 5_000_000n, ppsWindow: 144, ppsFloor: 50n * PEG, minPayout: 2n * PEG };

test('account page sets the minimum payout; the admin page shows the PPS reserve and its fallback warning', { skip: CHROMIUM ? false : 'needs Debian chromium', timeout: 120_000 }, async () => {
  const t = await openTestStore('pglite');
  const srvRef: { close?: () => void } = {};
  const browser = await launchChromium();
  try {
    const { auth, userId } = await authWithUser(t.store, 'kim@example.com', 'kim-password');
    await auth.makeAdmin('kim@example.com');
    const live = new MemoryWebData({ now: Date.now, scryptCost: FAST_SCRYPT });
    const ports = createStoreWebData({ store: t.store, auth, live, now: Date.now, scryptCost: FAST_SCRYPT });
    const srv = await startTestServer(ports, Date.now);
    srvRef.close = () => srv.close();
    Object.assign(ports, { payouts: createPayoutWebData(t.store, settings, srv.metrics) });
    // A PPS block that fell back: the reserve (20 PEG) is below the floor (50 PEG).
    await t.store.moveReserve(20n * PEG, 'seed', new Date());
    await t.store.creditShares('b1', [{ jobId: 9, userId: userId, miner: 'rig', target: 0n, credit: 1000n, receivedAt: new Date() }]);
    await t.store.settleJob(9, (credits) => ({
      reward: 0n, feeRateE8: 0n, fee: 0n, dust: 0n, totalCredit: credits[0]!.credit, payouts: [{ ...credits[0]!, amount: 0n }], scheme: 'pplns', fallback: true, pplnsWindow: 1000n,
    }), new Date());

    const { page, errors } = await loggedInPage(browser, srv.base, 'kim@example.com', 'kim-password');
    await page.locator('#pool-min-payout').filter({ hasText: '2' }).waitFor();
    await page.fill('#min-payout', '1');
    await page.click('#threshold-form button');
    await page.locator('#threshold-msg').filter({ hasText: /below the pool's minimum/ }).waitFor();
    await page.fill('#min-payout', '7.5');
    await page.click('#threshold-form button');
    await page.locator('#threshold-msg').filter({ hasText: 'saved: paid from 7.5 PEG' }).waitFor();
    assert.equal((await t.store.balances()).find((b) => b.userId === userId)!.minPayout, 750_000_000n);
    await page.reload();
    await page.locator('#me-email').filter({ hasText: 'kim@example.com' }).waitFor();
    await page.waitForFunction("document.getElementById('min-payout').value === '7.5'");

    await page.goto(srv.base + '/admin');
    await page.locator('#pps-reserve').filter({ hasText: '20' }).waitFor();
    assert.equal(await page.locator('#scheme').textContent(), 'PPS');
    assert.equal(await page.locator('#pps-floor').textContent(), '50');
    assert.equal(await page.locator('#pps-ruin').textContent(), '100 %');
    assert.match((await page.locator('#scheme-last').textContent())!, /^9: PPLNS \(PPS fell back to PPLNS\)$/);
    assert.ok(await page.locator('#pps-warning').isVisible());
    assert.match((await page.locator('#pps-warning').textContent())!, /PPS is not paying/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    srvRef.close?.();
    await t.dispose();
  }
});
