// The webhook APIs over the real store (PGlite) and the real web server: a user sets their own
// URL (checked: coded errors for a bad URL, control characters, invalid UTF-8), gets its secret
// once, and the admin reads the delivery log; users and visitors cannot.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openPglite } from '../../src/store/index.js';
import { NOTIFY_ADMIN_ROUTES } from '../../src/web/index.js';
import { manualClock } from '../web/fixtures.js';
import { call, login } from '../web/helpers.js';
import { OPERATOR_SECRET, Receiver, until } from './receiver.js';
import { startNotifyWeb } from './web-setup.js';

test('a user sets, reads and removes their webhook; bad URLs get coded errors; the admin reads the delivery log', async () => {
  const clock = manualClock();
  const dir = mkdtempSync(join(tmpdir(), 'prosper-notify-web-'));
  const db = await openPglite({ schema: 'notifyweb' });
  const rx = await Receiver.start();
  const web = await startNotifyWeb({ db, dir, urls: [rx.url], now: clock.now, user: 'carol@example.com', admin: 'erin@example.com' });
  const { notifier, srv } = web;
  const carolId = web.userId;
  try {
    const base = srv.base;
    const c = await login(base, 'carol@example.com', 'user-password');
    const post = (body: unknown, raw?: string) => call(base, 'POST', '/api/me/webhook', raw === undefined ? { body, cookie: c.cookie, csrf: c.csrf } : { raw, cookie: c.cookie, csrf: c.csrf, headers: { 'Content-Type': 'application/json' } });

    assert.equal((await call(base, 'GET', '/api/me/webhook')).status, 401, 'a visitor');
    assert.deepEqual((await call(base, 'GET', '/api/me/webhook', { cookie: c.cookie })).json, { url: null, events: ['miner.offline', 'miner.online', 'payout.recorded'] });

    for (const [url, code] of [
      ['ftp://example.com/x', 'PROSPER_E_NOTIFY_URL'],
      ['not a url', 'PROSPER_E_NOTIFY_URL'],
      ['https://user:pw@example.com/', 'PROSPER_E_NOTIFY_URL'],
      ['javascript:alert(1)', 'PROSPER_E_NOTIFY_URL'],
      ['https://example.com/\u0000x', 'PROSPER_E_NOTIFY_URL_TEXT'],
      ['https://example.com/\nx', 'PROSPER_E_NOTIFY_URL_TEXT'],
      ['https://example.com/\ud800', 'PROSPER_E_NOTIFY_URL_TEXT'],
      ['x'.repeat(3000), 'PROSPER_E_NOTIFY_URL'],
    ] as const) {
      const r = await post({ url });
      assert.equal(r.status, 400, url);
      assert.equal(r.json.error.code, code, url);
    }
    assert.equal((await post({ url: 42 })).json.error.code, 'PROSPER_E_WEB_PARAM');
    const bytes = await fetch(`${base}/api/me/webhook`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: c.cookie, 'X-CSRF-Token': c.csrf }, body: Buffer.concat([Buffer.from('{"url":"https://example.com/'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]) });
    assert.equal(bytes.status, 400);
    assert.equal(((await bytes.json()) as { error: { code: string } }).error.code, 'PROSPER_E_WEB_UTF8');
    assert.equal((await call(base, 'POST', '/api/me/webhook', { body: { url: rx.url }, cookie: c.cookie })).status, 403, 'CSRF token required');
    assert.equal((await call(base, 'GET', '/api/me/webhook', { cookie: c.cookie })).json.url, null, 'nothing was stored by the refused requests');

    const set = await post({ url: rx.url });
    assert.equal(set.status, 200);
    assert.match(set.json.secret, /^[0-9a-f]{64}$/);
    const read = await call(base, 'GET', '/api/me/webhook', { cookie: c.cookie });
    assert.equal(read.json.url, rx.url);
    assert.ok(!read.text.includes(set.json.secret), 'the secret is shown once, when it is made');
    const again = await post({ url: rx.url });
    assert.notEqual(again.json.secret, set.json.secret, 'setting the URL again makes a new secret');

    // A delivery, then the admin's log; a user cannot read it.
    await notifier.emit('miner.offline', { miner: 'rig1' }, { userId: carolId });
    await until(() => rx.delivered().length === 2, 'operator and user deliveries');
    const outcomes = rx.received.map((r) => [rx.verify(r, again.json.secret).ok, rx.verify(r, OPERATOR_SECRET).ok]);
    assert.deepEqual(outcomes.map(([user, op]) => (user ? 'user' : op ? 'operator' : 'neither')).sort(), ['operator', 'user'], "one signed with the operator's secret, one with carol's newest");
    for (const route of NOTIFY_ADMIN_ROUTES) {
      const path = route.slice(route.indexOf(' ') + 1);
      assert.equal((await call(base, 'GET', path)).status, 401, `${route}: a visitor`);
      assert.equal((await call(base, 'GET', path, { cookie: c.cookie })).status, 403, `${route}: a user`);
    }
    const e = await login(base, 'erin@example.com', 'admin-password');
    const log = await call(base, 'GET', '/api/admin/webhooks?limit=10', { cookie: e.cookie });
    assert.equal(log.status, 200);
    assert.equal(log.json.deliveries.length, 2);
    assert.deepEqual(log.json.deliveries.map((d: { outcome: string; status: number }) => [d.outcome, d.status]), [['sent', 200], ['sent', 200]]);
    assert.deepEqual(new Set(log.json.deliveries.map((d: { userId: string | null }) => d.userId)), new Set([null, String(carolId)]));
    assert.equal((await call(base, 'GET', '/api/admin/webhooks?limit=x', { cookie: e.cookie })).json.error.code, 'PROSPER_E_WEB_PARAM');

    const removed = await post({ url: null });
    assert.deepEqual(removed.json, { url: null, secret: null, events: ['miner.offline', 'miner.online', 'payout.recorded'] });
    assert.equal((await call(base, 'GET', '/api/me/webhook', { cookie: c.cookie })).json.url, null);
  } finally {
    await web.close();
    await rx.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
