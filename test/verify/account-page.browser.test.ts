// The account page shows the user's credit key (a real browser over the real store).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { createAuthService } from '../../src/auth/index.js';
import { createCreditRoots, loadOrCreatePoolIdentity } from '../../src/verify/index.js';
import { createStoreWebData } from '../../src/web/index.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { closeSharedPglite, openTestStore } from '../store/test-backends.js';
import { FAST_SCRYPT, startTestServer } from '../web/helpers.js';
import { FA_ADDRESS } from '../web/fixtures.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
after(closeSharedPglite);

test('account page: the credit key from the store is shown after login', { skip: CHROMIUM ? false : 'needs Debian chromium', timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prosper-verify-page-'));
  const t = await openTestStore('pglite');
  const srvRef: { close?: () => void } = {};
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
  try {
    const auth = createAuthService({ store: t.store, now: Date.now, scryptCost: FAST_SCRYPT });
    const [code] = await auth.createInviteCodes(1);
    const reg = await auth.authorizeMiner({ username: 'kim@example.com', minerId: 'rig', password: 'kim-password', inviteCode: code!, payoutAddress: FA_ADDRESS });
    assert.ok(reg.ok);
    const credit = await createCreditRoots(t.db, loadOrCreatePoolIdentity(join(dir, 'key.pem')));
    const live = new MemoryWebData({ now: Date.now, scryptCost: FAST_SCRYPT });
    const srv = await startTestServer({ ...createStoreWebData({ store: t.store, auth, live, now: Date.now, scryptCost: FAST_SCRYPT }), credit: credit.web }, Date.now);
    srvRef.close = () => srv.close();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(srv.base + '/account');
    await page.fill('input[name=email]', 'kim@example.com');
    await page.fill('input[name=password]', 'kim-password');
    await page.click('#login-form button');
    await page.locator('#me-email').filter({ hasText: 'kim@example.com' }).waitFor();
    await page.locator('#me-credit-key').filter({ hasText: /^[0-9a-f]{64}$/ }).waitFor();
    assert.equal(await page.locator('#me-credit-key').textContent(), await credit.web.creditKey(reg.userId));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    srvRef.close?.();
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
