// The server on an injected clock (ManualClock): vardiff runs on monotonic time, so a wall clock
// stepped back does not freeze it; timeouts, bans and the stale grace run on the clock's timers,
// driven by advancing it (no sleeps, no explicit sweep).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { permissiveAuthorizer } from '../../src/stratum/auth.js';
import type { StratumConfigInput } from '../../src/stratum/config.js';
import { StratumServer } from '../../src/stratum/server.js';
import { ManualClock } from '../../src/util/clock.js';
import { findShare, hex, oprHashFor, prefixOf, RawClient, recordingSink, smallValidator } from './helpers/server.js';

const START = 0x8000000000000000n;

async function start(config: StratumConfigInput) {
  const clock = new ManualClock();
  const sink = recordingSink();
  const server = new StratumServer(
    { host: '127.0.0.1', port: 0, initialTarget: START, ...config, vardiff: { minTarget: 0n, ...config.vardiff } },
    { validator: smallValidator(), authorizer: permissiveAuthorizer(), sink, clock },
  );
  const { port } = await server.listen();
  return { server, port, clock, sink };
}

/** Subscribed and authorized as `u`, with the current job: 5 lines read. */
async function ready(port: number): Promise<{ c: RawClient; nonce: number }> {
  const c = await RawClient.connect(port);
  c.send('{"id":1,"method":"mining.subscribe","params":["t"]}\n');
  c.send('{"id":2,"method":"mining.authorize","params":["u,m"]}\n');
  const sub = await c.json(0);
  await c.waitLines(5);
  return { c, nonce: Number(sub.result[2].id) };
}

test('a wall clock stepped back an hour does not freeze vardiff: 3 000 shares over 30 minutes retarget', async () => {
  const f = await start({ sweepIntervalMs: 0, vardiff: { shareSeconds: 10, retargetSeconds: 60, maxStep: 4, variance: 0.3 } });
  try {
    const opr = oprHashFor(1);
    f.server.setJob({ id: 1, oprHash: opr });
    const { c, nonce } = await ready(f.port);
    const wallBefore = f.clock.now();
    f.clock.stepWall(-3_600_000);
    let counter = 0;
    let read = c.lines.length;
    // 60 rounds of 50 pipelined shares (under the in-flight limit), 30 s apart.
    for (let round = 0; round < 60; round++) {
      for (let k = 0; k < 50; k++) {
        const s = findShare(opr, prefixOf(nonce), START, counter);
        counter = s.counter + 1;
        c.send(JSON.stringify({ id: 1000 + round * 50 + k, method: 'mining.submit', params: ['u', '1', hex(s.nonce), hex(opr), s.target.toString(16)] }) + '\n');
      }
      await c.waitLines(read + 50);
      read += 50;
      f.clock.advance(30_000);
    }
    assert.ok(c.lines.slice(5).every((l) => JSON.parse(l).result === true), 'every share accepted');
    assert.equal(f.sink.shares.length, 3000);
    // The shares are dated by the stepped wall clock...
    assert.ok(f.sink.shares[0]!.receivedAt < wallBefore);
    // ...and the session's target still moved, and goes out with the next job.
    const target = BigInt('0x' + f.server.listSessions()[0]!.target);
    assert.ok(target > START, `retargeted harder (still ${target.toString(16)})`);
    f.server.setJob({ id: 2, oprHash: oprHashFor(2) });
    const setTarget = await c.json(read);
    assert.equal(setTarget.method, 'mining.set_target');
    assert.equal(setTarget.params[0], target.toString(16));
    c.close();
  } finally {
    await f.server.close();
  }
});

test('handshake and idle timeouts fire from the clock’s timers; wall steps do not count as time', async () => {
  const f = await start({ sweepIntervalMs: 1000, handshakeTimeoutMs: 5000, idleTimeoutMs: 20_000 });
  try {
    f.server.setJob({ id: 1, oprHash: oprHashFor(1) });
    const lazy = await RawClient.connect(f.port);
    const { c } = await ready(f.port);
    // A wall step forward of a day is not a day of silence.
    f.clock.stepWall(86_400_000);
    f.clock.advance(5000);
    await lazy.waitClose();
    assert.equal(c.closed, false);
    f.clock.advance(14_000);
    c.send('{"id":9,"method":"mining.get_oprhash","params":["1"]}\n');
    await c.waitLines(6);
    f.clock.advance(19_000);
    assert.equal(c.closed, false, 'activity reset the idle time');
    f.clock.advance(1000);
    await c.waitClose();
    assert.equal(f.server.sessionCount, 0);
  } finally {
    await f.server.close();
  }
});

test('a ban lasts its monotonic duration whatever the wall clock does; its end is shown in wall time', async () => {
  const f = await start({ sweepIntervalMs: 1000, bans: { threshold: 40, banMs: 60_000, decayPerSecond: 0 }, banPoints: { garbage: 20 } });
  try {
    const c = await RawClient.connect(f.port);
    c.send('garbage\ngarbage\n');
    await c.waitClose();
    assert.equal(f.server.isBanned('127.0.0.1'), true);
    assert.deepEqual(f.server.listBans(), [{ ip: '127.0.0.1', until: f.clock.now() + 60_000 }]);
    f.clock.stepWall(-7_200_000);
    assert.deepEqual(f.server.listBans(), [{ ip: '127.0.0.1', until: f.clock.now() + 60_000 }], 'the end moves with the wall clock');
    f.clock.advance(59_000);
    assert.equal(f.server.isBanned('127.0.0.1'), true);
    const refused = await RawClient.connect(f.port);
    await refused.waitClose();
    f.clock.advance(1000);
    assert.equal(f.server.isBanned('127.0.0.1'), false);
    const back = await RawClient.connect(f.port);
    back.send('{"id":1,"method":"mining.subscribe","params":["x"]}\n');
    assert.equal((await back.json(0)).id, 1);
    back.close();
  } finally {
    await f.server.close();
  }
});

test('the previous job’s grace runs on monotonic time', async () => {
  const f = await start({ sweepIntervalMs: 1000, staleGraceMs: 10_000 });
  try {
    const opr1 = oprHashFor(1);
    f.server.setJob({ id: 1, oprHash: opr1 });
    const { c, nonce } = await ready(f.port);
    f.server.setJob({ id: 2, oprHash: oprHashFor(2) });
    await c.waitLines(6);
    const submit = (id: number, counter: number) => {
      const s = findShare(opr1, prefixOf(nonce), START, counter);
      c.send(JSON.stringify({ id, method: 'mining.submit', params: ['u', '1', hex(s.nonce), hex(opr1), s.target.toString(16)] }) + '\n');
      return s.counter + 1;
    };
    f.clock.stepWall(3_600_000);
    let next = submit(10, 0);
    assert.equal((await c.json(6)).result, true, 'an hour of wall time is not past the grace');
    f.clock.advance(10_000);
    next = submit(11, next);
    const late = await c.json(7);
    assert.equal(late.error.code, 21);
    assert.equal(late.error.data, 'job is no longer current');
    c.close();
  } finally {
    await f.server.close();
  }
});
