// Issue 16, web door: the failed-login limit holds against a parallel burst, and text with
// control characters or invalid UTF-8 is a coded 400 before it reaches the store.
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAuthService } from '../../src/auth/index.js';
import { createSqlStore, type Store } from '../../src/store/index.js';
import { createStoreWebData } from '../../src/web/index.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { disposeDb, openTestDb } from '../store/test-backends.js';
import type { SqlDatabase } from '../../src/store/index.js';
import { call, FAST_SCRYPT, login, startTestServer, type TestServer } from './helpers.js';
import { FA_ADDRESS, manualClock } from './fixtures.js';

/** A web server over the memory data with one user, and the clock it runs on. */
async function oneUserServer(email: string, password: string, overrides: Record<string, unknown>) {
  const clock = manualClock();
  const data = new MemoryWebData({ now: clock.now, scryptCost: FAST_SCRYPT });
  await data.addUser(email, password);
  return { clock, srv: await startTestServer(data, clock.now, overrides) };
}

describe('login limit under a parallel burst', () => {
  test('41 parallel logins from one IP (limit 5): at most 5 passwords are checked and the right one is refused', async () => {
    const { srv } = await oneUserServer('victim@example.com', 'the-right-password', { loginmaxfailures: 5, loginwindow: 900 });
    try {
      const bodies = Array.from({ length: 40 }, (_, i) => ({ email: 'victim@example.com', password: `guess-${i}` }));
      bodies.push({ email: 'victim@example.com', password: 'the-right-password' });
      const replies = await Promise.all(bodies.map((body) => call(srv.base, 'POST', '/api/login', { body })));
      const statuses = replies.map((r) => r.status);
      const checked = statuses.filter((s) => s === 401 || s === 200).length;
      assert.ok(checked <= 5, `passwords checked: ${checked} (statuses ${statuses.join(',')})`);
      // The rest were refused before hashing: over the failure limit (429), or over the per-IP hash bound (503).
      for (const r of replies.filter((x) => x.status !== 401 && x.status !== 200)) {
        assert.ok(r.status === 429 || r.status === 503, `${r.status} ${r.text}`);
        assert.equal(r.json.error.code, r.status === 429 ? 'PROSPER_E_AUTH_RATE_LIMIT' : 'PROSPER_E_AUTH_BUSY');
        if (r.status === 429) assert.ok(Number(r.headers.get('retry-after')) > 0);
      }
      // Guessing on, one at a time: the count the burst started is the same, 5 checks in all.
      let wrong = statuses.filter((s) => s === 401).length;
      for (let i = 0; ; i++) {
        const r = await call(srv.base, 'POST', '/api/login', { body: { email: 'victim@example.com', password: `more-${i}` } });
        if (r.status === 429) break;
        assert.equal(r.status, 401);
        wrong += 1;
      }
      assert.equal(wrong, 5);
      const right = await call(srv.base, 'POST', '/api/login', { body: { email: 'victim@example.com', password: 'the-right-password' } });
      assert.equal(right.status, 429, 'the account stays locked for the window, whatever is sent');
    } finally {
      srv.close();
    }
  });

  test('parallel logins with the right password are not failures: all succeed', async () => {
    const { srv } = await oneUserServer('busy@example.com', 'busy-password', { loginmaxfailures: 5, loginwindow: 900 });
    try {
      // Sequential batches of 4 (the default per-IP hash bound) all pass, far beyond the failure limit.
      for (let round = 0; round < 5; round++) {
        const replies = await Promise.all(Array.from({ length: 4 }, () => call(srv.base, 'POST', '/api/login', { body: { email: 'busy@example.com', password: 'busy-password' } })));
        assert.deepEqual(replies.map((r) => r.status), [200, 200, 200, 200]);
      }
    } finally {
      srv.close();
    }
  });
});

describe('password change', () => {
  test('a stolen session cannot guess the current password without limit: wrong ones count with the logins', async () => {
    const { clock, srv } = await oneUserServer('owner@example.com', 'owner-password', { loginmaxfailures: 3, loginwindow: 900 });
    try {
      const s = await login(srv.base, 'owner@example.com', 'owner-password');
      const change = (current: string) => call(srv.base, 'POST', '/api/me/password', { cookie: s.cookie, csrf: s.csrf, body: { current, next: 'a-new-password' } });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await change(`guess-${i}`)).status);
      assert.deepEqual(statuses, [403, 403, 403, 429, 429, 429]);
      const right = await change('owner-password');
      assert.equal(right.status, 429, 'held back like a login');
      assert.equal(right.json.error.code, 'PROSPER_E_AUTH_RATE_LIMIT');
      clock.advance(900_000);
      assert.equal((await change('owner-password')).status, 200);
    } finally {
      srv.close();
    }
  });
});

describe('control characters and invalid UTF-8 over the real store (PostgreSQL)', () => {
  let db: SqlDatabase;
  let store: Store;
  let srv: TestServer;
  const clock = manualClock();
  before(async () => {
    db = await openTestDb('postgres');
    store = await createSqlStore(db);
    const auth = createAuthService({ store, now: clock.now, scryptCost: FAST_SCRYPT });
    const [code] = await auth.createInviteCodes(1);
    const reg = await auth.authorizeMiner({ username: 'text@example.com', minerId: 'rig', password: 'text-password', inviteCode: code, payoutAddress: FA_ADDRESS });
    assert.ok(reg.ok);
    const live = new MemoryWebData({ now: clock.now, scryptCost: FAST_SCRYPT });
    srv = await startTestServer(createStoreWebData({ store, auth, live, now: clock.now, scryptCost: FAST_SCRYPT }), clock.now, { loginmaxfailures: 1000 });
  });
  after(async () => {
    srv.close();
    await disposeDb(db);
  });

  test('login: NUL, C0/C1 controls and lone surrogates in email or password are 400 PROSPER_E_AUTH_TEXT', async () => {
    const cases = [
      { email: 'text@example.com\u0000', password: 'text-password' },
      { email: 'text\u0007@example.com', password: 'text-password' },
      { email: 'text@example.com', password: 'text-\u0000password' },
      { email: 'text@example.com', password: 'text-password\u0085' },
      { email: 'text@example.com\ud800', password: 'text-password' },
      { email: 'text@example.com', password: '\u007fx' },
    ];
    for (const body of cases) {
      const r = await call(srv.base, 'POST', '/api/login', { body });
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.json.error.code, 'PROSPER_E_AUTH_TEXT', JSON.stringify(body));
    }
  });

  test('logged in: control characters in a payout address or a new password are 400 PROSPER_E_AUTH_TEXT', async () => {
    const s = await login(srv.base, 'text@example.com', 'text-password');
    const addr = await call(srv.base, 'POST', '/api/me/payout-address', { cookie: s.cookie, csrf: s.csrf, body: { address: `${FA_ADDRESS}\u0000` } });
    assert.equal(addr.status, 400, addr.text);
    assert.equal(addr.json.error.code, 'PROSPER_E_AUTH_TEXT');
    const pw = await call(srv.base, 'POST', '/api/me/password', { cookie: s.cookie, csrf: s.csrf, body: { current: 'text-password', next: 'new-pass\u0000word' } });
    assert.equal(pw.status, 400, pw.text);
    assert.equal(pw.json.error.code, 'PROSPER_E_AUTH_TEXT');
    const hashrate = await call(srv.base, 'GET', '/api/me/history?worker=rig%00', { cookie: s.cookie });
    assert.equal(hashrate.status, 400);
    // Nothing changed.
    assert.equal((await store.findUserByEmail('text@example.com'))?.payoutAddress, FA_ADDRESS);
    await login(srv.base, 'text@example.com', 'text-password');
  });

  test('invalid UTF-8 bytes in a request body on a raw socket are a coded 400, not a 500', async () => {
    const port = Number(new URL(srv.base).port);
    const body = Buffer.concat([Buffer.from('{"email":"text@example.com'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('","password":"text-password"}')]);
    const head = `POST /api/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    const text = await new Promise<string>((resolve, reject) => {
      const sock = connect({ host: '127.0.0.1', port }, () => sock.end(Buffer.concat([Buffer.from(head), body])));
      let out = '';
      sock.setEncoding('utf8');
      sock.on('data', (d: string) => (out += d));
      sock.on('close', () => resolve(out));
      sock.on('error', reject);
    });
    assert.match(text, /^HTTP\/1\.1 400 /, text);
    assert.match(text, /"code":"PROSPER_E_WEB_UTF8"/, text);
  });
});
