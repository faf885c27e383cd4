/**
 * Fuzzes every web route of a real uWebSockets.js server over the in-memory pool data:
 * random hostile query parameters and bodies as a visitor, a user and an admin. Nothing may
 * answer 500, admin routes refuse users whatever they send, and the data is unchanged.
 * Seeded: PROSPER_FUZZ_SEED=<n> replays a run.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MemoryWebData } from '../helpers/memory-web-data.js';
import { call, login, startTestServer, type TestServer } from '../web/helpers.js';
import { manualClock, seededPool } from '../web/fixtures.js';
import { fuzzSeed, seededRandom } from './helpers.js';
import { fuzzRoutes, HOSTILE, HOSTILE_JSON, ROUTES, type Identity } from './web-fuzz-lib.js';

const clock = manualClock();
let srv: TestServer;
let data: MemoryWebData;

before(async () => {
  ({ data } = await seededPool(clock.now));
  srv = await startTestServer(data, clock.now, { loginmaxfailures: 1000, loginwindow: 60 });
});
after(() => srv.close());

/** What hostile requests must not change (invite codes are left to the admin fuzz below). */
async function snapshot() {
  const users = (await data.admin.users()).map((u) => `${u.id}:${u.email}:${u.role}:${u.payoutAddress}`);
  const page = { limit: 200, offset: 0, order: 'asc' as const };
  const rewards = await data.pool.rewards({ ...page, column: 'job_id' });
  const subs = await data.pool.submissions({ ...page, column: 'job_id' }, 0);
  const blocks = await data.pool.blocks({ ...page, column: 'height' });
  return JSON.stringify({ users, rewards: rewards.total, subs: subs.total, blocks: blocks.total }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

test('random hostile parameters and bodies on every route, as visitor, user and admin: coded answers, no 500, data unchanged', async () => {
  const seed = fuzzSeed(0xf00d);
  const rand = seededRandom(seed);
  const user = await login(srv.base, 'alice@example.com', 'alice-password');
  const admin = await login(srv.base, 'admin@example.com', 'admin-password');
  const ids: Identity[] = [{ name: 'visitor' }, { name: 'user', ...user }, { name: 'admin', ...admin }];
  const before = await snapshot();
  const invitesBefore = (await data.admin.inviteCodes()).length;
  const started = Date.now();
  const sent = await fuzzRoutes(srv.base, rand, () => ids, 12, HOSTILE, HOSTILE_JSON);
  console.log(`# web fuzz seed ${seed}: ${sent} requests over ${ROUTES.length} routes in ${Date.now() - started} ms`);
  assert.equal(await snapshot(), before);
  // Only the admin can have made invite codes, at most 100 per request.
  const made = (await data.admin.inviteCodes()).length - invitesBefore;
  assert.ok(made >= 0 && made <= 100 * 12 * 1, `invites made: ${made}`);
  // The sessions survived the run and the server still answers normally.
  assert.equal((await call(srv.base, 'GET', '/api/me', { cookie: user.cookie })).json.user.email, 'alice@example.com');
  assert.equal((await call(srv.base, 'GET', '/api/pool/blocks?limit=3')).json.data.length, 3);
});

test('prototype keys as sort columns (REST and JSON-RPC, including legacy aliases) are refused, not internal errors', async () => {
  for (const col of ['__proto__', 'constructor', 'hasownproperty', 'tostring', 'valueof']) {
    for (const path of ['/api/pool/blocks', '/api/pool/rewards', '/api/pool/submissions']) {
      const r = await call(srv.base, 'GET', `${path}?column=${col}`);
      assert.equal(r.status, 400, `${path} ${col}`);
      assert.equal(r.json.error.code, 'PROSPER_E_WEB_COLUMN');
    }
    for (const method of ['api.Rewards', 'api.EntrySubmissions']) {
      const r = await call(srv.base, 'POST', '/api/v1', { body: { jsonrpc: '2.0', method, params: { column: col }, id: 1 } });
      assert.equal(r.json.error.code, -32000, `${method} ${col}: ${r.text}`);
      assert.equal(r.json.error.data.code, 'PROSPER_E_WEB_COLUMN', `${method} ${col}: ${r.text}`);
    }
  }
});

test('web sign-up bypass: no path, method or body creates a user or a session without an invite', async () => {
  const usersBefore = (await data.admin.users()).length;
  const body = { email: 'eve@example.com', login: 'eve@example.com', password: 'eve-password-1', inviteCode: 'x', invite: 'x', role: 'admin', payoutAddress: '' };
  const paths = ['/api/register', '/api/signup', '/api/users', '/api/user', '/api/me', '/api/session', '/api/login', '/api/admin/users', '/api/admin/invites',
    '/auth/register', '/auth/password/register', '/api/v1', '/register', '/signup', '/api/me/password', '/api/me/payout-address', '/api/login/../register', '/API/REGISTER'];
  const user = await login(srv.base, 'alice@example.com', 'alice-password');
  for (const path of paths) {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'GET']) {
      for (const who of [{}, user]) {
        const r = await call(srv.base, method, path, method === 'GET' ? { ...who } : { ...who, body });
        assert.ok(r.status !== 500, `${method} ${path} -> ${r.status}`);
        if (path === '/api/session' && method === 'GET') continue;
        if (path === '/api/admin/users' && method === 'GET' && r.status === 403) continue;
        // Nothing but the user's own data and login may answer 200; none of it makes eve.
        if (r.status === 200) assert.ok(['/api/me', '/api/v1'].includes(path) && r.json.user?.email !== 'eve@example.com', `${method} ${path} -> ${r.text.slice(0, 200)}`);
      }
    }
  }
  // JSON-RPC has no registration method either.
  for (const method of ['api.Register', 'api.SignUp', 'auth.Register', 'api.CreateUser']) {
    const r = await call(srv.base, 'POST', '/api/v1', { body: { jsonrpc: '2.0', method, params: body, id: 1 } });
    assert.equal(r.json.error.code, -32601);
  }
  assert.equal((await data.admin.users()).length, usersBefore);
  assert.equal((await call(srv.base, 'POST', '/api/login', { body: { email: 'eve@example.com', password: 'eve-password-1' } })).status, 401);
  // A prototype-polluting login body does not make alice an admin.
  const polluted = await call(srv.base, 'POST', '/api/login', { raw: '{"email":"alice@example.com","password":"alice-password","__proto__":{"role":"admin"},"role":"admin"}', headers: { 'Content-Type': 'application/json' } });
  assert.equal(polluted.json.user.role, 'user');
  assert.equal((await call(srv.base, 'GET', '/api/admin/users', { cookie: polluted.headers.get('set-cookie')!.split(';')[0] })).status, 403);
});
