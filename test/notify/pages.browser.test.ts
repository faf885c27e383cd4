// The webhook parts of the pages in a real browser over the real store: a user sets their URL on
// the account page and sees the secret once; a delivery to it shows in the admin page's log.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { openPglite } from '../../src/store/index.js';
import { Receiver, until } from './receiver.js';
import { startNotifyWeb } from './web-setup.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

test('account page sets a webhook and shows its secret once; the admin page lists the delivery', { skip: CHROMIUM ? false : 'needs Debian chromium', timeout: 400_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prosper-notify-page-'));
  const db = await openPglite({ schema: 'notifypages' });
  const rx = await Receiver.start('/mine');
  const web = await startNotifyWeb({ db, dir, urls: [], now: Date.now, user: 'alice@example.com', admin: 'root@example.com' });
  const { notifier, srv } = web;
  const browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox', '--disable-gpu'] });
  try {
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

    await logIn('/account', 'alice@example.com', 'user-password', '#webhook-form');
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

    await notifier.emit('miner.offline', { miner: 'rig1' }, { userId: web.userId });
    await until(() => rx.delivered().length === 1, 'the delivery');
    assert.deepEqual(rx.verify(rx.received[0]!, secret), { ok: true }, 'the secret the page showed verifies it');

    await page.click('#logout');
    await page.locator('#login-form').waitFor();
    await logIn('/admin', 'root@example.com', 'admin-password', '#webhooks-box');
    await page.locator('#webhook-log tr', { hasText: 'miner.offline' }).waitFor();
    assert.match(await page.locator('#webhook-log tr').first().innerText(), /miner\.offline\s+http:\/\/127\.0\.0\.1:\d+\/mine\s+\d+\s+1\s+sent\s+200/);
    assert.match(await page.locator('#webhook-queued').innerText(), /0 waiting/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await web.close();
    await rx.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
