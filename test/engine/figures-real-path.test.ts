// The hashrate figures through the real share path: simulated miners of known hash rates
// (1 share a minute to 100 a second) submit real LXRHash shares (10-bit table) over Stratum; the
// server, the share ledger and the store credit them on an injected clock; the figures the pool
// takes at one instant (pool, users, miners; the web and /metrics get the same snapshot) agree
// with each other and with the shares acknowledged, and each band holds its true rate.
// The 93-97 % coverage over many windows is proven on exactly simulated Poisson streams in
// test/accounting/hashrate.test.ts: through this path a 5-minute window of ~1 800 shares and a
// 20 s window at 100 shares a second are what a loaded 2-core machine runs quickly.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAccountant, createShareLedger, creditForTarget, minerKey, type ShareLedger } from '../../src/accounting/index.js';
import { createAuthService } from '../../src/auth/index.js';
import { MetricsFeed } from '../../src/metrics/metrics-feed.js';
import { createPoolMetrics } from '../../src/metrics/index.js';
import { StratumServer } from '../../src/stratum/server.js';
import type { StratumAuthorizer } from '../../src/stratum/index.js';
import { MemoryWebData } from '../helpers/memory-web-data.js';
import { seededRandom } from '../hostile/helpers.js';
import { openTestStore, type TestStore } from '../store/test-backends.js';
import { FakeClock, findShare, hex, oprHashFor, prefixOf, RawClient, smallValidator } from '../stratum/helpers/server.js';

const TARGET = 0xc000000000000000n; // a hash beats it with probability 1/4: credit 4 expected hashes
const WINDOW = 300;
const FA = 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q';

let t: TestStore;
let ledger: ShareLedger;
let server: StratumServer;
let port = 0;
const clock = new FakeClock(1_800_000_000_000);

before(async () => {
  t = await openTestStore('pglite');
  ledger = createShareLedger({ store: t.store, now: clock.now, flushIntervalMs: 1 });
  const auth = createAuthService({ store: t.store, now: clock.now, scryptCost: { logN: 10, r: 8, p: 1 } });
  const authorizer: StratumAuthorizer = {
    authorize: async (req) => {
      const r = await auth.authorizeMiner({ username: req.username, minerId: req.minerId, password: req.password, inviteCode: req.inviteCode, payoutAddress: req.payoutAddress });
      return r.ok ? { ok: true, userId: r.userId.toString() } : { ok: false, reason: r.reason };
    },
  };
  const [c1, c2] = await auth.createInviteCodes(2);
  for (const [email, code] of [['slow@pool.io', c1], ['fast@pool.io', c2]] as const) {
    assert.ok((await auth.authorizeMiner({ username: email, minerId: 'setup', password: 'pw', inviteCode: code, payoutAddress: FA })).ok);
  }
  server = new StratumServer(
    { host: '127.0.0.1', port: 0, sweepIntervalMs: 0, initialTarget: TARGET, welcomeMessage: '', vardiff: { enabled: false, minTarget: 0n } },
    {
      validator: smallValidator(), authorizer, now: clock.now,
      sink: { accept: (s) => ledger.credit({ jobId: BigInt(s.jobId), userId: BigInt(s.userId), miner: s.minerId, assignedTarget: s.assignedTarget }) },
    },
  );
  port = (await server.listen()).port;
});
after(async () => {
  await server.close();
  await ledger.close();
  await t.dispose();
});

/** The reply to request `id` on a raw connection. */
const scannedUpTo = new Map<RawClient, number>();
async function reply(c: RawClient, id: number): Promise<any> {
  for (;;) {
    for (let i = scannedUpTo.get(c) ?? 0; i < c.lines.length; i++) {
      scannedUpTo.set(c, i + 1);
      const m = JSON.parse(c.lines[i]!);
      if (m.id === id && m.method === undefined) return m;
    }
    await c.waitLines((scannedUpTo.get(c) ?? 0) + 1, 120_000);
  }
}


interface Sim { email: string; miner: string; sharesPerSecond: number }
interface Conn { c: RawClient; prefix: Uint8Array; counter: number; accepted: number; nextId: number }

/**
 * Each simulated miner connects and authorizes, then sends real shares (found by hashing at the
 * assigned target) at the times of a Poisson stream of its rate (exponential gaps), with the
 * clock set to each share's time; the window ends with the clock at its end.
 */
async function mineWindow(sims: Sim[], windowSeconds: number, seed: number, opr: Uint8Array, jobId: number): Promise<{ conns: Conn[]; shares: number }> {
  const start = clock.t;
  const random = seededRandom(seed);
  const events: { at: number; sim: number }[] = [];
  const conns: Conn[] = [];
  for (const [i, s] of sims.entries()) {
    const c = await RawClient.connect(port);
    c.send('{"id":1,"method":"mining.subscribe","params":["sim/1.0"]}\n');
    const sub = await reply(c, 1);
    c.send(JSON.stringify({ id: 2, method: 'mining.authorize', params: [`${s.email},${s.miner}`, 'pw'] }) + '\n');
    assert.equal((await reply(c, 2)).result, true);
    conns.push({ c, prefix: prefixOf(Number(sub.result[2].id)), counter: 0, accepted: 0, nextId: 10 });
    for (let at = -Math.log(1 - random()) / s.sharesPerSecond; at < windowSeconds; at += -Math.log(1 - random()) / s.sharesPerSecond) events.push({ at, sim: i });
  }
  events.sort((a, b) => a.at - b.at);
  for (const e of events) {
    clock.t = start + Math.floor(e.at * 1000);
    const conn = conns[e.sim]!;
    const share = findShare(opr, conn.prefix, TARGET, conn.counter);
    conn.counter = share.counter + 1;
    const id = conn.nextId++;
    conn.c.send(JSON.stringify({ id, method: 'mining.submit', params: [sims[e.sim]!.email, String(jobId), hex(share.nonce), hex(opr), share.target.toString(16)] }) + '\n');
    const r = await reply(conn.c, id);
    assert.equal(r.result, true, JSON.stringify(r));
    conn.accepted++;
  }
  clock.t = start + windowSeconds * 1000;
  return { conns, shares: events.length };
}

test('real shares over Stratum: pool, user and miner figures agree at one instant and each band holds its true rate', { timeout: 600_000 }, async () => {
  const opr = oprHashFor(7);
  server.setJob({ jobId: 7, oprHash: opr });
  const sims = [
    { email: 'slow@pool.io', miner: 'rig-a', sharesPerSecond: 1 / 60 },
    { email: 'fast@pool.io', miner: 'rig-b', sharesPerSecond: 1 },
    { email: 'fast@pool.io', miner: 'rig-c', sharesPerSecond: 5 },
  ];
  const { conns, shares } = await mineWindow(sims, WINDOW, 18, opr, 7);
  assert.ok(shares > 1000, `${shares} shares`);

  // One snapshot, handed to the web's live view and to /metrics as the engine does.
  const accountant = createAccountant({ store: t.store, ledger, feeRateE8: 0n, now: clock.now });
  const rates = await accountant.hashrates(WINDOW);
  const live = new MemoryWebData({ now: clock.now });
  live.recordShareWindow({ accepted: shares, rejected: 0, rates });
  const metrics = createPoolMetrics();
  new MetricsFeed({ metrics, stratum: server, validator: { stats: () => ({ pending: 0 }) } }).onHashrates(rates);

  const users = new Map((await t.store.listUsers()).map((u) => [u.email, u.id]));
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
  for (const c of conns) c.c.close();
});

test('the fast end: a miner at 100 shares a second over a 20 s window, every share counted, its band holds the true rate', { timeout: 600_000 }, async () => {
  const opr = oprHashFor(8);
  server.setJob({ jobId: 8, oprHash: opr });
  const sim = { email: 'fast@pool.io', miner: 'rig-d', sharesPerSecond: 100 };
  const { conns, shares } = await mineWindow([sim], 20, 19, opr, 8);
  const rates = await createAccountant({ store: t.store, ledger, feeRateE8: 0n, now: clock.now }).hashrates(20);
  const userId = (await t.store.findUserByEmail(sim.email))!.id;
  const f = rates.miners.get(minerKey(userId, 'rig-d'))!;
  assert.equal(f.shares, shares);
  assert.equal(f.shares, conns[0]!.accepted);
  const credit = Number(creditForTarget(TARGET));
  assert.equal(f.value, (shares * credit) / 20);
  assert.ok(f.low <= 100 * credit && 100 * credit <= f.high, `${100 * credit} H/s in [${f.low}, ${f.high}]`);
  assert.deepEqual(rates.users.get(userId), f, 'the only miner of the user in this window');
  assert.deepEqual(rates.pool, f, 'and of the pool');
  conns[0]!.c.close();
});
