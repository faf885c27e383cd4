import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StratumAuthorizer } from '../../src/stratum/auth.js';
import { inspectStratum } from '../../src/stratum/inspect.js';
import { computeTarget, findShare, hex, oprHashFor, prefixOf, RawClient, startServer, type Fixture } from './helpers/server.js';

const AGENT = 'prosper/v0.4.1';

/** The original miner's pipelined handshake, byte for byte in shape. */
async function handshake(f: Fixture, user = 'alice@example.com', miner = 'rig1'): Promise<{ c: RawClient; nonce: number; read: number; sessionId: string }> {
  const c = await RawClient.connect(f.port);
  c.send(`{"id":1298498081,"method":"mining.subscribe","params":["${AGENT}"]}\n`);
  c.send(`{"id":2019727887,"method":"mining.authorize","params":["${user},${miner}","","",""]}\n`);
  const sub = await c.json(0);
  assert.equal(sub.id, 1298498081);
  assert.equal(sub.error, undefined, 'success replies omit error');
  const [n, t, s] = sub.result;
  assert.equal(n.type, 'mining.notify');
  assert.equal(t.type, 'mining.set_target');
  assert.equal(s.type, 'mining.set_nonce');
  assert.match(n.id, /^[0-9a-f]{32}$/);
  assert.match(s.id, /^\d+$/);
  let i = 1;
  const setTarget = await c.json(i++);
  assert.equal(setTarget.method, 'mining.set_target');
  assert.equal(setTarget.params[0], f.server.config.initialTarget.toString(16));
  if (f.server.currentJob) {
    const notify = await c.json(i++);
    assert.deepEqual(notify.params, [String(f.server.currentJob.jobId), f.server.currentJob.oprHashHex, '']);
  }
  assert.equal(await c.line(i++), '{"id":2019727887,"result":true}');
  const msg = await c.json(i++);
  assert.equal(msg.method, 'client.show_message');
  return { c, nonce: Number(s.id), read: i, sessionId: n.id };
}

function submitLine(id: number, user: string, job: number | string, nonce: string, opr: string, target: string): string {
  return JSON.stringify({ id, method: 'mining.submit', params: [user, String(job), nonce, opr, target] }) + '\n';
}

test('handshake as the original miner sends it; nonces are per connection; set_nonce id is decimal', async () => {
  const f = await startServer({ welcomeMessage: 'hi <miners> & co' });
  try {
    f.server.setJob({ jobId: 100, oprHash: oprHashFor(1) });
    const a = await handshake(f);
    const b = await handshake(f);
    assert.equal(b.nonce, (a.nonce + 1) >>> 0);
    // Go-escaped welcome message.
    assert.ok(a.c.lines[a.read - 1]!.includes('hi \\u003cminers\\u003e \\u0026 co'));
    const snap = f.server.listSessions().find((s) => s.sessionId === a.sessionId)!;
    assert.equal(snap.agent, AGENT);
    assert.equal(snap.username, 'alice@example.com');
    assert.equal(snap.minerId, 'rig1');
    assert.equal(snap.authorized, true);
    a.c.close();
    b.c.close();
  } finally {
    await f.close();
  }
});

test('authorize: bad layouts get InvalidParams; a refused user gets false with a reason and cannot submit', async () => {
  const refuse: StratumAuthorizer = { authorize: async (r) => (r.username === 'bob' ? { ok: true, userId: 'u-bob' } : { ok: false, reason: 'unknown user and no valid invite' }) };
  const f = await startServer({}, { authorizer: refuse });
  try {
    f.server.setJob({ jobId: 5, oprHash: oprHashFor(5) });
    const c = await RawClient.connect(f.port);
    c.send('{"id":1,"method":"mining.authorize","params":[]}\n');
    assert.equal((await c.json(0)).error.code, 32602);
    c.send('{"id":2,"method":"mining.authorize","params":["nominer"]}\n');
    assert.deepEqual((await c.json(1)).error, { code: 32602, message: 'ErrorInvalidParams', data: "authorize requires 'username,minerid'" });
    c.send('{"id":3,"method":"mining.subscribe","params":["x"]}\n');
    await c.waitLines(5); // reply, set_target, notify
    c.send('{"id":4,"method":"mining.authorize","params":["eve,m","pw","badinvite","FA..."]}\n');
    const denied = await c.json(5);
    assert.deepEqual(denied, { id: 4, result: false, error: { code: 24, message: 'ErrorUnauthorized', data: 'unknown user and no valid invite' } });
    const share = findShare(oprHashFor(5), prefixOf(f.server.listSessions()[0]!.nonce), 0n);
    c.send(submitLine(6, 'eve', 5, hex(share.nonce), hex(oprHashFor(5)), share.target.toString(16)));
    assert.equal((await c.json(6)).error.code, 24);
    assert.equal(f.sink.shares.length, 0, 'the original credited refused users; we do not');
    c.send('{"id":7,"method":"mining.authorize","params":["bob,m"]}\n');
    assert.equal(await c.line(7), '{"id":7,"result":true}');
    c.close();
  } finally {
    await f.close();
  }
});

test('submit: a good share is credited at the assigned difficulty; every rejection carries a code and reason', async () => {
  const f = await startServer({ initialTarget: 0xc000000000000000n });
  try {
    const opr = oprHashFor(7);
    f.server.setJob({ jobId: 7, oprHash: opr });
    const { c, nonce, read } = await handshake(f);
    const user = 'alice@example.com';
    const prefix = prefixOf(nonce);
    let i = read;
    const reply = async (line: string) => {
      c.send(line);
      return c.json(i++);
    };
    const good = findShare(opr, prefix, 0xc000000000000000n);
    assert.equal(await reply(submitLine(10, user, 7, hex(good.nonce), hex(opr), good.target.toString(16))).then(JSON.stringify), '{"id":10,"result":true}');
    assert.equal(f.sink.shares.length, 1);
    const s = f.sink.shares[0]!;
    assert.equal(s.assignedTarget, 0xc000000000000000n);
    assert.equal(Object.hasOwn(s, 'difficulty'), false, 'no difficulty on the hot path: credit reads the assigned target');
    assert.equal(s.target, good.target);
    assert.equal(s.username, user);

    const expectErr = async (line: string, code: number, data?: RegExp) => {
      const r = await reply(line);
      assert.equal(r.result, false, line);
      assert.equal(r.error.code, code, `${line} -> ${JSON.stringify(r)}`);
      if (data) assert.match(r.error.data, data);
    };
    // Duplicate, also in another hex case (decoded bytes compare).
    await expectErr(submitLine(11, user, 7, hex(good.nonce), hex(opr), good.target.toString(16)), 22);
    await expectErr(submitLine(12, user, 7, hex(good.nonce).toUpperCase(), hex(opr), good.target.toString(16)), 22);
    // Wrong username.
    await expectErr(submitLine(13, 'mallory', 7, hex(good.nonce), hex(opr), good.target.toString(16)), 32602, /username not as expected/);
    // Too few params, malformed hex, 0x target.
    await expectErr('{"id":14,"method":"mining.submit","params":["a","7"]}\n', 32602);
    await expectErr(submitLine(15, user, 7, 'xyz', hex(opr), 'ff'), 32602);
    await expectErr(submitLine(16, user, 7, hex(good.nonce), hex(opr), '0xff'), 32602);
    // Another connection's nonce prefix.
    const foreign = findShare(opr, prefixOf(nonce + 1000), 0xc000000000000000n);
    await expectErr(submitLine(17, user, 7, hex(foreign.nonce), hex(opr), foreign.target.toString(16)), 26);
    // Below the assigned target (claimed honestly).
    const low = (() => {
      for (let k = 0; ; k++) {
        const n = new Uint8Array([...prefix, 9, 9, k >> 8, k & 255]);
        const t = computeTarget(opr, n);
        if (t < 0xc000000000000000n) return { n, t };
      }
    })();
    await expectErr(submitLine(18, user, 7, hex(low.n), hex(opr), low.t.toString(16)), 23);
    // Claims a target it did not reach: the validator catches it.
    const liar = findShare(opr, prefix, 0xc000000000000000n, good.counter + 1);
    await expectErr(submitLine(19, user, 7, hex(liar.nonce), hex(opr), (liar.target + 1n).toString(16)), 27);
    // Unknown job / wrong hash.
    await expectErr(submitLine(20, user, 99, hex(good.nonce), hex(opr), good.target.toString(16)), 21, /unknown job/);
    await expectErr(submitLine(21, user, 7, hex(good.nonce), hex(oprHashFor(8)), good.target.toString(16)), 21);
    assert.equal(f.sink.shares.length, 1);
    assert.equal(f.server.listSessions()[0]!.rejected, 11);
    c.close();
  } finally {
    await f.close();
  }
});

test('stale jobs: previous job accepted during the grace window (also under the current id), then counted stale', async () => {
  const f = await startServer({ staleGraceMs: 5000 });
  try {
    const opr1 = oprHashFor(1);
    const opr2 = oprHashFor(2);
    f.server.setJob({ jobId: 1, oprHash: opr1 });
    const { c, nonce, read } = await handshake(f);
    const user = 'alice@example.com';
    const prefix = prefixOf(nonce);
    let i = read;
    f.server.setJob({ jobId: 2, oprHash: opr2 });
    const notify = await c.json(i++);
    assert.deepEqual(notify.params, ['2', hex(opr2), '']);
    const a = findShare(opr1, prefix, 0x8000000000000000n);
    c.send(submitLine(30, user, 1, hex(a.nonce), hex(opr1), a.target.toString(16)));
    assert.equal((await c.json(i++)).result, true);
    // The original miner names the current job while still hashing the previous one.
    const b = findShare(opr1, prefix, 0x8000000000000000n, a.counter + 1);
    c.send(submitLine(31, user, 2, hex(b.nonce), hex(opr1), b.target.toString(16)));
    assert.equal((await c.json(i++)).result, true);
    assert.deepEqual(f.sink.shares.map((s) => s.jobId), [1, 1]);
    f.clock.advance(5001);
    const d = findShare(opr1, prefix, 0x8000000000000000n, b.counter + 1);
    c.send(submitLine(32, user, 1, hex(d.nonce), hex(opr1), d.target.toString(16)));
    const stale = await c.json(i++);
    assert.equal(stale.error.code, 21);
    assert.equal(f.server.counters.stale, 1);
    assert.equal(f.validator.openJobs.has(1), false, 'the expired job was closed in the validator');
    c.close();
  } finally {
    await f.close();
  }
});

test('duplicates are caught across sessions on decoded bytes even when the session nonce repeats', async () => {
  // Sessions share a prefix only when the uint32 nonce counter wraps; force that here.
  const bytes = [0, 0, 0, 5];
  const f = await startServer();
  // Force both connections to get the same connection nonce by rewinding the counter.
  inspectStratum(f.server).nextNonce = 5;
  try {
    const opr = oprHashFor(3);
    f.server.setJob({ jobId: 3, oprHash: opr });
    const a = await handshake(f);
    inspectStratum(f.server).nextNonce = 5;
    const b = await handshake(f);
    assert.equal(a.nonce, 5);
    assert.equal(b.nonce, 5);
    const share = findShare(opr, Uint8Array.from(bytes), 0x8000000000000000n);
    a.c.send(submitLine(1, 'alice@example.com', 3, hex(share.nonce), hex(opr), share.target.toString(16)));
    assert.equal((await a.c.json(a.read)).result, true);
    b.c.send(submitLine(1, 'alice@example.com', 3, hex(share.nonce).toUpperCase(), hex(opr), share.target.toString(16)));
    assert.equal((await b.c.json(b.read)).error.code, 22);
    a.c.close();
    b.c.close();
  } finally {
    await f.close();
  }
});

test('get_oprhash returns the real job hash; suggest_target is answered and honoured within bounds', async () => {
  const f = await startServer({ vardiff: { minTarget: 0x4000000000000000n, maxTarget: 0xfff0000000000000n } });
  try {
    const c = await RawClient.connect(f.port);
    c.send('{"id":1,"method":"mining.subscribe","params":["x"]}\n');
    await c.waitLines(2);
    c.send('{"id":2,"method":"mining.suggest_target","params":["ffffff0000000000"]}\n');
    // Clamped to the pool's maximum and applied at once (no job sent yet).
    const st = await c.json(2);
    assert.deepEqual(st.params, ['fff0000000000000']);
    assert.equal(await c.line(3), '{"id":2,"result":true}');
    c.send('{"id":3,"method":"mining.suggest_target","params":["0x1"]}\n');
    assert.deepEqual((await c.json(4)).params, ['4000000000000000']);
    assert.equal(await c.line(5), '{"id":3,"result":true}');
    c.send('{"id":4,"method":"mining.suggest_target","params":[]}\n');
    assert.equal((await c.json(6)).error.code, 32602);
    c.send('{"id":5,"method":"mining.suggest_target","params":["a000000000000000"]}\n');
    assert.equal((await c.json(7)).method, 'mining.set_target');
    await c.waitLines(9);
    f.server.setJob({ jobId: 42, oprHash: oprHashFor(42) });
    const notify = await c.json(9);
    assert.equal(notify.method, 'mining.notify');
    assert.equal(f.server.listSessions()[0]!.target, 'a000000000000000');
    c.send('{"id":6,"method":"mining.get_oprhash","params":["42"]}\n');
    assert.equal(await c.line(10), `{"id":6,"result":"${hex(oprHashFor(42))}"}`);
    c.send('{"id":7,"method":"mining.get_oprhash","params":["41"]}\n');
    assert.equal((await c.json(11)).error.code, 21);
    c.close();
  } finally {
    await f.close();
  }
});

test('server to client: every method in the original envelope; get_version reply is surfaced', async () => {
  const f = await startServer();
  try {
    const { c, sessionId, read } = await handshake(f);
    let i = read;
    const expect = async (method: string, params: string[] | null) => {
      const m = await c.json(i++);
      assert.equal(m.method, method);
      assert.deepEqual(m.params, params);
      assert.ok(Number.isInteger(m.id) && m.id >= 0);
      return m;
    };
    assert.equal(f.server.sendToSession(sessionId, 'client.show_message', ['hello']), true);
    await expect('client.show_message', ['hello']);
    f.server.sendToSession(sessionId, 'mining.set_target', ['fffe000000000000']);
    await expect('mining.set_target', ['fffe000000000000']);
    f.server.sendToSession(sessionId, 'mining.set_nonce', ['77']);
    await expect('mining.set_nonce', ['77']);
    f.server.sendToSession(sessionId, 'mining.notify', ['9', hex(oprHashFor(9)), '']);
    await expect('mining.notify', ['9', hex(oprHashFor(9)), '']);
    f.server.sendToSession(sessionId, 'mining.stop_mining');
    await expect('mining.stop_mining', null);
    f.server.sendToSession(sessionId, 'client.reconnect', ['127.0.0.1', '1234', '5']);
    await expect('client.reconnect', ['127.0.0.1', '1234', '5']);
    const got = new Promise<unknown>((r) => f.server.once('response', (_sid, msg) => r(msg)));
    f.server.sendToSession(sessionId, 'client.get_version');
    const req = await expect('client.get_version', null);
    c.send(`{"id":${req.id},"result":"${AGENT}"}\n`);
    assert.deepEqual(await got, { kind: 'response', id: req.id, result: AGENT, error: null });
    assert.equal(f.server.sendToSession('nope', 'client.show_message', ['x']), false);
    assert.throws(() => f.server.sendToSession(sessionId, 'mining.set_target', ['zz']), /not a hex/);
    c.close();
  } finally {
    await f.close();
  }
});

test('submit before subscribe is refused; shares without a job say so', async () => {
  const f = await startServer();
  try {
    const c = await RawClient.connect(f.port);
    c.send(submitLine(1, 'a', 1, '00', hex(oprHashFor(1)), 'ff'));
    assert.equal((await c.json(0)).error.code, 25);
    c.close();
    const h = await handshake(f);
    h.c.send(submitLine(2, 'alice@example.com', 1, '0000000000', hex(oprHashFor(1)), 'ff'));
    const r = await h.c.json(h.read);
    assert.equal(r.error.code, 21);
    assert.equal(r.error.data, 'no job yet');
    h.c.close();
  } finally {
    await f.close();
  }
});

test('a share is acknowledged only once its credit is durable; a failed credit is not acknowledged', async () => {
  const f = await startServer({ initialTarget: 0xc000000000000000n });
  const pending: { resolve: () => void; reject: (e: Error) => void }[] = [];
  // The engine's sink resolves when the ledger has committed the share's batch.
  inspectStratum(f.server).sink = {
    accept: () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })),
  };
  try {
    const opr = oprHashFor(9);
    f.server.setJob({ jobId: 9, oprHash: opr });
    const { c, nonce, read } = await handshake(f);
    const user = 'alice@example.com';
    const first = findShare(opr, prefixOf(nonce), 0xc000000000000000n);
    c.send(submitLine(40, user, 9, hex(first.nonce), hex(opr), first.target.toString(16)));
    await assert.rejects(c.line(read, 300), 'no answer while the credit is not durable');
    assert.equal(pending.length, 1);
    pending[0]!.resolve();
    assert.equal(await c.line(read), '{"id":40,"result":true}');
    const second = findShare(opr, prefixOf(nonce), 0xc000000000000000n, first.counter + 1);
    c.send(submitLine(41, user, 9, hex(second.nonce), hex(opr), second.target.toString(16)));
    while (pending.length < 2) await new Promise((r) => setTimeout(r, 10));
    pending[1]!.reject(new Error('database down and no spool'));
    const r = await c.json(read + 1);
    assert.equal(r.result, false);
    assert.equal(r.error.code, 32603);
    assert.match(r.error.data, /could not record the share/);
    c.close();
  } finally {
    await f.close();
  }
});

test('stopMining tells every subscribed miner to stop', async () => {
  const f = await startServer();
  try {
    f.server.setJob({ jobId: 3, oprHash: oprHashFor(3) });
    const a = await handshake(f, 'a@example.com');
    const b = await handshake(f, 'b@example.com');
    const idle = await RawClient.connect(f.port); // connected, never subscribed
    assert.equal(f.server.stopMining(), 2);
    for (const s of [a, b]) {
      const msg = await s.c.json(s.read);
      assert.equal(msg.method, 'mining.stop_mining');
      assert.equal(msg.params, null);
    }
    await assert.rejects(idle.line(0, 200));
    for (const s of [a, b]) s.c.close();
    idle.close();
  } finally {
    await f.close();
  }
});
