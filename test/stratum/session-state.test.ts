// Issue 16, items 5 and 6: an authorize waiting for its password hash is answered even past the
// handshake timeout, and console `setnonce` moves the server's share-prefix check along.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StratumAuthorizer, StratumAuthRequest } from '../../src/stratum/auth.js';
import { runConsoleCommand } from '../../src/stratum/console.js';
import { findShare, hex, oprHashFor, prefixOf, RawClient, startServer, until } from './helpers/server.js';

/** An authorizer whose answer waits until the test releases it: a password hash as slow as we like. */
function heldAuthorizer(): StratumAuthorizer & { calls: StratumAuthRequest[]; release: () => void } {
  const calls: StratumAuthRequest[] = [];
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  return {
    calls,
    release: () => release(),
    async authorize(req) {
      calls.push(req);
      await released;
      return { ok: true, userId: `u-${req.username}` };
    },
  };
}

test('an authorize in flight outlives the handshake timeout and gets its answer; an idle handshake does not', async () => {
  const auth = heldAuthorizer();
  const f = await startServer({ handshakeTimeoutMs: 1000 }, { authorizer: auth });
  try {
    const waiting = await RawClient.connect(f.port);
    const idle = await RawClient.connect(f.port);
    waiting.send('{"id":1,"method":"mining.subscribe","params":["x"]}\n{"id":2,"method":"mining.authorize","params":["slow@example.com,rig","pw","",""]}\n');
    idle.send('{"id":1,"method":"mining.subscribe","params":["x"]}\n');
    await waiting.waitLines(2);
    await idle.waitLines(2);
    await until('the authorize to reach the authorizer', () => auth.calls.length === 1);
    f.clock.advance(5000);
    f.server.sweep();
    await idle.waitClose(60_000);
    assert.equal(f.server.sessionCount, 1, 'the session whose authorize is in flight stays');
    auth.release();
    const answer = await waiting.json(2, 60_000);
    assert.deepEqual(answer, { id: 2, result: true });
    // Authorized now: the handshake timeout no longer applies.
    f.server.sweep();
    assert.equal(f.server.sessionCount, 1);
    waiting.close();
  } finally {
    await f.close();
  }
});

test('console setnonce: the server checks the new prefix; shares of the job in flight with the old one still count, nobody is banned', async () => {
  const f = await startServer();
  try {
    const opr1 = oprHashFor(61);
    f.server.setJob({ jobId: 61, oprHash: opr1 });
    const c = await RawClient.connect(f.port);
    c.send('{"id":1,"method":"mining.subscribe","params":["x"]}\n{"id":2,"method":"mining.authorize","params":["nonce@example.com,rig","","",""]}\n');
    await c.waitLines(5); // subscribe reply, set_target, notify, authorize reply, welcome
    const { sessionId, nonce: oldNonce } = f.server.listSessions()[0]!;
    const newNonce = (oldNonce + 0x01000000) >>> 0;
    assert.equal(runConsoleCommand(f.server, `setnonce ${sessionId} ${newNonce}`), 'sent');
    const told = await c.json(5);
    assert.deepEqual([told.method, told.params], ['mining.set_nonce', [String(newNonce)]]);
    assert.equal(f.server.listSessions()[0]!.nonce, newNonce, 'the session lists its new nonce');
    let id = 10;
    let read = 6;
    const submit = async (opr: Uint8Array, job: number, prefix: Uint8Array, start: number) => {
      const share = findShare(opr, prefix, f.server.config.initialTarget, start);
      c.send(JSON.stringify({ id: id++, method: 'mining.submit', params: ['nonce@example.com', String(job), hex(share.nonce), hex(opr), share.target.toString(16)] }) + '\n');
      return { reply: await c.json(read++, 60_000), counter: share.counter };
    };
    // Job 61 was being mined when the nonce changed: both prefixes are ours for it.
    const a = await submit(opr1, 61, prefixOf(newNonce), 0);
    assert.equal(a.reply.result, true, JSON.stringify(a.reply));
    const b = await submit(opr1, 61, prefixOf(oldNonce), 0);
    assert.equal(b.reply.result, true, JSON.stringify(b.reply));
    // A job sent after the change: only the new prefix.
    const opr2 = oprHashFor(62);
    f.server.setJob({ jobId: 62, oprHash: opr2 });
    await c.waitLines(read + 1);
    read += 1;
    for (let k = 0, start = 0; k < 6; k++) {
      const r = await submit(opr2, 62, prefixOf(newNonce), start);
      assert.equal(r.reply.result, true, `share ${k} with the new prefix: ${JSON.stringify(r.reply)}`);
      start = r.counter + 1;
    }
    const stale = await submit(opr2, 62, prefixOf(oldNonce), 0);
    assert.equal(stale.reply.error.message, 'ErrorNonceNotOurs');
    assert.equal(f.server.isBanned('127.0.0.1'), false);
    assert.equal(f.sink.shares.length, 8);
    c.close();
  } finally {
    await f.close();
  }
});
