import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hashratesFromWork, HistoryRecorder } from '../../src/accounting/index.js';
import { createAuthService } from '../../src/auth/index.js';
import { silentLogger } from '../../src/log.js';
import { createSqlStore, type SqlDatabase, type Store } from '../../src/store/index.js';
import { createStoreWebData } from '../../src/web/index.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { BACKENDS, closeSharedPglite, disposeDb, openTestDb, reopenTestDb as reopen } from '../store/test-backends.js';
import { call, FAST_SCRYPT, login, startTestServer, type TestServer } from './helpers.js';
import { FA_ADDRESS, manualClock, T0 } from './fixtures.js';

after(closeSharedPglite);

const MINUTE = 60_000;

async function webOver(store: Store, now: () => number): Promise<TestServer> {
  const auth = createAuthService({ store, now, scryptCost: FAST_SCRYPT });
  const live = new MemoryWebData({ now, scryptCost: FAST_SCRYPT });
  return startTestServer(createStoreWebData({ store, auth, live, now, scryptCost: FAST_SCRYPT }), now);
}

/** A fresh schema with its store and auth; the servers started through `serve` and the schema go at the end. */
async function withStore(backend: (typeof BACKENDS)[number], fn: (t: { db: SqlDatabase; store: Store; auth: ReturnType<typeof createAuthService>; clock: ReturnType<typeof manualClock>; serve: (s: Store) => Promise<TestServer> }) => Promise<void>): Promise<void> {
  const clock = manualClock(T0);
  const db = await openTestDb(backend);
  const servers: TestServer[] = [];
  try {
    const store = await createSqlStore(db);
    const auth = createAuthService({ store, now: clock.now, scryptCost: FAST_SCRYPT });
    await fn({ db, store, auth, clock, serve: async (s) => { const srv = await webOver(s, clock.now); servers.push(srv); return srv; } });
  } finally {
    for (const srv of servers) srv.close();
    await disposeDb(await reopen(db)).catch(() => undefined);
  }
}

for (const backend of BACKENDS) {
  describe(`hashrate history and public handles (${backend})`, () => {
    test('samples kept every interval survive a restart; the history APIs read them by range; bad input is coded', () => withStore(backend, async ({ db, store, auth, clock, serve }) => {
        const [code] = await auth.createInviteCodes(1);
        const carol = await auth.authorizeMiner({ username: 'carol@example.com', minerId: 'rig1', password: 'carol-password', inviteCode: code, payoutAddress: FA_ADDRESS });
        assert.ok(carol.ok);
        const recorder = new HistoryRecorder({ store, everyMs: MINUTE, retentionMs: 30 * 86400_000, logger: silentLogger() });
        // Ten minutes of shares from two rigs, the figures taken every 20 s: one sample kept a minute.
        const shown: number[] = [];
        for (let i = 0; i < 30; i++) {
          const at = T0 + i * 20_000;
          await store.creditShares(`b${i}`, [
            { jobId: 1, userId: carol.userId, miner: 'rig1', target: 0xffff000000000000n, credit: 65_536n, receivedAt: new Date(at - 5000) },
            { jobId: 1, userId: carol.userId, miner: 'rig2', target: 0xffff000000000000n, credit: 65_536n * BigInt(1 + (i % 3)), receivedAt: new Date(at - 4000) },
          ]);
          const rates = hashratesFromWork(await store.workSince(new Date(at - 600_000), new Date(at)), 600, at);
          if (i % 3 === 0) shown.push(rates.pool.value);
          await recorder.onSample(rates);
        }
        const lastAt = T0 + 29 * 20_000;
        await store.close();

        // The pool restarts: a new connection, a new store, a new web server.
        clock.advance(30 * 20_000);
        const store2 = await createSqlStore(await reopen(db));
        const srv = await serve(store2);
        const pool = await call(srv.base, 'GET', '/api/pool/history?range=1h');
        assert.equal(pool.status, 200);
        assert.equal(pool.json.range, '1h');
        assert.equal(pool.json.stepSeconds, 60);
        assert.deepEqual(pool.json.points.map((p: { hashrate: number }) => p.hashrate), shown, 'one point a minute, each the figure the pool showed');
        const last = pool.json.points.at(-1);
        assert.equal(last.workers, 2);
        assert.ok(last.low < last.hashrate && last.hashrate < last.high, 'the band around the value');
        assert.equal(last.t, T0 + 27 * 20_000);
        assert.ok(last.t <= lastAt);

        // 24h: one point per 5 minutes (the newest sample in each step).
        const day = await call(srv.base, 'GET', '/api/pool/history?range=24h');
        assert.equal(day.json.stepSeconds, 300);
        assert.ok(day.json.points.length >= 2 && day.json.points.length <= 3);

        // A public handle opens the miner's history; rig2's own series is there too.
        await store2.setPublicHandle(carol.userId, 'Carol_1');
        const mine = await call(srv.base, 'GET', '/api/miner/carol_1/history?range=1h');
        assert.equal(mine.status, 200);
        assert.equal(mine.json.handle, 'Carol_1');
        assert.deepEqual(mine.json.points.map((p: { hashrate: number }) => p.hashrate), shown, 'one user: the user total is the pool');
        const rig2 = await call(srv.base, 'GET', '/api/miner/Carol_1/history?range=1h&worker=rig2');
        assert.equal(rig2.json.points.length, shown.length);
        assert.ok(rig2.json.points.every((p: { workers: number }) => p.workers === 1));

        // Bad input: coded errors, never a 500.
        for (const [path, status, code] of [
          ['/api/pool/history?range=2h', 400, 'PROSPER_E_WEB_RANGE'],
          ['/api/pool/history?range=1h%00', 400, 'PROSPER_E_WEB_RANGE'],
          ['/api/pool/history?range=__proto__', 400, 'PROSPER_E_WEB_RANGE'],
          ['/api/pool/history?range=%FF%FE', 400, 'PROSPER_E_WEB_RANGE'],
          ['/api/miner/nobody-here/history', 404, 'PROSPER_E_WEB_NOT_FOUND'],
          ['/api/miner/a%01b/history', 400, 'PROSPER_E_WEB_HANDLE'],
          ['/api/miner/carol%40example.com/history', 400, 'PROSPER_E_WEB_HANDLE'],
          ['/api/miner/Carol_1/history?worker=%0A', 400, 'PROSPER_E_WEB_PARAM'],
          ['/api/miner/Carol_1/history/extra', 404, 'PROSPER_E_WEB_NOT_FOUND'],
        ] as const) {
          const r = await call(srv.base, 'GET', path);
          assert.equal(r.status, status, path);
          assert.equal(r.json.error.code, code, path);
        }
        assert.equal((await call(srv.base, 'POST', '/api/miner/Carol_1/history')).json.error.code, 'PROSPER_E_WEB_METHOD');

        // Retention: a sample older than the retention is pruned at the next prune.
        const pruned = await store2.pruneHistory(new Date(T0 + 10 * MINUTE));
        assert.ok(pruned > 0);
        assert.equal((await call(srv.base, 'GET', '/api/pool/history?range=1h')).json.points.length, 0);
        await store2.close();
    }));

    test('a public handle: set and cleared in account settings, validated, unique (any case) under a concurrent burst', () => withStore(backend, async ({ store, auth, serve }) => {
        const codes = await auth.createInviteCodes(8);
        const ids: bigint[] = [];
        for (let i = 0; i < 8; i++) {
          const r = await auth.authorizeMiner({ username: `u${i}@example.com`, minerId: 'rig', password: 'password-123', inviteCode: codes[i], payoutAddress: FA_ADDRESS });
          assert.ok(r.ok);
          ids.push(r.userId);
        }
        const srv = await serve(store);
        const u0 = await login(srv.base, 'u0@example.com', 'password-123');
        const set = (handle: unknown, who = u0) => call(srv.base, 'POST', '/api/me/handle', { body: { handle }, cookie: who.cookie, csrf: who.csrf });
        assert.deepEqual((await call(srv.base, 'GET', '/api/me/handle', { cookie: u0.cookie })).json, { handle: null });

        for (const bad of ['ab', 'x'.repeat(33), 'a\u0000bc', 'tab\there', 'u0@example.com', '-lead', 'émile', 'a b c', 42, '']) {
          const r = await set(bad);
          assert.equal(r.status, 400, JSON.stringify(bad));
          assert.equal(r.json.error.code, 'PROSPER_E_WEB_HANDLE', JSON.stringify(bad));
        }
        const utf8 = await call(srv.base, 'POST', '/api/me/handle', { raw: '{"handle":"\xff\xfe"}', cookie: u0.cookie, csrf: u0.csrf, headers: { 'Content-Type': 'application/json' } });
        assert.equal(utf8.status, 400);
        const raw = await fetch(srv.base + '/api/me/handle', {
          method: 'POST', body: Buffer.from([0x7b, 0x22, 0x68, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
          headers: { 'Content-Type': 'application/json', Cookie: u0.cookie, 'X-CSRF-Token': u0.csrf },
        });
        assert.equal(raw.status, 400);
        assert.equal(((await raw.json()) as { error: { code: string } }).error.code, 'PROSPER_E_WEB_UTF8');
        assert.equal((await call(srv.base, 'POST', '/api/me/handle', { body: { handle: 'nocsrf' }, cookie: u0.cookie })).status, 403);
        assert.equal((await call(srv.base, 'POST', '/api/me/handle', { body: { handle: 'nologin' } })).status, 401);

        assert.deepEqual((await set('Miner.One')).json, { ok: true, handle: 'Miner.One' });
        assert.deepEqual((await call(srv.base, 'GET', '/api/me/handle', { cookie: u0.cookie })).json, { handle: 'Miner.One' });
        const u1 = await login(srv.base, 'u1@example.com', 'password-123');
        const taken = await set('miner.one', u1);
        assert.equal(taken.status, 409);
        assert.equal(taken.json.error.code, 'PROSPER_E_WEB_HANDLE_TAKEN');

        // Seven users ask for one handle at once: exactly one gets it.
        const outcomes = await Promise.all(ids.slice(1).map((id) => store.setPublicHandle(id, 'Rush')));
        assert.equal(outcomes.filter((o) => o === 'set').length, 1);
        assert.equal(outcomes.filter((o) => o === 'taken').length, 6);

        // The leaderboard and the miner page show handles, never an email.
        const board = await call(srv.base, 'GET', '/api/miners');
        assert.deepEqual(board.json.miners.map((m: { handle: string }) => m.handle).sort(), ['Miner.One', 'Rush']);
        const page = await call(srv.base, 'GET', '/api/miner/miner.one');
        assert.equal(page.status, 200);
        assert.equal(page.json.handle, 'Miner.One');
        assert.ok(!page.text.includes('@example.com'), 'no email on a public page');

        // Cleared: the handle is free again and the page is gone.
        assert.deepEqual((await set(null)).json, { ok: true, handle: null });
        assert.equal((await call(srv.base, 'GET', '/api/miner/Miner.One')).status, 404);
        assert.equal((await set('Miner.One', u1)).status, 200);
        await store.close();
    }));
  });
}
