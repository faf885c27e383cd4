import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, login, startTestServer, type TestServer } from './helpers.js';
import { figuresWindow, manualClock, seededPool, T0 } from './fixtures.js';
import { openWs } from './ws-client.js';

const clock = manualClock();
let srv: TestServer;
let pool: Awaited<ReturnType<typeof seededPool>>;

before(async () => {
  pool = await seededPool(clock.now);
  srv = await startTestServer(pool.data, clock.now);
});
after(() => srv.close());

test('visitors get jobs, pool share rates and blocks, but no one\'s miners', async () => {
  const ws = await openWs(srv.server.port);
  try {
    assert.deepEqual(await ws.next(), { type: 'hello', loggedIn: false, at: T0 });
    pool.data.setJob({ jobId: 200_032, height: 200_032, startedAt: new Date(T0) });
    assert.deepEqual(await ws.next(), { type: 'job', jobId: '200032', height: 200_032, at: T0 });
    const w = figuresWindow(T0 + 10_000, 5, 1, [{ userId: pool.alice.id, miner: 'rig1', hashrate: 7000, shares: 5 }]);
    pool.data.recordShareWindow(w);
    assert.deepEqual(await ws.next(), { type: 'shares', at: T0 + 10_000, hashrate: w.rates.pool, accepted: 5, rejected: 1 });
    pool.data.recordBlock({ height: 200_031, graded: true, won: 3, reward: 600_000_000n, time: new Date(T0 + 20_000) });
    assert.deepEqual(await ws.next(), { type: 'block', height: 200_031, won: 3, reward: '600000000', at: T0 + 20_000 });
    const stats = await call(srv.base, 'GET', '/api/pool/stats');
    assert.deepEqual(stats.json.hashrate, w.rates.pool, 'REST agrees with the feed');
  } finally {
    ws.close();
  }
});

test('a logged-in user also gets their own miners\' hashrate, live, and only theirs', async () => {
  const alice = await login(srv.base, 'alice@example.com', 'alice-password');
  const bob = await login(srv.base, 'bob@example.com', 'bob-password');
  const wsA = await openWs(srv.server.port, { Cookie: alice.cookie });
  const wsB = await openWs(srv.server.port, { Cookie: bob.cookie });
  try {
    assert.equal(((await wsA.next()) as any).loggedIn, true);
    assert.equal(((await wsB.next()) as any).loggedIn, true);
    for (let i = 1; i <= 3; i++) {
      const w = figuresWindow(T0 + i * 10_000, 4, 0, [
        { userId: pool.alice.id, miner: 'rig1', hashrate: 600 * i, shares: 2 },
        { userId: pool.alice.id, miner: 'rig2', hashrate: 400 * i, shares: 2 },
      ]);
      pool.data.recordShareWindow(w);
      const mine = await wsA.nextMatching((m) => m.type === 'my-miners');
      assert.deepEqual(mine, {
        type: 'my-miners', at: T0 + i * 10_000, hashrate: w.rates.users.get(pool.alice.id),
        miners: [{ miner: 'rig1', hashrate: w.rates.miners.get(`${pool.alice.id}/rig1`) }, { miner: 'rig2', hashrate: w.rates.miners.get(`${pool.alice.id}/rig2`) }],
      });
      assert.equal((mine as any).hashrate.value, 1000 * i, 'the user figure is the sum of the miners');
      assert.equal((mine as any).hashrate.shares, 4);
    }
    // Bob sees the pool rate but never Alice's miners.
    const seen: any[] = [];
    for (let i = 0; i < 3; i++) seen.push(await wsB.next());
    assert.deepEqual(seen.map((m) => m.type), ['shares', 'shares', 'shares']);
    await assert.rejects(wsB.nextMatching((m) => m.type === 'my-miners', 300));
    const badMiner = await call(srv.base, 'GET', '/api/me/history?worker=../../x', { cookie: alice.cookie }); // a traversal probe
    assert.equal(badMiner.status, 400);
    const metrics = await (await fetch(`${srv.base}/metrics`)).text();
    assert.match(metrics, /^prosper_web_websocket_clients 2$/m);
  } finally {
    wsA.close();
    wsB.close();
  }
});

test('a WebSocket from a foreign origin is refused', async () => {
  await assert.rejects(openWs(srv.server.port, { Origin: 'https://evil.example' }), (e: any) => e.status === 403);
});
