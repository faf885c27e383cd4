import { test } from 'node:test';
import assert from 'node:assert/strict';
import { difficultyFromTarget, targetFromDifficulty } from '../../src/lxr/difficulty.js';
import { inspectStratum } from '../../src/stratum/inspect.js';
import type { ShareValidator } from '../../src/validation/types.js';
import { findShare, hex, oprHashFor, prefixOf, RawClient, smallValidator, startServer, until, type Fixture } from './helpers/server.js';

async function ready(f: Fixture, user = 'u'): Promise<{ c: RawClient; nonce: number; sessionId: string }> {
  const c = await RawClient.connect(f.port);
  c.send('{"id":1,"method":"mining.subscribe","params":["t"]}\n');
  c.send(`{"id":2,"method":"mining.authorize","params":["${user},m"]}\n`);
  const sub = await c.json(0);
  await c.waitLines(f.server.currentJob ? 5 : 4);
  return { c, nonce: Number(sub.result[2].id), sessionId: sub.result[0].id };
}

const submit = (id: number, user: string, job: number, nonce: Uint8Array, opr: Uint8Array, t: bigint) =>
  JSON.stringify({ id, method: 'mining.submit', params: [user, String(job), hex(nonce), hex(opr), t.toString(16)] }) + '\n';

test('vardiff: a fast miner gets a harder target with the next job; in-flight shares of the old job stay valid', async () => {
  const start = 0x8000000000000000n;
  const f = await startServer({ initialTarget: start, staleGraceMs: 10_000, vardiff: { shareSeconds: 10, retargetSeconds: 60, maxStep: 4, variance: 0.3 } });
  try {
    const opr = oprHashFor(1);
    f.server.setJob({ jobId: 1, oprHash: opr });
    const { c, nonce } = await ready(f);
    let counter = 0;
    let replies = c.lines.length;
    for (let k = 0; k < 31; k++) {
      if (k === 30) {
        await c.waitLines(replies + 30);
        f.clock.advance(60_000);
      }
      const s = findShare(opr, prefixOf(nonce), start, counter);
      counter = s.counter + 1;
      c.send(submit(100 + k, 'u', 1, s.nonce, opr, s.target));
    }
    await c.waitLines(replies + 31);
    assert.ok(c.lines.slice(replies).every((l) => JSON.parse(l).result === true));
    replies += 31;
    const harder = targetFromDifficulty(difficultyFromTarget(start) * 4);
    assert.equal(f.server.listSessions()[0]!.target, harder.toString(16));
    assert.equal(c.lines.length, replies, 'no set_target mid-job: the job keeps its target');
    const opr2 = oprHashFor(2);
    f.server.setJob({ jobId: 2, oprHash: opr2 });
    assert.deepEqual(JSON.parse(await c.line(replies)).params, [harder.toString(16)]);
    assert.equal(JSON.parse(await c.line(replies + 1)).method, 'mining.notify');
    // A share of job 1 at the old target is still accepted and credited at job 1's target.
    const old = findShare(opr, prefixOf(nonce), start, counter);
    c.send(submit(200, 'u', 1, old.nonce, opr, old.target));
    assert.equal(JSON.parse(await c.line(replies + 2)).result, true);
    assert.equal(f.sink.shares.at(-1)!.assignedTarget, start);
    // Job 2 needs the harder target.
    let easy = findShare(opr2, prefixOf(nonce), start);
    while (easy.target >= harder) easy = findShare(opr2, prefixOf(nonce), start, easy.counter + 1);
    c.send(submit(201, 'u', 2, easy.nonce, opr2, easy.target));
    assert.equal(JSON.parse(await c.line(replies + 3)).error.code, 23);
    // A silent miner drifts back toward easier targets (bounded by the minimum).
    f.clock.advance(120_000);
    f.server.setJob({ jobId: 3, oprHash: oprHashFor(3) });
    const eased = JSON.parse(await c.line(replies + 4));
    assert.equal(eased.method, 'mining.set_target');
    assert.ok(BigInt('0x' + eased.params[0]) < harder);
    c.close();
  } finally {
    await f.close();
  }
});

test('ban score: repeated garbage bans the IP, closes it, refuses reconnects until the ban ends', async () => {
  const f = await startServer({ bans: { threshold: 50, banMs: 60_000, decayPerSecond: 0 }, banPoints: { garbage: 20 } });
  try {
    const c = await RawClient.connect(f.port);
    const other = await RawClient.connect(f.port);
    c.send('garbage\ngarbage\ngarbage\n');
    await c.waitClose();
    await other.waitClose();
    assert.equal(f.server.isBanned('127.0.0.1'), true);
    const refused = await RawClient.connect(f.port);
    await refused.waitClose();
    assert.equal(f.server.counters.refused, 1);
    f.clock.advance(60_001);
    const back = await RawClient.connect(f.port);
    back.send('{"id":1,"method":"mining.subscribe","params":["x"]}\n');
    assert.equal((await back.json(0)).id, 1);
    back.close();
  } finally {
    await f.close();
  }
});

test('invalid shares add ban points too', async () => {
  const f = await startServer({ bans: { threshold: 60, banMs: 60_000, decayPerSecond: 0 }, banPoints: { invalidShare: 25 } });
  try {
    const opr = oprHashFor(4);
    f.server.setJob({ jobId: 4, oprHash: opr });
    const { c, nonce } = await ready(f);
    let counter = 0;
    for (let k = 0; k < 3; k++) {
      const s = findShare(opr, prefixOf(nonce), 0x8000000000000000n, counter);
      counter = s.counter + 1;
      c.send(submit(10 + k, 'u', 4, s.nonce, opr, s.target + 1n));
    }
    await c.waitClose();
    assert.equal(f.server.isBanned('127.0.0.1'), true);
    assert.equal(f.server.counters.invalid, 3);
  } finally {
    await f.close();
  }
});

test('connection limits per IP and in total', async () => {
  const f = await startServer({ maxConnectionsPerIp: 2 });
  try {
    const a = await RawClient.connect(f.port);
    const b = await RawClient.connect(f.port);
    const c = await RawClient.connect(f.port);
    await c.waitClose();
    assert.equal(f.server.sessionCount, 2);
    a.close();
    await until('the closed connection leaves its place', () => f.server.sessionCount === 1);
    const d = await RawClient.connect(f.port);
    d.send('{"id":1,"method":"mining.subscribe","params":["x"]}\n');
    assert.equal((await d.json(0)).id, 1);
    b.close();
    d.close();
  } finally {
    await f.close();
  }
  const g = await startServer({ maxConnections: 1 });
  try {
    const a = await RawClient.connect(g.port);
    const b = await RawClient.connect(g.port);
    await b.waitClose();
    assert.equal(g.server.sessionCount, 1);
    a.close();
  } finally {
    await g.close();
  }
});

test('handshake and idle timeouts (injected clock, explicit sweep)', async () => {
  const f = await startServer({ handshakeTimeoutMs: 1000, idleTimeoutMs: 5000 });
  try {
    const lazy = await RawClient.connect(f.port);
    const { c } = await ready(f);
    f.clock.advance(1001);
    f.server.sweep();
    await lazy.waitClose();
    assert.equal(c.closed, false);
    f.clock.advance(3000);
    c.send('{"id":9,"method":"mining.get_oprhash","params":["1"]}\n');
    await c.waitLines(c.lines.length + 1);
    f.clock.advance(3000);
    f.server.sweep();
    // A reply after the sweep proves the connection is still open.
    c.send('{"id":10,"method":"mining.get_oprhash","params":["1"]}\n');
    await c.waitLines(c.lines.length + 1);
    assert.equal(c.closed, false, 'activity resets the idle clock');
    // That probe was activity too: the idle timeout now runs from it.
    f.clock.advance(4999);
    f.server.sweep();
    c.send('{"id":11,"method":"mining.get_oprhash","params":["1"]}\n');
    await c.waitLines(c.lines.length + 1);
    f.clock.advance(5001);
    f.server.sweep();
    await c.waitClose();
    assert.equal(f.server.sessionCount, 0);
  } finally {
    await f.close();
  }
});

test('max pending requests: reading pauses; excess requests in the same burst get an error; flood is answered in order after', async () => {
  const inner = smallValidator();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const slow: ShareValidator & { openJobs: Set<number> } = { ...inner, openJobs: inner.openJobs, validate: async (s) => { await gate; return inner.validate(s); } };
  const f = await startServer({ maxPendingRequests: 2 }, { validator: slow });
  try {
    const opr = oprHashFor(5);
    f.server.setJob({ jobId: 5, oprHash: opr });
    const { c, nonce } = await ready(f);
    const base = c.lines.length;
    let counter = 0;
    let burst = '';
    for (let k = 0; k < 5; k++) {
      const s = findShare(opr, prefixOf(nonce), 0x8000000000000000n, counter);
      counter = s.counter + 1;
      burst += submit(50 + k, 'u', 5, s.nonce, opr, s.target);
    }
    c.send(burst);
    const early = (await c.waitLines(base + 3)).slice(base).map((l) => JSON.parse(l));
    assert.deepEqual(early.map((m) => [m.id, m.error.code]), [[52, 29], [53, 29], [54, 29]]);
    release();
    const late = (await c.waitLines(base + 5)).slice(base + 3).map((l) => JSON.parse(l));
    assert.deepEqual(late.map((m) => [m.id, m.result]), [[50, true], [51, true]]);
    c.close();
  } finally {
    await f.close();
  }
});

test('validator back-pressure: busy raises the pool minimum, applied with the next job', async () => {
  const inner = smallValidator();
  const busy: ShareValidator & { openJobs: Set<number> } = { ...inner, openJobs: inner.openJobs, validate: async () => ({ valid: false, reason: 'busy', message: 'validation queue full' }) };
  const f = await startServer({ initialTarget: 0x8000000000000000n, vardiff: { minTarget: 0x8000000000000000n } }, { validator: busy });
  try {
    const opr = oprHashFor(6);
    f.server.setJob({ jobId: 6, oprHash: opr });
    const { c, nonce } = await ready(f);
    const s = findShare(opr, prefixOf(nonce), 0x8000000000000000n);
    c.send(submit(1, 'u', 6, s.nonce, opr, s.target));
    const r = JSON.parse(await c.line(c.lines.length));
    assert.deepEqual(r.error, { code: 28, message: 'ErrorBusy', data: 'validation queue full' });
    const raised = f.server.minimumTarget;
    assert.ok(raised > 0x8000000000000000n);
    const n = c.lines.length;
    f.server.setJob({ jobId: 7, oprHash: oprHashFor(7) });
    assert.deepEqual(JSON.parse(await c.line(n)).params, [raised.toString(16)]);
    // After a quiet minute the minimum eases back.
    f.clock.advance(61_000);
    f.server.sweep();
    assert.ok(f.server.minimumTarget < raised);
    c.close();
  } finally {
    await f.close();
  }
});

test('fan-out: every subscribed session gets the notify; a slow reader is skipped, then dropped', async () => {
  const f = await startServer({ skipWriteBufferBytes: 64 * 1024, dropWriteBufferBytes: 64 * 1024 * 1024 });
  try {
    f.server.setJob({ jobId: 1, oprHash: oprHashFor(1) });
    const fast = await Promise.all([0, 1, 2].map(() => ready(f)));
    const slow = await ready(f);
    const unsubscribed = await RawClient.connect(f.port);
    slow.c.socket.pause();
    const big = 'x'.repeat(60_000);
    for (let k = 0; k < 400 && inspectStratum(f.server).socketOf(slow.sessionId)!.writableLength < 128 * 1024; k++) {
      f.server.sendToSession(slow.sessionId, 'client.show_message', [big]);
      await new Promise((r) => setImmediate(r)); // let the socket's writes run
    }
    const before = fast.map((x) => x.c.lines.length);
    const r = f.server.setJob({ jobId: 2, oprHash: oprHashFor(2) });
    assert.equal(r.sessions, 5);
    assert.equal(r.sent, 3);
    assert.equal(r.skipped, 1);
    for (const [k, x] of fast.entries()) assert.deepEqual(JSON.parse(await x.c.line(before[k]!)).params, ['2', hex(oprHashFor(2)), '']);
    // Now with a drop limit below what is buffered: the slow session goes away.
    (f.server.config as { dropWriteBufferBytes: number }).dropWriteBufferBytes = 100 * 1024;
    const r2 = f.server.setJob({ jobId: 3, oprHash: oprHashFor(3) });
    assert.equal(r2.dropped, 1);
    assert.equal(f.server.sessionCount, 4);
    for (const x of fast) x.c.close();
    unsubscribed.close();
  } finally {
    await f.close();
  }
});
