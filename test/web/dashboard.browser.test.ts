import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { FAST_SCRYPT, startTestServer, type TestServer } from './helpers.js';
import { figuresWindow } from './fixtures.js';

/** Debian's chromium (apt-get install chromium); playwright-core drives it, it downloads nothing. */
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
export const SCREENSHOT = join(tmpdir(), 'prosper-dashboard.png');

let srv: TestServer;
let browser: Browser;
let data: MemoryWebData;
let aliceId: bigint;

before(async () => {
  if (!CHROMIUM) return;
  data = new MemoryWebData({ now: Date.now, scryptCost: FAST_SCRYPT });
  aliceId = (await data.addUser('alice@example.com', 'alice-password')).id;
  data.setJob({ jobId: 300_001, height: 300_001, startedAt: new Date() });
  srv = await startTestServer(data, Date.now);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
});
after(async () => {
  await browser?.close();
  srv?.close();
});

function shareWindow(at: number, rig1: number) {
  data.recordShareWindow(figuresWindow(at, 5, 0, [{ userId: aliceId, miner: 'rig1', hashrate: rig1, shares: 5 }, { userId: 99n, miner: 'other', hashrate: 500, shares: 1 }]));
}

test('account page: log in, see a miner\'s hashrate appear and update live; the dashboard follows the pool, screenshot', { skip: CHROMIUM ? false : 'needs Debian chromium (apt-get install chromium)', timeout: 60_000 }, async () => {
  const dash = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  const page = await browser.newPage({ viewport: { width: 1000, height: 1100 } });
  const errors: string[] = [];
  for (const p of [dash, page]) p.on('pageerror', (e) => errors.push(e.message));
  await dash.goto(srv.base + '/');
  await dash.locator('#pool-job').filter({ hasText: '300001' }).waitFor();
  await dash.locator('#live').filter({ hasText: 'live' }).waitFor();

  // Signed out, the account page is the login page.
  await page.goto(srv.base + '/account');
  assert.equal(await page.locator('#me-box').count(), 0);
  // A wrong password shows the coded error's message and no account.
  await page.fill('input[name=email]', 'alice@example.com');
  await page.fill('input[name=password]', 'wrong-password');
  await page.click('#login-form button');
  await page.locator('#login-error').filter({ hasText: 'wrong' }).waitFor();

  await page.fill('input[name=password]', 'alice-password');
  await page.click('#login-form button');
  await page.locator('#me-email').filter({ hasText: 'alice@example.com' }).waitFor();
  await page.locator('#live').filter({ hasText: 'live' }).waitFor();

  // Shares arrive: the miner row appears, then its hashrate follows the feed without a reload.
  shareWindow(Date.now() - 20_000, 4000);
  await page.locator('#miners tr', { hasText: 'rig1' }).waitFor();
  await page.locator('#me-hashrate').filter({ hasText: '4.00 kH/s' }).waitFor();
  shareWindow(Date.now() - 10_000, 12_500);
  await page.locator('#me-hashrate').filter({ hasText: '12.5 kH/s' }).waitFor();
  await page.locator('#miners tr', { hasText: '12.5 kH/s' }).waitFor();
  await dash.locator('#pool-hashrate').filter({ hasText: '13.0 kH/s' }).waitFor();
  shareWindow(Date.now(), 9000);
  await page.locator('#me-hashrate').filter({ hasText: '9.00 kH/s' }).waitFor();

  // One small chart per worker (this server keeps no history in a store: the live feed fills them);
  // picking rig1 asks the store's history for the big chart.
  await page.locator('#worker-charts .worker-chart', { hasText: 'rig1' }).locator('.uplot').waitFor();
  const history = page.waitForResponse((r) => r.url().includes('/api/me/history') && r.url().includes('worker=rig1'));
  await page.selectOption('#chart-miner', 'rig1');
  assert.equal((await (await history).json()).error.code, 'PROSPER_E_WEB_UNSUPPORTED');
  // Every figure shows its 95 % band: 5 shares of rig1 give 0.32x .. 2.33x the estimate.
  const band = await page.locator('#me-hashrate').textContent();
  assert.match(band ?? '', /^9\.00 kH\/s \(2\.92 kH\/s - 21\.0 kH\/s\)$/);

  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  assert.ok(statSync(SCREENSHOT).size > 10_000, 'a real screenshot was written');
  assert.deepEqual(errors, [], 'no script errors on the page');
});

test('admin page: an admin sees connected miners and creates an invite code in the browser', { skip: CHROMIUM ? false : 'needs Debian chromium (apt-get install chromium)', timeout: 60_000 }, async () => {
  await data.addUser('root@example.com', 'root-password', 'admin');
  data.connect({ sessionId: 'sess-9', email: 'alice@example.com', miner: 'rig1', agent: 'prosper-miner/1.0', ip: '192.0.2.5', authorized: true, subscribed: true, target: 0xfffff00000000000n, nonce: 9 }, aliceId);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(srv.base + '/admin');
  await page.fill('input[name=email]', 'root@example.com');
  await page.fill('input[name=password]', 'root-password');
  await page.click('#login-form button');
  // Logged in, the same address is the admin page, with the admin link in the header.
  await page.locator('#admin-link:not([hidden])').waitFor();
  await page.locator('#miners tr', { hasText: '192.0.2.5' }).waitFor();
  // Each session with its miner's hashrate figure (rig1's, from the shares above).
  assert.match(await page.locator('#miners tr').first().innerText(), /alice@example\.com\/rig1\s+9\.00 kH\/s \(2\.92 kH\/s - 21\.0 kH\/s\)\s+prosper-miner\/1\.0\s+192\.0\.2\.5\s+sess-9/);
  await page.fill('input[name=count]', '2');
  await page.click('#invite-form button');
  await page.locator('#invite-msg').filter({ hasText: 'created 2' }).waitFor();
  await page.locator('#invites tr').nth(1).waitFor();
  assert.equal(await page.locator('#invites tr').count(), 2);
  assert.deepEqual(errors, []);
});
