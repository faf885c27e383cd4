import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateHashrate } from '../../src/accounting/index.js';
import { ADMIN_ROUTES } from '../../src/web/index.js';
import { call, login, startTestServer, type TestServer } from './helpers.js';
import { FA_ADDRESS, manualClock, seededPool, T0 } from './fixtures.js';

const clock = manualClock();
let srv: TestServer;
let data: Awaited<ReturnType<typeof seededPool>>['data'];

before(async () => {
  ({ data } = await seededPool(clock.now));
  srv = await startTestServer(data, clock.now, { loginmaxfailures: 3, loginwindow: 60, sessionttl: 3600 });
});
after(() => srv.close());

describe('login and sessions', () => {
  test('a good login sets a signed HttpOnly, SameSite=Strict, Secure cookie and returns a CSRF token', async () => {
    const s = await login(srv.base, 'Alice@Example.com ', 'alice-password');
    assert.match(s.setCookie, /^prosper_session=[\w-]+\.[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=3600; Secure$/);
    assert.ok(s.csrf.length >= 32);
    const who = await call(srv.base, 'GET', '/api/session', { cookie: s.cookie });
    assert.equal(who.json.user.email, 'alice@example.com');
    assert.equal(who.json.csrf, s.csrf);
    const me = await call(srv.base, 'GET', '/api/me', { cookie: s.cookie });
    assert.equal(me.status, 200);
    assert.equal(me.json.balance.earned, String((210 * 211 / 2) * 1000));
    assert.equal(me.json.balance.owed, String((210 * 211 / 2) * 1000), 'nothing paid or pending: all earned is owed');
    assert.equal(me.json.hashrate.value, 6000, 'the account hashrate is the latest figure');
    // Alice's rig1 has an authorized session open: connected, with its last share.
    const miners = await call(srv.base, 'GET', '/api/me/miners', { cookie: s.cookie });
    assert.equal(miners.json.miners.length, 1);
    assert.equal(miners.json.miners[0].connected, true);
    assert.equal(miners.json.miners[0].hashrate.value, 6000);
    assert.equal(miners.json.miners[0].lastShareAt, new Date(T0 - 11_000).toISOString());
  });

  test('wrong password and unknown email look alike (401)', async () => {
    const a = await call(srv.base, 'POST', '/api/login', { body: { email: 'bob@example.com', password: 'nope' } });
    const b = await call(srv.base, 'POST', '/api/login', { body: { email: 'nobody@example.com', password: 'nope' } });
    assert.equal(a.status, 401);
    assert.deepEqual(a.json, b.json);
    assert.equal(a.headers.get('set-cookie'), null);
    const missing = await call(srv.base, 'POST', '/api/login', { body: { email: 'bob@example.com' } });
    assert.equal(missing.status, 400);
    const wrongType = await call(srv.base, 'POST', '/api/login', { body: { email: ['x'], password: 1 } });
    assert.equal(wrongType.json.error.code, 'PROSPER_E_WEB_PARAM');
  });

  test('forged, tampered and expired cookies are not sessions', async () => {
    const s = await login(srv.base, 'bob@example.com', 'bob-password');
    const [name, value] = s.cookie.split('=');
    const [id, sig] = value.split('.');
    for (const bad of [`${name}=${id}.${sig.slice(0, -2)}AA`, `${name}=${id}x.${sig}`, `${name}=${id}`, `${name}=`, `${name}=${'a'.repeat(300)}`]) {
      const r = await call(srv.base, 'GET', '/api/me', { cookie: bad });
      assert.equal(r.status, 401, bad);
      assert.equal(r.json.error.code, 'PROSPER_E_WEB_AUTH');
    }
    clock.advance(3601_000);
    const expired = await call(srv.base, 'GET', '/api/me', { cookie: s.cookie });
    assert.equal(expired.status, 401);
  });

  test('login is rate limited per email and per IP, and the limit expires', async () => {
    const email = 'bob@example.com';
    for (let i = 0; i < 3; i++) {
      const r = await call(srv.base, 'POST', '/api/login', { body: { email, password: `guess-${i}` } });
      assert.equal(r.status, 401);
    }
    const limited = await call(srv.base, 'POST', '/api/login', { body: { email, password: 'bob-password' } });
    assert.equal(limited.status, 429, 'even the right password is refused while limited');
    assert.equal(limited.json.error.code, 'PROSPER_E_AUTH_RATE_LIMIT');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    // The IP made 3+ failures too, so another account from it is also held back.
    const other = await call(srv.base, 'POST', '/api/login', { body: { email: 'alice@example.com', password: 'alice-password' } });
    assert.equal(other.status, 429);
    assert.match(await (await fetch(`${srv.base}/metrics`)).text(), /prosper_web_login_failures_total [1-9]/);
    clock.advance(61_000);
    const ok = await call(srv.base, 'POST', '/api/login', { body: { email, password: 'bob-password' } });
    assert.equal(ok.status, 200);
  });

  test('logout needs the CSRF token and ends the session', async () => {
    const s = await login(srv.base, 'alice@example.com', 'alice-password');
    const noToken = await call(srv.base, 'POST', '/api/logout', { cookie: s.cookie, body: {} });
    assert.equal(noToken.status, 403);
    assert.equal(noToken.json.error.code, 'PROSPER_E_WEB_CSRF');
    const out = await call(srv.base, 'POST', '/api/logout', { cookie: s.cookie, csrf: s.csrf, body: {} });
    assert.equal(out.status, 200);
    assert.match(out.headers.get('set-cookie') ?? '', /Max-Age=0/);
    assert.equal((await call(srv.base, 'GET', '/api/me', { cookie: s.cookie })).status, 401);
  });
});

describe('state-changing requests', () => {
  test('CSRF: missing or wrong token, or a foreign Origin, is 403', async () => {
    const s = await login(srv.base, 'alice@example.com', 'alice-password');
    const other = await login(srv.base, 'bob@example.com', 'bob-password');
    const body = { address: FA_ADDRESS };
    const cases = [
      { cookie: s.cookie, body },
      { cookie: s.cookie, csrf: 'x'.repeat(s.csrf.length), body },
      { cookie: s.cookie, csrf: other.csrf, body },
      { cookie: s.cookie, csrf: s.csrf, body, headers: { Origin: 'https://evil.example' } },
    ];
    for (const c of cases) {
      const r = await call(srv.base, 'POST', '/api/me/payout-address', c);
      assert.equal(r.status, 403);
      assert.match(r.json.error.code, /PROSPER_E_WEB_(CSRF|ORIGIN)/);
    }
    const me = await call(srv.base, 'GET', '/api/me', { cookie: s.cookie });
    assert.equal(me.json.user.payoutAddress, '', 'nothing changed');
    const login2 = await call(srv.base, 'POST', '/api/login', { body: { email: 'a@b.c', password: 'x' }, headers: { Origin: 'http://evil.example' } });
    assert.equal(login2.status, 403, 'login CSRF is refused too');
  });

  test('payout address: a valid FA address is saved, anything else is a coded 400', async () => {
    const s = await login(srv.base, 'alice@example.com', 'alice-password');
    for (const address of ['not-an-address', 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1R', "'; UPDATE users SET role='admin' --"]) {
      const r = await call(srv.base, 'POST', '/api/me/payout-address', { cookie: s.cookie, csrf: s.csrf, body: { address } });
      assert.equal(r.status, 400, address);
      assert.equal(r.json.error.code, 'PROSPER_E_AUTH_ADDRESS');
    }
    const ok = await call(srv.base, 'POST', '/api/me/payout-address', { cookie: s.cookie, csrf: s.csrf, body: { address: FA_ADDRESS } });
    assert.equal(ok.status, 200);
    const me = await call(srv.base, 'GET', '/api/me', { cookie: s.cookie });
    assert.equal(me.json.user.payoutAddress, FA_ADDRESS);
    assert.equal(me.json.user.role, 'user');
  });

  test('change password: needs the current one, ends other sessions, new one works', async () => {
    const a = await login(srv.base, 'bob@example.com', 'bob-password');
    const b = await login(srv.base, 'bob@example.com', 'bob-password');
    const wrong = await call(srv.base, 'POST', '/api/me/password', { cookie: a.cookie, csrf: a.csrf, body: { current: 'nope', next: 'new-bob-password' } });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.json.error.code, 'PROSPER_E_WEB_PASSWORD');
    const short = await call(srv.base, 'POST', '/api/me/password', { cookie: a.cookie, csrf: a.csrf, body: { current: 'bob-password', next: 'short' } });
    assert.equal(short.status, 400);
    const ok = await call(srv.base, 'POST', '/api/me/password', { cookie: a.cookie, csrf: a.csrf, body: { current: 'bob-password', next: 'new-bob-password' } });
    assert.equal(ok.status, 200);
    assert.equal((await call(srv.base, 'GET', '/api/me', { cookie: a.cookie })).status, 200, 'this session stays');
    assert.equal((await call(srv.base, 'GET', '/api/me', { cookie: b.cookie })).status, 401, 'the other session ended');
    assert.equal((await call(srv.base, 'POST', '/api/login', { body: { email: 'bob@example.com', password: 'bob-password' } })).status, 401);
    await login(srv.base, 'bob@example.com', 'new-bob-password');
  });
});

describe('admin', () => {
  async function adminCall(route: string, auth: { cookie?: string; csrf?: string }) {
    const [method, path] = route.split(' ');
    return call(srv.base, method, path, { ...auth, body: method === 'POST' ? { count: 1 } : undefined });
  }

  test('every admin route: 401 for visitors, 403 for users (even with a CSRF token)', async () => {
    const user = await login(srv.base, 'alice@example.com', 'alice-password');
    for (const route of ADMIN_ROUTES) {
      const anon = await adminCall(route, {});
      assert.equal(anon.status, 401, route);
      const r = await adminCall(route, user);
      assert.equal(r.status, 403, route);
      assert.equal(r.json.error.code, 'PROSPER_E_WEB_FORBIDDEN', route);
    }
    // The admin page: the login page for a visitor, 403 for a user.
    assert.match((await call(srv.base, 'GET', '/admin')).text, /id="login-form"/);
    assert.equal((await call(srv.base, 'GET', '/admin', user)).status, 403);
  });

  test('admins see miners, users, invites, bans, submissions, payouts and can create invites', async () => {
    const adm = await login(srv.base, 'admin@example.com', 'admin-password');
    const miners = await call(srv.base, 'GET', '/api/admin/miners', adm);
    assert.equal(miners.json.total, 1);
    const { hashrate: sessionRate, ...session } = miners.json.miners[0];
    assert.deepEqual(session, { sessionId: 's1', email: 'alice@example.com', miner: 'rig1', agent: 'prosper-miner/0.1', ip: '10.0.0.7', authorized: true, subscribed: true, target: 'fffff00000000000', nonce: 7 });
    // A session's hashrate is its miner's figure, as the miner's owner sees it.
    const aliceSession = await login(srv.base, 'alice@example.com', 'alice-password');
    const own = (await call(srv.base, 'GET', '/api/me/miners', { cookie: aliceSession.cookie })).json.miners.find((m: { name: string }) => m.name === 'rig1');
    assert.deepEqual(sessionRate, own.hashrate);
    const users = await call(srv.base, 'GET', '/api/admin/users', adm);
    assert.deepEqual(users.json.users.map((u: any) => u.role), ['user', 'user', 'admin']);
    assert.equal(users.json.users[0].passwordHash, undefined, 'hashes never leave');
    const bans = await call(srv.base, 'GET', '/api/admin/bans', adm);
    assert.equal(bans.json.bans[0].ip, '10.9.9.9');
    // A standalone pool has no edges; a coordinator lists each edge's latest report.
    const none = await call(srv.base, 'GET', '/api/admin/edges', adm);
    assert.deepEqual(none.json, { total: 0, sessions: 0, edges: [] });
    const edge = (edgeId: string, sessions: number, stale: boolean) => ({
      edgeId, sessions, sharesPerSecond: 12.5, hashrate: estimateHashrate({ credit: 900n * 65_536n, shares: 900 }, 600), lastJobId: 1002, spooled: 0, validationPending: 3, accepted: 900, rejected: 4, lastSeen: new Date(T0), stale,
    });
    data.setEdgeSource(() => [edge('eu1', 4000, false), edge('us1', 2500, true)]);
    const edges = await call(srv.base, 'GET', '/api/admin/edges', adm);
    assert.equal(edges.json.total, 2);
    assert.equal(edges.json.sessions, 6500);
    assert.deepEqual(edges.json.edges[1], { ...edge('us1', 2500, true), lastSeen: new Date(T0).toISOString() });
    // The pool's miners are on the edges: the public count and the admin lists include them.
    assert.equal((await call(srv.base, 'GET', '/api/pool/stats')).json.connectedMiners, 1 + 4000, 'the local session and the live edge, not the silent one');
    data.setRemoteLive(async () => ({
      miners: [
        { sessionId: 'eu1/s9', email: 'carol@example.com', miner: 'big', agent: 'prosper-miner/1.0', ip: '10.1.1.1', authorized: true, subscribed: true, target: 0xffff000000000000n, nonce: 9 },
        { sessionId: 'eu1/s10', email: 'Alice@Example.com', miner: 'edge-rig', agent: 'prosper-miner/1.0', ip: '10.1.1.2', authorized: true, subscribed: true, target: 0xffff000000000000n, nonce: 10 },
      ],
      bans: [{ ip: '10.7.7.7', reason: 'ban score on edge eu1', until: new Date(T0 + 3_600_000) }],
    }));
    const all = await call(srv.base, 'GET', '/api/admin/miners', adm);
    assert.deepEqual(all.json.miners.map((m: any) => m.sessionId), ['s1', 'eu1/s9', 'eu1/s10']);
    // Scale-out: a miner whose session is on an edge shows connected to its user (known there by email).
    const alice = await login(srv.base, 'alice@example.com', 'alice-password');
    const aliceMiners = (await call(srv.base, 'GET', '/api/me/miners', { cookie: alice.cookie })).json.miners;
    assert.deepEqual(aliceMiners.map((m: any) => [m.name, m.connected]), [['edge-rig', true], ['rig1', true]]);
    assert.equal(all.json.miners[1].target, 'ffff000000000000');
    const allBans = await call(srv.base, 'GET', '/api/admin/bans', adm);
    assert.deepEqual(allBans.json.bans.map((b: any) => b.ip), ['10.9.9.9', '10.7.7.7']);
    data.setRemoteLive(async () => ({ miners: [], bans: [] }));
    data.setEdgeSource(() => []);
    const subs = await call(srv.base, 'GET', '/api/admin/submissions?jobid=1002', adm);
    assert.equal(subs.json.total, 1);
    const noCsrf = await call(srv.base, 'POST', '/api/admin/invites', { cookie: adm.cookie, body: { count: 2 } });
    assert.equal(noCsrf.status, 403);
    const made = await call(srv.base, 'POST', '/api/admin/invites', { ...adm, body: { count: 2 } });
    assert.equal(made.status, 200);
    assert.equal(made.json.codes.length, 2);
    const invites = await call(srv.base, 'GET', '/api/admin/invites', adm);
    assert.deepEqual(invites.json.invites.map((i: any) => i.code), made.json.codes);
    const tooMany = await call(srv.base, 'POST', '/api/admin/invites', { ...adm, body: { count: 'lots' } });
    assert.equal(tooMany.status, 400);
    const page = await call(srv.base, 'GET', '/admin', adm);
    assert.equal(page.status, 200);
    assert.match(page.text, /<title>Admin - Prosper pool<\/title>/);
  });
});
