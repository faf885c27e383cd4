import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPoolMetrics, METRIC_NAMES } from '../../src/metrics/index.js';
import { call, startTestServer } from './helpers.js';
import { manualClock, seededPool } from './fixtures.js';

test('each pool has its own registry with every named series', async () => {
  const a = createPoolMetrics();
  const b = createPoolMetrics();
  a.shares.inc({ result: 'accepted' }, 3);
  a.shares.inc({ result: 'stale' });
  a.validationLatency.observe(0.002);
  a.ecBalance.set(4321);
  a.syncLag.set(2);
  a.datasourceErrors.inc({ source: 'coingecko' });
  const text = await a.render();
  for (const name of Object.values(METRIC_NAMES)) assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
  assert.match(text, /^prosper_shares_total\{result="accepted"\} 3$/m);
  assert.match(text, /^prosper_shares_total\{result="stale"\} 1$/m);
  assert.match(text, /^prosper_validation_latency_seconds_bucket\{le="0.0025"\} 1$/m);
  assert.match(text, /^prosper_ec_balance 4321$/m);
  assert.match(text, /^prosper_datasource_errors_total\{source="coingecko"\} 1$/m);
  assert.doesNotMatch(await b.render(), /result="accepted"/, 'registries are independent');
  const withProcess = await createPoolMetrics({ processMetrics: true }).render();
  assert.match(withProcess, /^prosper_process_cpu_user_seconds_total /m);
});

test('/metrics serves the Prometheus text format and counts web requests', async () => {
  const clock = manualClock();
  const { data } = await seededPool(clock.now);
  const srv = await startTestServer(data, clock.now);
  try {
    srv.metrics.shares.inc({ result: 'accepted' }, 7);
    await call(srv.base, 'GET', '/api/pool/stats');
    await call(srv.base, 'GET', '/api/pool/blocks?limit=x');
    await call(srv.base, 'GET', '/no/such/thing');
    const r = await call(srv.base, 'GET', '/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.match(r.text, /^prosper_shares_total\{result="accepted"\} 7$/m);
    assert.match(r.text, /^prosper_web_requests_total\{route="GET \/api\/pool\/stats",status="200"\} 1$/m);
    assert.match(r.text, /^prosper_web_requests_total\{route="GET \/api\/pool\/blocks",status="400"\} 1$/m);
    assert.match(r.text, /^prosper_web_requests_total\{route="other",status="404"\} 1$/m, 'unknown paths share one label');
  } finally {
    srv.close();
  }
});

test('/metrics can require a bearer token', async () => {
  const clock = manualClock();
  const { data } = await seededPool(clock.now);
  const srv = await startTestServer(data, clock.now, { metricstoken: 'scrape-token-123' });
  try {
    assert.equal((await call(srv.base, 'GET', '/metrics')).status, 401);
    assert.equal((await call(srv.base, 'GET', '/metrics', { headers: { Authorization: 'Bearer wrong' } })).status, 401);
    const ok = await call(srv.base, 'GET', '/metrics', { headers: { Authorization: 'Bearer scrape-token-123' } });
    assert.equal(ok.status, 200);
    assert.match(ok.text, /# HELP prosper_stratum_sessions/);
  } finally {
    srv.close();
  }
});
