/**
 * Floods and abusive clients against a real StratumServer while an honest miner (127.0.0.2)
 * keeps getting real shares accepted: a million ignored lines plus 100k answered ones,
 * slowloris, never-reading clients, one IP opening a thousand connections, share replay across
 * sessions, and submits that were never authorized.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StratumAuthorizer } from '../../src/stratum/auth.js';
import { inspectStratum } from '../../src/stratum/inspect.js';
import { findShare, hex, prefixOf, sleep, startServer, type Fixture, type RawClient } from '../stratum/helpers/server.js';
import { assertOnlyRealShares, connectFrom, heapUsed, HonestMiner, JOB_ID, OPR, serverMaps, waitFor } from './helpers.js';

async function server(config = {}, authorizer?: StratumAuthorizer): Promise<Fixture> {
  const f = await startServer(config, { authorizer });
  f.server.setJob({ jobId: JOB_ID, oprHash: OPR });
  return f;
}

const MiB = 1024 * 1024;

/** Writes `total` copies of `line` in chunks, respecting the client's own back-pressure. */
async function pump(c: RawClient, line: string, total: number, perChunk: number, between?: (sent: number) => Promise<void>): Promise<void> {
  const chunk = line.repeat(perChunk);
  for (let sent = 0; sent < total; sent += perChunk) {
    if (!c.socket.write(chunk)) await new Promise((r) => c.socket.once('drain', r));
    if (between) await between(sent + perChunk);
  }
}

test('a million ignored lines and 100k answered requests on one connection: all processed, honest miner served, heap bounded', async () => {
  const f = await server();
  const honest = await HonestMiner.start(f.port);
  const c = await connectFrom(f.port, '127.0.0.3');
  try {
    const heapBefore = heapUsed();
    const started = Date.now();
    let responses = 0;
    f.server.on('response', () => void (responses += 1));
    // 1,000,000 response-shaped lines (the server takes them as replies and sends nothing back).
    const MILLION = 1_000_000;
    await pump(c, '{"id":1,"result":null}\n', MILLION, 20_000, async (sent) => {
      if (sent % 200_000 === 0) await honest.check();
    });
    await waitFor(() => responses >= MILLION, 120_000, 'a million lines processed');
    // 100,000 requests that are answered; the client keeps at most ~20k replies outstanding.
    const ANSWERED = 100_000;
    const line = `{"id":3,"method":"mining.get_oprhash","params":["${JOB_ID}"]}\n`;
    await pump(c, line, ANSWERED, 5_000, async (sent) => {
      await waitFor(() => c.lines.length >= sent - 20_000 || c.closed, 120_000, 'replies keep up');
      if (sent % 25_000 === 0) await honest.check();
    });
    await waitFor(() => c.lines.length >= ANSWERED, 120_000, 'all replies');
    assert.ok(!c.closed);
    assert.equal(c.lines.length, ANSWERED);
    assert.equal(c.lines[ANSWERED - 1], `{"id":3,"result":"${hex(OPR)}"}`);
    const ms = Date.now() - started;
    c.lines.length = 0;
    await honest.check();
    const grown = heapUsed() - heapBefore;
    console.log(`# ${MILLION} ignored + ${ANSWERED} answered lines in ${ms} ms; heap delta ${(grown / MiB).toFixed(1)} MiB; honest shares ${honest.accepted}`);
    assert.ok(grown < 64 * MiB, `heap grew ${grown} bytes`);
  } finally {
    c.close();
    honest.close();
    await f.close();
  }
});

test('slowloris: byte-at-a-time lines still parse; clients that never finish a line are timed out, never buffered past the cap', async () => {
  const f = await server({ handshakeTimeoutMs: 30_000 });
  const honest = await HonestMiner.start(f.port);
  try {
    // A byte at a time, a whole request eventually arrives and is answered.
    const slow = await connectFrom(f.port, '127.0.0.4');
    const req = '{"id":42,"method":"mining.subscribe","params":["slow"]}\n';
    for (const ch of req) {
      slow.send(ch);
      await sleep(1);
    }
    assert.equal((await slow.json(0, 5000)).id, 42);

    // Twenty clients drip bytes of a line that never ends.
    const drips: RawClient[] = [];
    for (let i = 0; i < 20; i++) drips.push(await connectFrom(f.port, '127.0.0.5'));
    const splitters = () => inspectStratum(f.server).sessionCount;
    for (let round = 0; round < 50; round++) {
      for (const d of drips) d.send('{');
      await sleep(2);
      if (round % 10 === 0) await honest.check();
    }
    assert.equal(splitters(), 20 + 2, 'drippers, the slow client and the honest miner are all held');
    // The handshake timeout closes everyone who did not finish subscribe + authorize.
    f.clock.advance(30_000);
    f.server.sweep();
    for (const d of drips) await d.waitClose(120_000);
    await slow.waitClose(120_000);
    await honest.check();
    assert.deepEqual(serverMaps(f.server), { sessions: 1, ips: 1 });

    // A dripper cannot exceed the line cap either: past 4096 bytes it is dropped.
    const long = await connectFrom(f.port, '127.0.0.6');
    for (let i = 0; i < 5; i++) {
      long.send('z'.repeat(1000));
      await sleep(2);
    }
    await long.waitClose(120_000);
    await honest.check();
  } finally {
    honest.close();
    await f.close();
  }
});

test('never-reading clients: replies pile up only to the drop limit, then the session is dropped; the honest miner is unaffected', async () => {
  const f = await server({ dropWriteBufferBytes: 256 * 1024 });
  const honest = await HonestMiner.start(f.port);
  try {
    const heapBefore = heapUsed();
    const deaf: RawClient[] = [];
    for (let i = 0; i < 4; i++) {
      const c = await connectFrom(f.port, '127.0.0.7');
      c.socket.pause(); // never reads: the kernel buffers fill, then the server's.
      deaf.push(c);
    }
    const dropped = new Set<string>();
    f.server.on('disconnect', (id: string) => dropped.add(id));
    const line = `{"id":9,"method":"mining.get_oprhash","params":["${JOB_ID}"]}\n`.repeat(2000);
    // ~100 bytes of reply per request: 400k requests each is far beyond socket buffers + 256 KiB.
    for (let k = 0; k < 200 && dropped.size < deaf.length; k++) {
      for (const c of deaf) if (!c.socket.destroyed) c.socket.write(line);
      await sleep(5);
      if (k % 40 === 0) await honest.check();
    }
    await waitFor(() => dropped.size === deaf.length, 120_000, 'never-reading sessions dropped');
    await honest.check();
    assert.deepEqual(serverMaps(f.server), { sessions: 1, ips: 1 });
    const grown = heapUsed() - heapBefore;
    console.log(`# never-reading: ${deaf.length} dropped; heap delta ${(grown / MiB).toFixed(1)} MiB`);
    assert.ok(grown < 64 * MiB, `heap grew ${grown} bytes`);
    for (const c of deaf) c.close();
  } finally {
    honest.close();
    await f.close();
  }
});

test('one IP opening a thousand connections holds at most the per-IP limit; others still connect; all state is released', async () => {
  const f = await server(); // default per-IP limit (256)
  const honest = await HonestMiner.start(f.port);
  const limit = f.server.config.maxConnectionsPerIp;
  const clients: RawClient[] = [];
  try {
    const opening: Promise<RawClient | null>[] = [];
    for (let i = 0; i < 1000; i++) opening.push(connectFrom(f.port, '127.0.0.8').catch(() => null));
    for (const c of await Promise.all(opening)) if (c) clients.push(c);
    await waitFor(() => f.server.counters.refused >= 1000 - limit, 120_000, 'refusals');
    assert.equal(f.server.sessionCount, limit + 1);
    assert.equal(f.server.counters.refused, 1000 - limit);
    await honest.check();
    // Another address is not limited by the flood.
    const other = await connectFrom(f.port, '127.0.0.9');
    other.send('{"id":1,"method":"mining.subscribe","params":["x"]}\n');
    assert.equal((await other.json(0)).id, 1);
    other.close();
    for (const c of clients) c.close();
    await waitFor(() => f.server.sessionCount === 1, 120_000, 'flood sessions released');
    assert.deepEqual(serverMaps(f.server), { sessions: 1, ips: 1 });
    await honest.check();
  } finally {
    for (const c of clients) c.close();
    honest.close();
    await f.close();
  }
});

test('share replay: a share accepted on one session is refused on every other session, after a reconnect and after the job moves on', async () => {
  const f = await server();
  const honest = await HonestMiner.start(f.port);
  const extra: HonestMiner[] = [];
  try {
    const a = await HonestMiner.start(f.port, 'alice@example.com', '127.0.0.10');
    extra.push(a);
    const share = findShare(OPR, prefixOf(a.nonce), 0x8000000000000000n);
    const submit = (id: number, user: string) => JSON.stringify({ id, method: 'mining.submit', params: [user, String(JOB_ID), hex(share.nonce), hex(OPR), share.target.toString(16)] }) + '\n';
    const replyTo = async (c: RawClient, id: number) => {
      await waitFor(() => c.lines.some((l) => l.startsWith(`{"id":${id},`)), 120_000, `reply ${id}`);
      return JSON.parse(c.lines.find((l) => l.startsWith(`{"id":${id},`))!);
    };
    a.c.send(submit(500, 'alice@example.com'));
    assert.equal((await replyTo(a.c, 500)).result, true);
    // Same session again, in upper case: duplicate.
    a.c.send(submit(501, 'alice@example.com').replace(hex(share.nonce), hex(share.nonce).toUpperCase()));
    assert.equal((await replyTo(a.c, 501)).error.code, 22);
    // Another user's session, another address: the nonce prefix is not theirs.
    const m = await HonestMiner.start(f.port, 'mallory@example.com', '127.0.0.11');
    extra.push(m);
    m.c.send(submit(502, 'mallory@example.com'));
    assert.equal((await replyTo(m.c, 502)).error.code, 26);
    // Alice reconnects: a new session gets a new nonce prefix, so her old share is not hers any more.
    a.close();
    const a2 = await HonestMiner.start(f.port, 'alice@example.com', '127.0.0.10');
    extra.push(a2);
    assert.notEqual(a2.nonce, a.nonce);
    a2.c.send(submit(503, 'alice@example.com'));
    assert.equal((await replyTo(a2.c, 503)).error.code, 26);
    // Forced onto the same connection nonce (the uint32 counter wrapped), it is a duplicate.
    inspectStratum(f.server).nextNonce = a.nonce;
    const a3 = await HonestMiner.start(f.port, 'alice@example.com', '127.0.0.12');
    extra.push(a3);
    assert.equal(a3.nonce, a.nonce);
    a3.c.send(submit(504, 'alice@example.com'));
    assert.equal((await replyTo(a3.c, 504)).error.code, 22);
    // A new job: the old job's share is stale once the grace window passes, never credited twice.
    await honest.check();
    f.server.setJob({ jobId: JOB_ID + 1, oprHash: new Uint8Array(32).fill(9) });
    f.clock.advance(f.server.config.staleGraceMs + 1);
    f.server.sweep();
    a3.c.send(submit(505, 'alice@example.com'));
    assert.equal((await replyTo(a3.c, 505)).error.code, 21);
    const credited = f.sink.shares.filter((s) => hex(s.nonce) === hex(share.nonce));
    assert.equal(credited.length, 1, 'the share is credited exactly once');
    assertOnlyRealShares(f.sink.shares);
  } finally {
    for (const e of extra) e.close();
    honest.close();
    await f.close();
  }
});

test('unauthorized submit: before authorize, after a refused authorize, and under another user name: refused, nothing credited; bans reach only the abuser', async () => {
  const refuseMallory: StratumAuthorizer = {
    async authorize(req) {
      return req.username.startsWith('mallory') ? { ok: false, reason: 'unknown user; registering needs an invite code' } : { ok: true, userId: req.username };
    },
  };
  const f = await server({ bans: { threshold: 100 } }, refuseMallory);
  const honest = await HonestMiner.start(f.port);
  try {
    const c = await connectFrom(f.port, '127.0.0.13');
    c.send('{"id":1,"method":"mining.subscribe","params":["m"]}\n');
    const nonce = Number((await c.json(0)).result[2].id);
    const share = findShare(OPR, prefixOf(nonce), 0x8000000000000000n);
    const submit = (id: number, user: string) => JSON.stringify({ id, method: 'mining.submit', params: [user, String(JOB_ID), hex(share.nonce), hex(OPR), share.target.toString(16)] }) + '\n';
    const replyTo = async (id: number) => {
      await waitFor(() => c.lines.some((l) => l.startsWith(`{"id":${id},`)), 120_000, `reply ${id}`);
      return JSON.parse(c.lines.find((l) => l.startsWith(`{"id":${id},`))!);
    };
    c.send(submit(2, 'mallory@example.com'));
    assert.equal((await replyTo(2)).error.code, 24);
    c.send('{"id":3,"method":"mining.authorize","params":["mallory@example.com,rig","pw","",""]}\n');
    assert.equal((await replyTo(3)).error.code, 24);
    c.send(submit(4, 'mallory@example.com'));
    assert.equal((await replyTo(4)).error.code, 24);
    // Claiming the honest miner's name on this connection does not authorize it either.
    c.send(submit(5, 'honest@example.com'));
    assert.equal((await replyTo(5)).error.code, 24);
    assert.equal(f.sink.shares.length, 0);
    // Keep trying: the ban score closes this IP, the honest miner keeps mining.
    for (let i = 6; i < 40 && !c.closed; i++) c.send(submit(i, 'mallory@example.com'));
    await c.waitClose(120_000);
    assert.ok(f.server.isBanned('127.0.0.13'));
    const again = await connectFrom(f.port, '127.0.0.13');
    await again.waitClose(120_000);
    await honest.check();
    assert.equal(f.sink.shares.length, 1);
    assert.equal(f.sink.shares[0]!.username, 'honest@example.com');
  } finally {
    honest.close();
    await f.close();
  }
});
