import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, startTestServer, type TestServer } from './helpers.js';
import { manualClock, seededPool } from './fixtures.js';

const clock = manualClock();
let srv: TestServer;

before(async () => {
  const { data } = await seededPool(clock.now);
  srv = await startTestServer(data, clock.now);
});
after(() => srv.close());

const rpc = (method: string, params?: unknown, id: unknown = 1) =>
  call(srv.base, 'POST', '/api/v1', { body: { jsonrpc: '2.0', method, params, id } });

describe('REST read APIs', () => {
  test('pool stats carry the live state, uint64 values as decimal strings', async () => {
    const r = await call(srv.base, 'GET', '/api/pool/stats');
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json.hashrate).sort(), ['high', 'low', 'shares', 'value', 'windowSeconds']);
    assert.equal(r.json.hashrate.value, 6000);
    assert.equal(r.json.hashrate.shares, 10);
    assert.equal(r.json.hashrate.windowSeconds, 600);
    assert.ok(r.json.hashrate.low < 6000 && r.json.hashrate.high > 6000);
    assert.equal(r.json.figuresAt, clock.now() - 10_000);
    assert.equal(r.json.connectedMiners, 1);
    assert.equal(r.json.activeUsers, 1);
    assert.equal(r.json.currentJob.jobId, '200031');
    assert.equal(r.json.networkDifficulty, BigInt('0xfffffe0000000000').toString());
    assert.equal(r.json.ecBalance, '12345');
    assert.equal(r.json.acceptRate, 19 / 20);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  });

  test('blocks page by limit/offset/order/column', async () => {
    const r = await call(srv.base, 'GET', '/api/pool/blocks?limit=5&offset=2&order=ASC&column=height');
    assert.equal(r.status, 200);
    assert.equal(r.json.total, 30);
    assert.deepEqual(r.json.data.map((b: any) => b.height), [200_003, 200_004, 200_005, 200_006, 200_007]);
    const won = await call(srv.base, 'GET', '/api/pool/blocks?limit=3&column=reward');
    assert.ok(won.json.data.every((b: any) => b.reward === '400000000' && b.won === 2));
  });

  test('limit is capped at 200 and defaults to 50', async () => {
    const big = await call(srv.base, 'GET', '/api/pool/rewards?limit=100000');
    assert.equal(big.status, 200);
    assert.equal(big.json.data.length, 200);
    assert.equal(big.json.total, 210);
    const def = await call(srv.base, 'GET', '/api/pool/rewards');
    assert.equal(def.json.data.length, 50);
    assert.equal(def.json.data[0].jobId, '1210', 'default order is desc by job id');
  });

  test('submissions filter by jobid', async () => {
    const r = await call(srv.base, 'GET', '/api/pool/submissions?jobid=1001&order=asc&column=id');
    assert.equal(r.json.total, 2);
    assert.deepEqual(r.json.data.map((s: any) => s.blocked), [false, true]);
    const all = await call(srv.base, 'GET', '/api/pool/submissions');
    assert.equal(all.json.total, 3);
  });

  test('the in-memory hashrate endpoints are gone: the store history (/api/pool/history) replaced them', async () => {
    for (const path of ['/api/pool/hashrate', '/api/me/hashrate']) {
      const r = await call(srv.base, 'GET', path);
      assert.equal(r.status, 404, path);
      assert.equal(r.json.error.code, 'PROSPER_E_WEB_NOT_FOUND');
    }
  });

  const badQueries: [string, string][] = [
    ['/api/pool/blocks?limit=-1', 'PROSPER_E_WEB_PARAM'],
    ['/api/pool/blocks?limit=abc', 'PROSPER_E_WEB_PARAM'],
    ['/api/pool/blocks?offset=1.5', 'PROSPER_E_WEB_PARAM'],
    ['/api/pool/blocks?order=sideways', 'PROSPER_E_WEB_ORDER'],
    ['/api/pool/blocks?column=height%3B%20DROP%20TABLE%20users', 'PROSPER_E_WEB_COLUMN'],
    ['/api/pool/rewards?column=job_id%20--', 'PROSPER_E_WEB_COLUMN'],
    ['/api/pool/rewards?order=desc%3Bselect%201', 'PROSPER_E_WEB_ORDER'],
    ['/api/pool/submissions?jobid=1%20OR%201%3D1', 'PROSPER_E_WEB_PARAM'],
    ['/api/pool/submissions?jobid=18446744073709551616', 'PROSPER_E_WEB_PARAM'],
    ['/api/pool/submissions?jobid=9007199254740992', 'PROSPER_E_WEB_PARAM'], // past 2^53: no block height
  ];
  for (const [path, code] of badQueries) {
    test(`refuses ${decodeURIComponent(path)} with ${code}`, async () => {
      const r = await call(srv.base, 'GET', path);
      assert.equal(r.status, 400);
      assert.equal(r.json.error.code, code);
      assert.equal(typeof r.json.error.message, 'string');
    });
  }

  test('unknown paths are JSON 404; wrong methods 405; there is no web sign-up', async () => {
    for (const [method, path] of [['GET', '/nope'], ['POST', '/auth/register'], ['POST', '/auth/password/register'], ['POST', '/api/register'], ['GET', '/assets/../package.json'], ['GET', '/assets/missing.js']]) {
      const r = await call(srv.base, method, path, method === 'POST' ? { body: { login: 'x@y.z', password: 'p' } } : {});
      assert.equal(r.status, 404, `${method} ${path}`);
      assert.equal(r.json.error.code, 'PROSPER_E_WEB_NOT_FOUND');
    }
    const m = await call(srv.base, 'DELETE', '/api/pool/stats');
    assert.equal(m.status, 405);
    assert.equal(m.json.error.code, 'PROSPER_E_WEB_METHOD');
  });

  test('oversized and malformed bodies get coded errors', async () => {
    const big = await call(srv.base, 'POST', '/api/login', { raw: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(20_000) }), headers: { 'Content-Type': 'application/json' } });
    assert.equal(big.status, 413);
    assert.equal(big.json.error.code, 'PROSPER_E_WEB_BODY_TOO_LARGE');
    const bad = await call(srv.base, 'POST', '/api/login', { raw: '{"email":', headers: { 'Content-Type': 'application/json' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.code, 'PROSPER_E_WEB_JSON');
    const arr = await call(srv.base, 'POST', '/api/login', { body: ['a'] });
    assert.equal(arr.json.error.code, 'PROSPER_E_WEB_JSON');
    const form = await call(srv.base, 'POST', '/api/login', { raw: 'email=a&password=b', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.status, 415);
  });

  test('a POST without a body is answered, not left hanging', async () => {
    const r = await call(srv.base, 'POST', '/api/logout');
    assert.equal(r.status, 401);
    const rpcEmpty = await call(srv.base, 'POST', '/api/v1', { headers: { 'Content-Type': 'application/json' } });
    assert.equal(rpcEmpty.json.error.code, -32700);
  });

  test('the dashboard and its assets are served by the pool', async () => {
    const page = await call(srv.base, 'GET', '/');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(page.text, /\/assets\/dashboard\.js/);
    const js = await call(srv.base, 'GET', '/assets/chart.js');
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.match(js.text, /export function hashrateChart/);
    // The chart library comes from its npm package, through the same asset path.
    const uplot = await call(srv.base, 'GET', '/assets/uplot.js');
    assert.equal(uplot.status, 200);
    assert.match(uplot.headers.get('content-type') ?? '', /javascript/);
    assert.match(uplot.text, /uPlot/);
    assert.equal((await call(srv.base, 'GET', '/assets/uplot.css')).status, 200);
  });
});

describe('JSON-RPC /api/v1 (the original API)', () => {
  test('api.Rewards: defaults, result shape, exact integers, real totalrecords', async () => {
    const r = await rpc('api.Rewards', { limit: 2, offset: 5 });
    assert.equal(r.status, 200);
    assert.equal(r.json.jsonrpc, '2.0');
    assert.equal(r.json.id, 1);
    const { data, info } = r.json.result;
    assert.deepEqual(info, { records: 2, totalrecords: 210 });
    assert.deepEqual(data.map((d: any) => d.jobid), [1205, 1204]);
    assert.deepEqual(Object.keys(data[0]).sort(), ['dust', 'gradedoprs', 'jobid', 'pdiff', 'pooldifficulty', 'poolfee', 'poolfeerate', 'poolreward', 'totalhashrate', 'winningoprs']);
    assert.equal(data[0].poolfeerate, '0.05');
    assert.equal(data[0].pdiff, 'ffff000000000000');
    assert.match(r.text, /"poolreward":240000000205[,}]/, 'uint64 sent as a JSON integer');
  });

  test('api.Rewards: order/column (with the legacy pool_difficuty name) and limit cap', async () => {
    const asc = await rpc('api.Rewards', { order: 'ASC', column: 'pool_difficuty', limit: 3 });
    assert.deepEqual(asc.json.result.data.map((d: any) => d.pooldifficulty), [1.5, 3, 4.5]);
    const capped = await rpc('api.Rewards', [{ limit: 5000 }]);
    assert.equal(capped.json.result.info.records, 200);
  });

  test('api.EntrySubmissions: jobid filter, base64 bytes, target >> 1, empty fields omitted', async () => {
    const r = await rpc('api.EntrySubmissions', { jobid: 1001, order: 'asc', column: 'id' });
    const [first, blocked] = r.json.result.data;
    assert.equal(r.json.result.info.totalrecords, 2);
    assert.equal(first.oprhash, Buffer.from('ab'.repeat(32), 'hex').toString('base64'));
    assert.equal(first.nonce, Buffer.from('0102', 'hex').toString('base64'));
    assert.match(r.text, new RegExp(`"target":${(0xfffff00000000001n >> 1n).toString()}[,}]`));
    assert.equal(first.blocked, 0);
    assert.deepEqual(blocked, { jobid: 1001, blocked: -1 });
    const all = await rpc('api.EntrySubmissions', { jobid: 0 });
    assert.equal(all.json.result.info.totalrecords, 3);
  });

  test('api.SubmitSync', async () => {
    const r = await rpc('api.SubmitSync');
    assert.deepEqual(r.json.result, { submitting: true, submitHeight: 200_031, syncing: false, lastNonZero: 200_029 });
  });

  test('errors use the json2 codes with the Prosper code in data', async () => {
    const col = await rpc('api.Rewards', { column: "job_id; DROP TABLE users; --" });
    assert.equal(col.json.error.code, -32000);
    assert.equal(col.json.error.data.code, 'PROSPER_E_WEB_COLUMN');
    const ord = await rpc('api.EntrySubmissions', { order: 'desc, (select 1)' });
    assert.equal(ord.json.error.data.code, 'PROSPER_E_WEB_ORDER');
    const job = await rpc('api.EntrySubmissions', { jobid: '1 OR 1=1' });
    assert.equal(job.json.error.data.code, 'PROSPER_E_WEB_PARAM');
    const lim = await rpc('api.Rewards', { limit: -5 });
    assert.equal(lim.json.error.code, -32000);
    const nf = await rpc('api.Nope');
    assert.equal(nf.json.error.code, -32601);
    const proto = await rpc('__proto__');
    assert.equal(proto.json.error.code, -32601);
    const parse = await call(srv.base, 'POST', '/api/v1', { raw: '{not json', headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    assert.equal(parse.json.error.code, -32700);
    const nover = await call(srv.base, 'POST', '/api/v1', { body: { method: 'api.SubmitSync', id: 3 } });
    assert.equal(nover.json.error.code, -32600);
    assert.equal(nover.json.id, 3);
    const ctype = await call(srv.base, 'POST', '/api/v1', { raw: '{}', headers: { 'Content-Type': 'text/plain' } });
    assert.equal(ctype.json.error.code, -32600);
    const get = await call(srv.base, 'GET', '/api/v1');
    assert.equal(get.status, 405);
  });
});
