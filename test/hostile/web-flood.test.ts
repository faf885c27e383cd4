/**
 * Abusive HTTP clients against the real uWebSockets.js server while an honest visitor keeps
 * getting answers: pipelining without reading, slowloris headers, endless bodies, many idle
 * connections.
 */
import { connect, type Socket } from 'node:net';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../web/helpers.js';
import { manualClock, seededPool } from '../web/fixtures.js';
import { sleep } from '../stratum/helpers/server.js';
import { openWs } from '../web/ws-client.js';
import type { MemoryWebData } from '../helpers/memory-web-data.js';

const clock = manualClock();
let srv: TestServer;
let data: MemoryWebData;
const MiB = 1024 * 1024;

before(async () => {
  ({ data } = await seededPool(clock.now));
  srv = await startTestServer(data, clock.now);
});
after(() => srv.close());

function raw(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: srv.server.port }, () => resolve(s));
    s.once('error', reject);
  });
}

/** The honest visitor: a normal request, answered in full while the attack goes on (a starved server would never answer it). */
async function honest(): Promise<void> {
  const r = await fetch(`${srv.base}/api/pool/blocks?limit=3`);
  assert.equal(r.status, 200);
  assert.equal(((await r.json()) as { data: unknown[] }).data.length, 3);
}

test('a client pipelining requests and never reading is closed; the process does not buffer its replies', async () => {
  const s = await raw();
  s.pause();
  s.on('error', () => {});
  const rss0 = process.memoryUsage().rss;
  // Each reply is ~35 KB; 5000 buffered replies would be ~170 MiB.
  const batch = 'GET /api/pool/rewards?limit=200 HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(100);
  let sent = 0;
  for (let i = 0; i < 50 && !s.destroyed; i++) {
    s.write(batch);
    sent += 100;
    await sleep(10);
    if (i % 10 === 0) await honest();
  }
  const until = Date.now() + 5000;
  while (!s.destroyed && Date.now() < until) await sleep(20);
  const grown = process.memoryUsage().rss - rss0;
  console.log(`# pipelining non-reader: closed=${s.destroyed} after ${sent} requests sent; rss delta ${(grown / MiB).toFixed(1)} MiB`);
  assert.ok(s.destroyed, 'the server closed the non-reading pipeliner');
  assert.ok(grown < 80 * MiB, `rss grew ${grown} bytes`);
  await honest();
});

test('a reader that pipelines a few requests and reads late still gets every reply whole', async () => {
  const s = await raw();
  s.pause();
  s.write('GET /api/pool/rewards?limit=200 HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(20));
  await sleep(200);
  const chunks: Buffer[] = [];
  s.on('data', (d: Buffer) => chunks.push(d));
  s.resume();
  let text = '';
  const until = Date.now() + 5000;
  for (;;) {
    text = Buffer.concat(chunks).toString();
    const bodies = [...text.matchAll(/content-length: (\d+)\r\n(?:[^\r\n]*\r\n)*?\r\n/gi)].filter((m) => text.length >= m.index! + m[0].length + Number(m[1]));
    if (bodies.length === 20 || Date.now() > until) {
      assert.equal(bodies.length, 20);
      for (const m of bodies) {
        const start = m.index! + m[0].length;
        assert.equal(JSON.parse(text.slice(start, start + Number(m[1]))).data.length, 200);
      }
      break;
    }
    await sleep(20);
  }
  s.destroy();
});

test('slowloris headers on many connections, an endless body and a thousand idle connections: the honest visitor is served', async () => {
  const sockets: Socket[] = [];
  try {
    for (let i = 0; i < 100; i++) {
      const s = await raw();
      s.on('error', () => {});
      sockets.push(s);
    }
    const header = 'GET /api/pool/stats HTTP/1.1\r\nHost: x\r\nX-Pad: ' + 'a'.repeat(200);
    for (let k = 0; k < 40; k++) {
      for (const s of sockets) if (!s.destroyed) s.write(header[k % header.length]!);
      await sleep(2);
      if (k % 10 === 0) await honest();
    }
    // A 40 MiB body (limit 16 KiB): answered 413 once it has arrived; the bytes are dropped, not kept.
    const body = await raw();
    body.on('error', () => {});
    const reply: Buffer[] = [];
    body.on('data', (d: Buffer) => reply.push(d));
    const rss0 = process.memoryUsage().rss;
    body.write(`POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${40 * MiB}\r\n\r\n`);
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    for (let i = 0; i < 160 && !body.destroyed; i++) {
      if (!body.write(chunk)) await new Promise((r) => body.once('drain', r));
      if (i % 40 === 0) await honest();
    }
    const until = Date.now() + 5000;
    while (!Buffer.concat(reply).toString().includes('\r\n\r\n') && Date.now() < until) await sleep(20);
    assert.match(Buffer.concat(reply).toString(), /^HTTP\/1\.1 413 /);
    const grown = process.memoryUsage().rss - rss0;
    assert.ok(grown < 64 * MiB, `40 MiB streamed in, rss grew ${(grown / MiB).toFixed(1)} MiB`);
    // A thousand idle connections from one address.
    const opening: Promise<Socket | null>[] = [];
    for (let i = 0; i < 1000; i++) opening.push(raw().then((s) => (s.on('error', () => {}), s)).catch(() => null));
    for (const s of await Promise.all(opening)) if (s) sockets.push(s);
    await honest();
  } finally {
    for (const s of sockets) s.destroy();
  }
});

test('live feed: a never-reading WebSocket and one sending oversized frames do not hold memory or starve a listening one', async () => {
  const upgrade = async () => {
    const s = await raw();
    s.on('error', () => {});
    s.write('GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    return s;
  };
  const deaf = await upgrade();
  deaf.pause();
  const loud = await upgrade();
  const good = await openWs(srv.server.port);
  try {
    assert.equal(((await good.next()) as { type: string }).type, 'hello');
    // A masked 100 KB text frame: far over the 1 KiB limit, the server closes that socket.
    const header = Buffer.from([0x81, 0xff, 0, 0, 0, 0, 0, 1, 0x86, 0xa0, 1, 2, 3, 4]);
    loud.write(Buffer.concat([header, Buffer.alloc(100_000, 0x41)]));
    const until = Date.now() + 5000;
    while (!loud.destroyed && Date.now() < until) {
      loud.resume();
      await sleep(20);
    }
    assert.ok(loud.destroyed, 'oversized frames close the socket');
    const rss0 = process.memoryUsage().rss;
    // 20,000 events of ~70 bytes: 1.4 MB the deaf socket never takes.
    for (let batch = 0; batch < 40; batch++) {
      for (let i = 0; i < 500; i++) {
        const n = batch * 500 + i;
        data.setJob({ jobId: 300_000 + n, height: 300_000 + n, startedAt: new Date(0) });
      }
      const last = String(300_000 + batch * 500 + 499);
      await good.nextMatching((m) => m.type === 'job' && m.jobId === last, 5000);
    }
    const grown = process.memoryUsage().rss - rss0;
    assert.ok(grown < 64 * MiB, `rss grew ${(grown / MiB).toFixed(1)} MiB`);
    await honest();
  } finally {
    good.close();
    deaf.destroy();
    loud.destroy();
  }
});
