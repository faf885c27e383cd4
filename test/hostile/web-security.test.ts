/**
 * Security checks against the real PostgreSQL store (database `test`, a schema of our own):
 * SQL injection in every API parameter (refused or harmless; every table byte-identical after),
 * admin routes as a user, unauthorized Stratum submits through the real AuthService, and
 * invite-code races.
 */
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAuthService, LoginGuard, stratumAuthorizer, type AuthService } from '../../src/auth/index.js';
import { createSqlStore, openPostgres, type SqlDatabase, type Store } from '../../src/store/index.js';
import { ADMIN_ROUTES, createPayoutWebData, createStoreWebData } from '../../src/web/index.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { findShare, hex, prefixOf, startServer } from '../stratum/helpers/server.js';
import { call, FAST_SCRYPT, login, startTestServer, type CallResult, type TestServer } from '../web/helpers.js';
import { FA_ADDRESS, manualClock } from '../web/fixtures.js';
import { connectFrom, JOB_ID, OPR, waitFor } from './helpers.js';
import { checkAnswer, SQLI, type FuzzRequest, type Identity } from './web-fuzz-lib.js';

const clock = manualClock();
let db: SqlDatabase;
let store: Store;
let auth: AuthService;
let srv: TestServer;
let alice: Identity;
let admin: Identity;

before(async () => {
  db = await openPostgres({ host: '127.0.0.1', port: 5432, user: 'postgres', password: '', dbname: 'test', schema: `hostile_${process.pid}_${randomBytes(4).toString('hex')}` });
  store = await createSqlStore(db);
  // Limits far out of the way: these attacks are on the store; the login limits have their own
  // tests (test/stratum/authorize-guard.test.ts, test/web/login-limits.test.ts).
  auth = createAuthService({ store, now: clock.now, scryptCost: FAST_SCRYPT, guard: new LoginGuard({ maxFailures: 1000, hashesPerIp: 64 }, clock.now) });
  const live = new MemoryWebData({ now: clock.now, scryptCost: FAST_SCRYPT });
  srv = await startTestServer(
    {
      ...createStoreWebData({ store, auth, live, now: clock.now, scryptCost: FAST_SCRYPT }),
      payouts: createPayoutWebData(store, { scheme: 'pps', feeRateE8: 0n, pplnsFactorE4: 20_000n, ppsFeeE8: 0n, ppsWindow: 144, ppsFloor: 0n, minPayout: 100_000_000n }),
    },
    clock.now,
    { loginmaxfailures: 1000, loginwindow: 60 },
  );
  const [c1, c2] = await auth.createInviteCodes(2);
  assert.ok((await auth.authorizeMiner({ username: 'alice@example.com', minerId: 'rig1', password: 'alice-password', inviteCode: c1, payoutAddress: FA_ADDRESS })).ok);
  assert.ok((await auth.authorizeMiner({ username: 'root@example.com', minerId: '', password: 'root-password', inviteCode: c2, payoutAddress: FA_ADDRESS })).ok);
  await auth.makeAdmin('root@example.com');
  await auth.createInviteCodes(3); // unclaimed codes an injection might try to claim or delete
  alice = { name: 'user', ...(await login(srv.base, 'alice@example.com', 'alice-password')) };
  admin = { name: 'admin', ...(await login(srv.base, 'root@example.com', 'root-password')) };
});

after(async () => {
  srv?.close();
  await db?.exec(`DROP SCHEMA IF EXISTS ${db.schema} CASCADE`).catch(() => undefined);
  await db?.close();
});

/** Every table of our schema: row count and a digest of every row, in a stable order. */
async function dbDigest(): Promise<string> {
  const tables = await db.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [db.schema]);
  const out: string[] = [];
  for (const { table_name } of tables.rows) {
    const r = await db.query<{ n: string; digest: string | null }>(`SELECT count(*)::text AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM "${db.schema}"."${table_name}" t`);
    out.push(`${table_name}:${r.rows[0]!.n}:${r.rows[0]!.digest}`);
  }
  return out.join('\n');
}

/** The parameters each route reads, by where they come from. */
const PARAMS: Record<string, { query?: string[]; body?: string[] }> = {
  'GET /api/pool/blocks': { query: ['limit', 'offset', 'order', 'column'] },
  'GET /api/pool/rewards': { query: ['limit', 'offset', 'order', 'column'] },
  'GET /api/pool/submissions': { query: ['limit', 'offset', 'order', 'column', 'jobid'] },
  'GET /api/me/earnings': { query: ['limit', 'offset', 'order', 'column'] },
  'GET /api/admin/submissions': { query: ['limit', 'offset', 'order', 'column', 'jobid'] },
  'POST /api/login': { body: ['email', 'password'] },
  'POST /api/me/password': { body: ['current', 'next'] },
  'POST /api/me/payout-address': { body: ['address'] },
  'POST /api/me/payout-threshold': { body: ['minPayout'] },
  'POST /api/admin/invites': { body: ['count'] },
  'POST /api/v1': { body: ['rpc.method', 'rpc.id', 'rpc.limit', 'rpc.offset', 'rpc.order', 'rpc.column', 'rpc.jobid'] },
  'GET /api/session': {}, 'GET /api/me': {}, 'GET /api/me/miners': {}, 'GET /api/me/payouts': {}, 'GET /api/pool/stats': {}, 'GET /api/pool/sync': {},
  'GET /api/pool/history': { query: ['range'] }, 'GET /api/me/history': { query: ['range', 'worker'] }, 'POST /api/me/handle': { body: ['handle'] },
  'GET /api/miners': {}, 'GET /api/me/handle': {},
  'GET /api/admin/users': {}, 'GET /api/admin/invites': {}, 'GET /api/admin/miners': {}, 'GET /api/admin/bans': {}, 'GET /api/admin/payouts': {}, 'GET /api/admin/edges': {},
  'GET /api/admin/payout-scheme': {}, 'GET /api/me/payout-threshold': {},
};

function injected(route: string, where: 'query' | 'body', name: string, payload: string): FuzzRequest {
  const [method, path] = route.split(' ') as [string, string];
  if (where === 'query') return { method, path: `${path}?${new URLSearchParams({ [name]: payload })}`, headers: {} };
  let body: Record<string, unknown>;
  if (path === '/api/v1') {
    const key = name.slice(4);
    body = key === 'method' ? { jsonrpc: '2.0', method: payload, id: 1 } : key === 'id' ? { jsonrpc: '2.0', method: 'api.Rewards', id: payload } : { jsonrpc: '2.0', method: key === 'jobid' ? 'api.EntrySubmissions' : 'api.Rewards', params: { [key]: payload }, id: 1 };
  } else {
    // The other fields plausible, so the injected one is what reaches validation and the store.
    body = { email: 'alice@example.com', password: 'wrong-password', current: 'wrong-password', next: 'new-password-123', address: FA_ADDRESS, count: 1, [name]: payload };
  }
  return { method, path, raw: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } };
}

test('SQL injection in every API parameter, as visitor, user and admin: refused or harmless, every table unchanged', async () => {
  // Every route is covered by the table above.
  for (const r of ADMIN_ROUTES) assert.ok(r in PARAMS, r);
  const before = await dbDigest();
  const visitor: Identity = { name: 'visitor' };
  let sent = 0;
  for (const [route, where] of Object.entries(PARAMS)) {
    const targets: ['query' | 'body', string][] = [...(where.query ?? []).map((n) => ['query', n] as ['query', string]), ...(where.body ?? []).map((n) => ['body', n] as ['body', string])];
    // Routes without parameters still get injection in a made-up parameter.
    if (targets.length === 0) targets.push(['query', 'id']);
    for (const [kind, name] of targets) {
      for (const payload of SQLI) {
        for (const who of [visitor, alice, admin]) {
          const req = injected(route, kind, name, payload);
          const r: CallResult = await call(srv.base, req.method, req.path, { raw: req.raw, headers: req.headers, cookie: who.cookie, csrf: who.csrf });
          checkAnswer(req, who, r);
          // Echoing the refused value back is fine; anything else from the database is a leak.
          const scrubbed = r.text.split(JSON.stringify(payload).slice(1, -1)).join('').split(payload).join('');
          assert.doesNotMatch(scrubbed, /password_?hash|scrypt\$|syntax error|relation "|pg_sleep/i, `${route} ${name}=${payload} leaked: ${r.text.slice(0, 200)}`);
          // Injection never logs anyone in.
          if (route === 'POST /api/login') assert.equal(r.status, 401, `${name}=${payload}: ${r.text}`);
          sent += 1;
        }
      }
    }
  }
  assert.equal(await dbDigest(), before, 'no table changed');
  console.log(`# ${sent} injection requests over ${Object.keys(PARAMS).length} routes; every table unchanged`);
  // Everyone still logs in; nobody became admin.
  assert.equal((await login(srv.base, 'alice@example.com', 'alice-password')).csrf.length > 0, true);
  assert.deepEqual((await store.listUsers()).map((u) => `${u.email}:${u.role}`).sort(), ['alice@example.com:user', 'root@example.com:admin']);
});

test('admin routes as a user on the store-backed pool: 403 with any parameters; role fields in bodies are ignored', async () => {
  for (const route of ADMIN_ROUTES) {
    const [method, path] = route.split(' ') as [string, string];
    for (const q of ['', '?role=admin', '?limit=1&column=job_id', `?x=${encodeURIComponent(SQLI[0]!)}`]) {
      const r = await call(srv.base, method, path + q, { cookie: alice.cookie, csrf: alice.csrf, body: method === 'POST' ? { count: 1, role: 'admin' } : undefined });
      assert.equal(r.status, 403, `${route}${q}`);
      assert.equal(r.json.error.code, 'PROSPER_E_WEB_FORBIDDEN');
    }
  }
  // Forged and tampered cookies are not even users.
  for (const cookie of ['prosper_session=root@example.com', `${alice.cookie}x`, `${alice.cookie!.replace(/\.[^.]*$/, '.AAAA')}`]) {
    assert.equal((await call(srv.base, 'GET', '/api/admin/users', { cookie })).status, 401, cookie);
  }
  const before = (await auth.listInviteCodes()).length;
  const r = await call(srv.base, 'POST', '/api/me/payout-address', { cookie: alice.cookie, csrf: alice.csrf, body: { address: FA_ADDRESS, role: 'admin', id: '2', email: 'root@example.com' } });
  assert.equal(r.status, 200);
  assert.equal((await store.findUserByEmail('alice@example.com'))?.role, 'user');
  assert.equal((await store.findUserByEmail('root@example.com'))?.payoutAddress, FA_ADDRESS);
  assert.equal((await auth.listInviteCodes()).length, before);
});

test('Stratum through the real AuthService: unknown users, bad invites and injection usernames are refused and cannot submit', async () => {
  // As the engine adapts the AuthService.
  const authorizer = stratumAuthorizer(auth);
  const f = await startServer({ bans: { threshold: Number.MAX_SAFE_INTEGER } }, { authorizer });
  f.server.setJob({ jobId: JOB_ID, oprHash: OPR });
  const c = await connectFrom(f.port, '127.0.0.20');
  try {
    const before = await dbDigest();
    c.send('{"id":1,"method":"mining.subscribe","params":["m"]}\n');
    const nonce = Number((await c.json(0)).result[2].id);
    const reply = async (id: number) => {
      await waitFor(() => c.lines.some((l) => l.startsWith(`{"id":${id},`)), 120_000, `reply ${id}`);
      return JSON.parse(c.lines.find((l) => l.startsWith(`{"id":${id},`))!);
    };
    const share = findShare(OPR, prefixOf(nonce), 0x8000000000000000n);
    const submit = (id: number, user: string) => JSON.stringify({ id, method: 'mining.submit', params: [user, String(JOB_ID), hex(share.nonce), hex(OPR), share.target.toString(16)] }) + '\n';
    const attempts: string[][] = [
      ['eve@example.com,rig', 'eve-password', '', FA_ADDRESS], // no invite
      ['eve@example.com,rig', 'eve-password', 'not-a-code', FA_ADDRESS],
      ['eve@example.com,rig', 'eve-password', "' OR 1=1 --", FA_ADDRESS],
      ['alice@example.com,rig1', 'wrong-password', '', ''],
      ["alice@example.com' --,rig", 'x', '', ''],
      ["x'OR'1'='1@a.b,rig", "' OR ''='", "' OR ''='", FA_ADDRESS],
      ['eve@example.com,rig', 'eve-password', "x'; UPDATE invite_codes SET claimed_by=NULL; --", FA_ADDRESS],
    ];
    let id = 10;
    for (const params of attempts) {
      c.send(JSON.stringify({ id, method: 'mining.authorize', params }) + '\n');
      assert.equal((await reply(id)).error.code, 24, JSON.stringify(params));
      c.send(submit(id + 1, params[0]!.split(',')[0]!));
      assert.equal((await reply(id + 1)).error.code, 24);
      id += 2;
    }
    assert.equal(f.sink.shares.length, 0);
    assert.equal(await dbDigest(), before, 'refused authorizations change nothing');

    // An injection-shaped email that IS a valid address registers with a real invite, stored verbatim.
    const [code] = await auth.createInviteCodes(1);
    const odd = "o'brien;drop--@example.com";
    c.send(JSON.stringify({ id: 100, method: 'mining.authorize', params: [`${odd},rig`, 'obrien-password', code, FA_ADDRESS] }) + '\n');
    assert.equal((await reply(100)).result, true);
    c.send(submit(101, odd));
    assert.equal((await reply(101)).result, true);
    assert.equal(f.sink.shares.length, 1);
    assert.equal((await store.findUserByEmail(odd))?.email, odd);
    assert.equal((await store.listUsers()).length, 3);
  } finally {
    c.close();
    await f.close();
  }
});

test('invite-code races through the AuthService on PostgreSQL: one code, one account', async () => {
  const [code] = await auth.createInviteCodes(1);
  const usersBefore = (await store.listUsers()).length;
  const racers = Array.from({ length: 12 }, (_, i) => auth.authorizeMiner({ username: `racer${i}@example.com`, minerId: 'rig', password: `racer-password-${i}`, inviteCode: code, payoutAddress: FA_ADDRESS }));
  const results = await Promise.all(racers);
  const winners = results.filter((r) => r.ok);
  assert.equal(winners.length, 1, JSON.stringify(results, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
  for (const r of results) if (!r.ok) assert.equal(r.code, 'PROSPER_E_AUTH_INVITE');
  assert.equal((await store.listUsers()).length, usersBefore + 1);
  const claimed = (await auth.listInviteCodes()).find((i) => i.code === code)!;
  assert.equal(claimed.claimedBy === null, false);

  // One email racing with two codes: one account, one code claimed, the other still usable.
  const [a, b] = await auth.createInviteCodes(2);
  const twin = (c: string) => auth.authorizeMiner({ username: 'twin@example.com', minerId: 'rig', password: 'twin-password', inviteCode: c, payoutAddress: FA_ADDRESS });
  const [r1, r2] = await Promise.all([twin(a!), twin(b!)]);
  assert.ok(r1.ok && r2.ok, 'the loser logs in to the account the winner made');
  assert.equal(r1.userId, r2.userId);
  assert.equal((await store.listUsers()).filter((u) => u.email === 'twin@example.com').length, 1);
  const codes = (await auth.listInviteCodes()).filter((i) => i.code === a || i.code === b);
  assert.equal(codes.filter((i) => i.claimedBy !== null).length, 1);
});
