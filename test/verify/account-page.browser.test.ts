// The account page shows the user's credit key (a real browser over the real store).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCreditRoots, loadOrCreatePoolIdentity } from '../../src/verify/index.js';
import { createStoreWebData } from '../../src/web/index.js';
import { authWithUser } from '../helpers/accounts.js';
import { CHROMIUM, launchChromium, loggedInPage } from '../helpers/browser.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { closeSharedPglite, openTestStore } from '../store/test-backends.js';
import { FAST_SCRYPT, startTestServer } from '../web/helpers.js';

after(closeSharedPglite);

test('account page: the credit key from the store is shown after login', { skip: CHROMIUM ? false : 'needs Debian chromium', timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prosper-verify-page-'));
  const t = await openTestStore('pglite');
  const srvRef: { close?: () => void } = {};
  const browser = await launchChromium();
  try {
    const { auth, userId } = await authWithUser(t.store, 'kim@example.com', 'kim-password');
    const credit = await createCreditRoots(t.db, loadOrCreatePoolIdentity(join(dir, 'key.pem')));
    const live = new MemoryWebData({ now: Date.now, scryptCost: FAST_SCRYPT });
    const srv = await startTestServer({ ...createStoreWebData({ store: t.store, auth, live, now: Date.now, scryptCost: FAST_SCRYPT }), credit: credit.web }, Date.now);
    srvRef.close = () => srv.close();
    const { page, errors } = await loggedInPage(browser, srv.base, 'kim@example.com', 'kim-password');
    await page.locator('#me-credit-key').filter({ hasText: /^[0-9a-f]{64}$/ }).waitFor();
    assert.equal(await page.locator('#me-credit-key').textContent(), await credit.web.creditKey(userId));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    srvRef.close?.();
    await t.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
