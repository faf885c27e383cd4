import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { call, FAST_SCRYPT, startTestServer, type TestServer } from './helpers.js';

let srv: TestServer;
// Error pages need no pool history: an empty pool's web server.
before(async () => (srv = await startTestServer(new MemoryWebData({ now: Date.now, scryptCost: FAST_SCRYPT }), Date.now)));
after(() => srv.close());

/** What Chromium and Firefox send when the address bar navigates to a page. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

describe('pages a browser asks for that the pool does not have', () => {
  test('unknown paths (and a block page that names no height) are a styled HTML 404 page for a browser', async () => {
    for (const path of ['/blocks/x', '/minerz', '/no/such/page', '/index.html']) {
      const r = await call(srv.base, 'GET', path, { headers: { Accept: BROWSER_ACCEPT } });
      assert.equal(r.status, 404, path);
      assert.match(r.headers.get('content-type') ?? '', /^text\/html/, path);
      assert.match(r.text, /^<!doctype html>/, path);
      assert.match(r.text, /<title>404 Not Found - Prosper pool<\/title>/);
      assert.match(r.text, /<link rel="stylesheet" href="\/assets\/style.css">/);
      assert.match(r.text, /<a href="\/">Back to the dashboard<\/a>/);
      assert.ok(r.text.includes(`<code>${path}</code>`), path);
      assert.ok(r.headers.get('content-security-policy')?.includes("default-src 'self'"));
      assert.equal(r.json, undefined, 'not JSON');
    }
  });

  test('the same paths stay JSON 404 for clients that do not ask for HTML', async () => {
    for (const accept of [undefined, 'application/json', '*/*']) {
      for (const path of ['/blocks/x', '/minerz', '/no/such/page']) {
        const r = await call(srv.base, 'GET', path, accept ? { headers: { Accept: accept } } : {});
        assert.equal(r.status, 404, `${path} ${accept}`);
        assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
        assert.equal(r.json.error.code, 'PROSPER_E_WEB_NOT_FOUND');
      }
    }
  });

  test('API, metrics and asset paths keep JSON errors even when HTML is accepted', async () => {
    for (const path of ['/api/nope', '/api', '/api/pool/nope', '/assets/missing.css', '/ws/x', '/metrics/x']) {
      const r = await call(srv.base, 'GET', path, { headers: { Accept: BROWSER_ACCEPT } });
      assert.equal(r.status, 404, path);
      assert.equal(r.json?.error?.code, 'PROSPER_E_WEB_NOT_FOUND', path);
    }
    // A form post to a page path is not a navigation to show a page for.
    const post = await call(srv.base, 'POST', '/blocks', { headers: { Accept: BROWSER_ACCEPT }, body: {} });
    assert.equal(post.json.error.code, 'PROSPER_E_WEB_METHOD');
  });

  test('known pages still load, and signed out the account and admin pages are the login page', async () => {
    const home = await call(srv.base, 'GET', '/', { headers: { Accept: BROWSER_ACCEPT } });
    assert.equal(home.status, 200);
    assert.match(home.text, /<title>Prosper pool<\/title>/);
    for (const path of ['/admin', '/account']) {
      const page = await call(srv.base, 'GET', path, { headers: { Accept: BROWSER_ACCEPT } });
      assert.equal(page.status, 200, path);
      assert.match(page.text, /<title>Log in - Prosper pool<\/title>/, path);
      assert.match(page.text, /id="login-form"/, path);
    }
  });

  test('the path is shown escaped', async () => {
    const r = await call(srv.base, 'GET', '/%3Cscript%3Ealert(1)%3C/script%3E', { headers: { Accept: 'text/html' } });
    assert.equal(r.status, 404);
    assert.ok(!r.text.includes('<script>'), r.text);
  });

  test('in a real browser the 404 page renders with the dashboard style', { skip: CHROMIUM ? false : 'needs Debian chromium (apt-get install chromium)', timeout: 120_000 }, async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
    try {
      const page = await browser.newPage();
      const res = await page.goto(srv.base + '/minerz');
      assert.equal(res?.status(), 404);
      assert.equal(await page.title(), '404 Not Found - Prosper pool');
      assert.equal(await page.locator('main h2').textContent(), '404 Not Found');
      // The stylesheet applied: the header has the dashboard's dark background.
      assert.equal(await page.locator('header').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor), 'rgb(23, 50, 77)');
      await page.click('text=Back to the dashboard');
      await page.waitForURL(srv.base + '/');
      assert.equal(await page.title(), 'Prosper pool');
    } finally {
      await browser.close();
    }
  });
});
