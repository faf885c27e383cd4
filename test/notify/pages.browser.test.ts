// The webhook parts of the pages in a real browser over the real store: a user sets their URL on
// the account page and sees the secret once; a delivery to it shows in the admin page's log.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { createAuthService } from '../../src/auth/index.js';
import { silentLogger } from '../../src/log.js';
import { Notifier, notifyWebData } from '../../src/notify/index.js';
import { createSqlNotifyStore, createSqlStore, openPglite } from '../../src/store/index.js';
import { systemClock } from '../../src/util/clock.js';
import { createStoreWebData } from '../../src/web/index.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { FA_ADDRESS } from '../web/fixtures.js';
import { FAST_SCRYPT, startTestServer } from '../web/helpers.js';
import { Receiver, testSettings, until } from './receiver.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

test('account page sets a webhook and shows its secret once; the admin page lists the delivery', { skip: CHROMIUM ? false : 'needs Debian chromium', timeout: 400_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prosper-notify-page-'));
  const db = await openPglite({ schema: 'notifypages' });
  const rx = await Receiver.start('/mine');
  const store = await createSqlStore(db);
  const notifyStore = createSqlNotifyStore(db);
  const notifier = new Notifier({
    settings: testSettings([], { spoolDir: dir, logSize: 50 }),
    clock: systemClock, logger: silentLogger(), store: notifyStore,
  });
  const now = Date.now;
  const auth = createAuthService({ store, now, scryptCost: FAST_SCRYPT });
  const live = new MemoryWebData({ now, scryptCost: FAST_SCRYPT });
  const srv = await startTestServer({ ...createStoreWebData({ store, auth, live, now, scryptCost: FAST_SCRYPT }), notify: notifyWebData(notifier, notifyStore, now) }, now);
  const browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    notifier.start();
    const [c1, c2] = await auth.createInviteCodes(2);
    const alice = await auth.authorizeMiner({ username: 'alice@example.com', minerId: 'rig1', password: 'alice-password', inviteCode: c1, payoutAddress: FA_ADDRESS });
    assert.ok(alice.ok);
    assert.ok((await auth.authorizeMiner({ username: 'root@example.com', minerId: '', password: 'root-password', inviteCode: c2, payoutAddress: FA_ADDRESS })).ok);
    await auth.makeAdmin('root@example.com');
    const errors: string[] = [];
    const page = await browser.newPage();
    page.setDefaultTimeout(120_000); // generous: the machine may be loaded
    page.on('pageerror', (e) => errors.push(e.message));
    // Signed out, a page that needs an account shows the login form at its own address.
    const logIn = async (path: string, email: string, password: string, ready: string) => {
      await page.goto(srv.base + path);
      await page.fill('input[name=email]', email);
      await page.fill('input[name=password]', password);
      await page.click('#login-form button');
      await page.locator(ready).waitFor();
    };

    await logIn('/account', 'alice@example.com', 'alice-password', '#webhook-form');
    await page.fill('#webhook-url', 'ftp://nope.example/');
    await page.click('#webhook-form button[type=submit]');
    await page.locator('#webhook-msg').filter({ hasText: 'PROSPER_E_NOTIFY_URL' }).waitFor();
    assert.equal(await page.locator('#webhook-secret-box').isHidden(), true);
    await page.fill('#webhook-url', rx.url);
    await page.click('#webhook-form button[type=submit]');
    await page.locator('#webhook-msg').filter({ hasText: 'saved' }).waitFor();
    const secret = (await page.locator('#webhook-secret').innerText()).trim();
    assert.match(secret, /^[0-9a-f]{64}$/);
    // A reload shows the URL but not the secret.
    await page.reload();
    await page.locator('#me-email').filter({ hasText: 'alice' }).waitFor();
    await until(async () => (await page.inputValue('#webhook-url')) === rx.url, 'the stored URL in the form');
    assert.equal(await page.locator('#webhook-secret-box').isHidden(), true);

    await notifier.emit('miner.offline', { miner: 'rig1' }, { userId: String(alice.ok ? alice.userId : 0n) });
    await until(() => rx.delivered().length === 1, 'the delivery');
    assert.deepEqual(rx.verify(rx.received[0]!, secret), { ok: true }, 'the secret the page showed verifies it');

    await page.click('#logout');
    await page.locator('#login-form').waitFor();
    await logIn('/admin', 'root@example.com', 'root-password', '#webhooks-box');
    await page.locator('#webhook-log tr', { hasText: 'miner.offline' }).waitFor();
    assert.match(await page.locator('#webhook-log tr').first().innerText(), /miner\.offline\s+http:\/\/127\.0\.0\.1:\d+\/mine\s+\d+\s+1\s+sent\s+200/);
    assert.match(await page.locator('#webhook-queued').innerText(), /0 waiting/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    srv.close();
    await notifier.stop();
    await rx.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
