// The hashrate figures through the real share path (test/engine/helpers/real-path.ts):
// simulated miners of known hash rates (1 share a minute to 100 a second) submit real LXRHash
// shares over Stratum; the server, the worker-thread validator, the share router, the ledger
// and the store credit them on an injected clock; the figures the pool takes at one instant
// (pool, users, miners; the web and /metrics get the same snapshot) agree with each other and
// with the shares acknowledged, and each band holds its true rate. The 93-97 % coverage over
// more than 1 000 windows through this same path is test/engine/figures-coverage.test.ts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { creditForTarget, minerKey } from '../../src/accounting/index.js';
import { MetricsFeed } from '../../src/metrics/metrics-feed.js';
import { createPoolMetrics } from '../../src/metrics/index.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { seededRandom } from '../hostile/helpers.js';
import { oprHashFor } from '../stratum/helpers/server.js';
import { mineWindow, SimConnection, startRealPath, type RealPath, type Sim } from './helpers/real-path.js';

const TARGET = 0xc000000000000000n; // a hash beats it with probability 1/4: credit 4 expected hashes
const WINDOW = 300;

let path: RealPath;
before(async () => {
  path = await startRealPath(['slow@pool.io', 'fast@pool.io'], TARGET);
});
after(() => path.close());

/** Connects every simulated miner and mines one window of its Poisson stream (seeded). */
async function mine(sims: Sim[], seconds: number, seed: number, jobId: number) {
  const job = { opr: oprHashFor(jobId), id: jobId, target: TARGET };
  path.server.setJob({ jobId, oprHash: job.opr });
  const conns = [];
  for (const s of sims) conns.push(await SimConnection.open(path.port, s));
  path.clock.advance(1000); // no share of an earlier window falls in this one
  const counts = await mineWindow(path, conns, seconds, seededRandom(seed), job);
  return { conns, shares: counts.reduce((a, b) => a + b, 0) };
}

test('real shares over Stratum: pool, user and miner figures agree at one instant and each band holds its true rate', { timeout: 600_000 }, async () => {
  const sims = [
    { email: 'slow@pool.io', miner: 'rig-a', sharesPerSecond: 1 / 60 },
    { email: 'fast@pool.io', miner: 'rig-b', sharesPerSecond: 1 },
    { email: 'fast@pool.io', miner: 'rig-c', sharesPerSecond: 5 },
  ];
  const { conns, shares } = await mine(sims, WINDOW, 18, 7);
  assert.ok(shares > 1000, `${shares} shares`);

  // One snapshot, handed to the web's live view and to /metrics as the engine does.
  const rates = await path.accountant.hashrates(WINDOW);
  const live = new MemoryWebData({ now: path.clock.now });
  live.recordShareWindow({ accepted: shares, rejected: 0, rates });
  const metrics = createPoolMetrics();
  new MetricsFeed({ metrics, stratum: path.server, validator: path.validator }).onHashrates(rates);

  const users = path.users;
  const credit = Number(creditForTarget(TARGET));
  let poolValue = 0;
  for (const [i, s] of sims.entries()) {
    const f = rates.miners.get(minerKey(users.get(s.email)!, s.miner))!;
    assert.equal(f.shares, conns[i]!.accepted, `${s.miner}: every acknowledged share counted`);
    assert.equal(f.value, (conns[i]!.accepted * credit) / WINDOW);
    const trueRate = s.sharesPerSecond * credit;
    assert.ok(f.low <= trueRate && trueRate <= f.high, `${s.miner}: ${trueRate} H/s in [${f.low}, ${f.high}]`);
    poolValue += f.value;
  }
  // A user is the sum of their miners, the pool the sum of everyone, the same on every surface.
  const fast = rates.users.get(users.get('fast@pool.io')!)!;
  assert.equal(fast.shares, conns[1]!.accepted + conns[2]!.accepted);
  assert.ok(Math.abs(fast.value - (rates.miners.get(minerKey(users.get('fast@pool.io')!, 'rig-b'))!.value + rates.miners.get(minerKey(users.get('fast@pool.io')!, 'rig-c'))!.value)) < 1e-9);
  assert.ok(Math.abs(rates.pool.value - poolValue) < 1e-9);
  assert.equal(rates.pool.shares, shares);
  const trueFast = (sims[1]!.sharesPerSecond + sims[2]!.sharesPerSecond) * credit;
  assert.ok(fast.low <= trueFast && trueFast <= fast.high);
  assert.deepEqual((await live.pool.poolStats()).hashrate, rates.pool);
  assert.deepEqual(await live.users.hashrate(users.get('fast@pool.io')!), fast);
  const views = await live.users.miners(users.get('fast@pool.io')!, 'fast@pool.io');
  assert.deepEqual(views.map((v) => [v.name, v.hashrate]), [['rig-b', rates.miners.get(minerKey(users.get('fast@pool.io')!, 'rig-b'))], ['rig-c', rates.miners.get(minerKey(users.get('fast@pool.io')!, 'rig-c'))]]);
  assert.match(await metrics.render(), new RegExp(`^prosper_pool_hashrate_hps ${rates.pool.value}$`, 'm'));
  for (const c of conns) c.close();
});

test('the fast end: a miner at 100 shares a second over a 20 s window, every share counted, its band holds the true rate', { timeout: 600_000 }, async () => {
  const sim = { email: 'fast@pool.io', miner: 'rig-d', sharesPerSecond: 100 };
  const { conns, shares } = await mine([sim], 20, 19, 8);
  const rates = await path.accountant.hashrates(20);
  const userId = path.users.get(sim.email)!;
  const f = rates.miners.get(minerKey(userId, 'rig-d'))!;
  assert.equal(f.shares, shares);
  assert.equal(f.shares, conns[0]!.accepted);
  const credit = Number(creditForTarget(TARGET));
  assert.equal(f.value, (shares * credit) / 20);
  assert.ok(f.low <= 100 * credit && 100 * credit <= f.high, `${100 * credit} H/s in [${f.low}, ${f.high}]`);
  assert.deepEqual(rates.users.get(userId), f, 'the only miner of the user in this window');
  assert.deepEqual(rates.pool, f, 'and of the pool');
  conns[0]!.close();
});
