import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isProsperError } from '../../src/errors.js';
import { silentLogger } from '../../src/log.js';
import { parseWebConfig, startPoolWeb, REWARD_COLUMNS } from '../../src/web/index.js';
import { toRestJson, toRpcJson } from '../../src/web/json.js';
import { SessionStore } from '../../src/web/sessions.js';
import { parsePageQuery } from '../../src/web/validate.js';
import { TEST_SECRET } from './helpers.js';
import { manualClock } from './fixtures.js';

describe('config', () => {
  test('defaults, and the secret may come from PROSPER_WEB_SECRET', () => {
    const c = parseWebConfig({}, { PROSPER_WEB_SECRET: TEST_SECRET });
    assert.equal(c.port, 7070);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.secureCookies, true);
    assert.equal(c.sessionSecret, TEST_SECRET);
    assert.equal(parseWebConfig({ port: '8080', sessionsecret: TEST_SECRET }, {}).port, 8080);
  });
  const bad: Record<string, unknown>[] = [
    {},
    { sessionsecret: 'short' },
    { sessionsecret: TEST_SECRET, port: 70000 },
    { sessionsecret: TEST_SECRET, port: 'http' },
    { sessionsecret: TEST_SECRET, securecookies: 'yes' },
    { sessionsecret: TEST_SECRET, loginmaxfailures: 0 },
    { sessionsecret: 42 },
  ];
  for (const section of bad) {
    test(`refuses ${JSON.stringify(section).slice(0, 60)}`, () => {
      assert.throws(() => parseWebConfig(section, {}), (e) => isProsperError(e, 'PROSPER_E_WEB_CONFIG'));
    });
  }
  test('[web] port 0 means no web server', async () => {
    const r = await startPoolWeb({ section: { port: 0, sessionsecret: TEST_SECRET }, secretDir: '/nonexistent', store: {} as never, auth: {} as never, log: silentLogger(), env: {} });
    assert.equal(r, null);
  });
});

describe('page queries', () => {
  test('only allow-listed columns come out, whatever comes in', () => {
    const q = parsePageQuery({ limit: '10', offset: 3, order: 'AsC', column: 'POOL_FEE' }, REWARD_COLUMNS);
    assert.deepEqual(q, { limit: 10, offset: 3, order: 'asc', column: 'pool_fee' });
    assert.deepEqual(parsePageQuery({}, REWARD_COLUMNS), { limit: 50, offset: 0, order: 'desc', column: 'job_id' });
    assert.equal(parsePageQuery({ limit: 10_000 }, REWARD_COLUMNS).limit, 200);
    for (const column of ['job_id;--', 'job_id ', '"job_id"', 'pg_sleep(10)', 'users.password_hash', 1, {}]) {
      assert.throws(() => parsePageQuery({ column }, REWARD_COLUMNS), (e) => isProsperError(e, 'PROSPER_E_WEB_COLUMN'), String(column));
    }
    for (const limit of [-1, 1.5, '1e3', '0x10', true, [], Number.MAX_SAFE_INTEGER + 2]) {
      assert.throws(() => parsePageQuery({ limit }, REWARD_COLUMNS), (e) => isProsperError(e, 'PROSPER_E_WEB_PARAM'), String(limit));
    }
  });
});

describe('json', () => {
  test('REST sends uint64 as strings; JSON-RPC as exact integers', () => {
    const v = { a: 0xffffffffffffffffn, b: [1n, -2n], s: 'x' };
    assert.equal(toRestJson(v), '{"a":"18446744073709551615","b":["1","-2"],"s":"x"}');
    assert.equal(toRpcJson(v), '{"a":18446744073709551615,"b":[1,-2],"s":"x"}');
    assert.equal(toRpcJson({ s: 'bigint:5' }), '{"s":"bigint:5"}', 'ordinary strings are untouched');
  });
});

describe('sessions', () => {
  test('signed ids, expiry, per-user destroy, CSRF comparison', () => {
    const clock = manualClock();
    let n = 0;
    const rnd = (len: number) => Buffer.alloc(len, ++n);
    const s = new SessionStore({ secret: TEST_SECRET, ttlSeconds: 60, now: clock.now, randomBytes: rnd });
    const a = s.create('a@x.io');
    const b = s.create('a@x.io');
    assert.equal(s.fromCookie(a.cookieValue)?.email, 'a@x.io');
    const other = new SessionStore({ secret: TEST_SECRET.replace('t', 'T'), ttlSeconds: 60, now: clock.now, randomBytes: rnd });
    assert.equal(other.fromCookie(a.cookieValue), null, 'another secret does not accept it');
    assert.equal(SessionStore.csrfMatches(a.session, a.session.csrf), true);
    assert.equal(SessionStore.csrfMatches(a.session, b.session.csrf), false);
    assert.equal(SessionStore.csrfMatches(a.session, undefined), false);
    s.destroyUser('a@x.io', a.session.id);
    assert.equal(s.fromCookie(b.cookieValue), null);
    assert.notEqual(s.fromCookie(a.cookieValue), null);
    clock.advance(60_000);
    assert.equal(s.fromCookie(a.cookieValue), null);
  });
});
