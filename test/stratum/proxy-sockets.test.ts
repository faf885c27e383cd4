import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { inspectStratum } from '../../src/stratum/inspect.js';
import { V2_SIGNATURE } from '../../src/stratum/proxy-protocol.js';
import { memoryLog } from '../helpers/memory-log.js';
import { makeTestCert } from '../helpers/tls-cert.js';
import { RawClient, startServer, until, type Fixture } from './helpers/server.js';

const SUBSCRIBE = '{"id":1,"method":"mining.subscribe","params":["proxy-test/1"]}\n';

/** Connects, sends `prefix` (a PROXY header or nothing) and a subscribe; resolves once connected. */
async function viaProxy(port: number, prefix: string | Buffer, body = SUBSCRIBE): Promise<RawClient> {
  const c = await RawClient.connect(port);
  c.socket.write(Buffer.concat([Buffer.isBuffer(prefix) ? prefix : Buffer.from(prefix, 'latin1'), Buffer.from(body)]));
  return c;
}

/** The session list's addresses, sorted. */
const ips = (f: Fixture) => f.server.listSessions().map((s) => s.ip).sort();

function v2Inet4(src: [number, number, number, number], command = 1): Buffer {
  const b = Buffer.alloc(16 + 12);
  V2_SIGNATURE.copy(b);
  b[12] = 0x20 | command;
  b[13] = 0x11;
  b.writeUInt16BE(12, 14);
  b.set(src, 16);
  b.set([127, 0, 0, 1], 20);
  b.writeUInt16BE(40000, 24);
  b.writeUInt16BE(1234, 26);
  return b;
}

describe('PROXY protocol on real sockets', () => {
  it('optional: a trusted header gives the forwarded address, a plain connection keeps its own', async () => {
    const f = await startServer({ proxyProtocol: 'optional', trustedProxies: ['127.0.0.0/8', '::1'] });
    try {
      const a = await viaProxy(f.port, 'PROXY TCP4 203.0.113.5 127.0.0.1 50000 1234\r\n');
      const b = await viaProxy(f.port, '');
      const c = await viaProxy(f.port, v2Inet4([198, 51, 100, 77]));
      const d = await viaProxy(f.port, v2Inet4([198, 51, 100, 78], 0));
      for (const x of [a, b, c, d]) assert.equal((await x.json(0)).id, 1, 'subscribe answered');
      assert.deepEqual(ips(f), ['127.0.0.1', '127.0.0.1', '198.51.100.77', '203.0.113.5'], 'LOCAL keeps the connection address');
      for (const x of [a, b, c, d]) x.close();
    } finally {
      await f.close();
    }
  });

  it('a header split across TCP chunks (one byte at a time) is read whole', async () => {
    const f = await startServer({ proxyProtocol: 'required', trustedProxies: ['127.0.0.1'] });
    try {
      const c = await RawClient.connect(f.port);
      c.socket.setNoDelay(true);
      const bytes = Buffer.concat([v2Inet4([192, 0, 2, 44]), Buffer.from(SUBSCRIBE)]);
      for (const byte of bytes) {
        c.socket.write(Buffer.from([byte]));
        await new Promise((r) => setImmediate(r));
      }
      assert.equal((await c.json(0)).id, 1);
      assert.deepEqual(ips(f), ['192.0.2.44']);
      c.close();
    } finally {
      await f.close();
    }
  });

  it('per-IP limits and bans apply to the forwarded address', async () => {
    const f = await startServer({ proxyProtocol: 'required', trustedProxies: ['127.0.0.1'], maxConnectionsPerIp: 2 });
    try {
      const hdr = (ip: string) => `PROXY TCP4 ${ip} 127.0.0.1 50000 1234\r\n`;
      const first = [await viaProxy(f.port, hdr('198.51.100.1')), await viaProxy(f.port, hdr('198.51.100.1'))];
      for (const x of first) await x.json(0);
      const third = await viaProxy(f.port, hdr('198.51.100.1'));
      await third.waitClose();
      assert.equal(f.server.counters.refused, 1);
      const other = await viaProxy(f.port, hdr('198.51.100.2'));
      await other.json(0);
      // Garbage from one forwarded address bans that address only.
      for (let i = 0; i < 6 && !other.closed; i++) other.socket.write('not json\n');
      await other.waitClose();
      assert.equal(f.server.isBanned('198.51.100.2'), true);
      assert.equal(f.server.isBanned('127.0.0.1'), false, 'the proxy itself is not banned');
      const again = await viaProxy(f.port, hdr('198.51.100.2'));
      await again.waitClose();
      for (const x of first) assert.equal(x.closed, false, 'the other address keeps its sessions');
      assert.deepEqual(ips(f), ['198.51.100.1', '198.51.100.1']);
      for (const x of first) x.close();
    } finally {
      await f.close();
    }
  });

  it('required: no header, a header from an untrusted address, or a malformed header is refused, counted and logged', async () => {
    const log = memoryLog();
    const f = await startServer({ proxyProtocol: 'required', trustedProxies: ['127.0.0.1'] }, { logger: log.logger });
    const g = await startServer({ proxyProtocol: 'optional', trustedProxies: ['10.0.0.0/8'] }, { logger: log.logger });
    try {
      const refusedWith = async (fx: Fixture, prefix: string | Buffer, code: string) => {
        const before = fx.server.counters.refused;
        const c = await viaProxy(fx.port, prefix);
        await c.waitClose();
        assert.equal(c.lines.length, 0, 'nothing answered');
        await until(`${code} logged`, () => log.lines.some((l) => l.code === code));
        assert.equal(fx.server.counters.refused, before + 1);
        log.lines.length = 0;
      };
      await refusedWith(f, '', 'PROSPER_E_STRATUM_PROXY_MISSING');
      await refusedWith(f, 'PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n', 'PROSPER_E_STRATUM_PROXY_HEADER');
      await refusedWith(f, 'PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n', 'PROSPER_E_STRATUM_PROXY_HEADER');
      await refusedWith(f, `PROXY ${'x'.repeat(200)}`, 'PROSPER_E_STRATUM_PROXY_HEADER');
      const oversize = v2Inet4([1, 2, 3, 4]);
      oversize.writeUInt16BE(0xffff, 14);
      await refusedWith(f, oversize, 'PROSPER_E_STRATUM_PROXY_HEADER');
      await refusedWith(g, 'PROXY TCP4 1.2.3.4 127.0.0.1 1 2\r\n', 'PROSPER_E_STRATUM_PROXY_UNTRUSTED');
      await refusedWith(g, v2Inet4([1, 2, 3, 4]), 'PROSPER_E_STRATUM_PROXY_UNTRUSTED');
      // The untrusted address may still connect without a header (optional), and the servers still serve.
      const plain = await viaProxy(g.port, '');
      assert.equal((await plain.json(0)).id, 1);
      assert.deepEqual(ips(g), ['127.0.0.1']);
      const ok = await viaProxy(f.port, 'PROXY TCP6 2001:db8::9 ::1 1 2\r\n');
      assert.equal((await ok.json(0)).id, 1);
      assert.deepEqual(ips(f), ['2001:db8::9']);
      plain.close();
      ok.close();
    } finally {
      await f.close();
      await g.close();
    }
  });

  it('a truncated header that never completes is closed by the handshake timeout', async () => {
    const f = await startServer({ proxyProtocol: 'required', trustedProxies: ['127.0.0.1'], handshakeTimeoutMs: 300 });
    try {
      const c = await viaProxy(f.port, V2_SIGNATURE.subarray(0, 10), '');
      await c.waitClose();
      assert.equal(f.server.sessionCount, 0);
    } finally {
      await f.close();
    }
  });

  it('closing the server closes connections still waiting for their header', async () => {
    const f = await startServer({ proxyProtocol: 'required', trustedProxies: ['127.0.0.1'], handshakeTimeoutMs: 3_600_000 });
    const c = await viaProxy(f.port, 'PROXY TCP4 1.2', '');
    await until('the header bytes are sent', () => c.socket.bytesWritten > 0 && !c.closed);
    await f.close();
    await c.waitClose();
  });

  it('the TLS port reads the PROXY header before the TLS handshake', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prosper-proxy-tls-'));
    const { cert, key } = makeTestCert(dir);
    const f = await startServer({ proxyProtocol: 'required', trustedProxies: ['127.0.0.1'], tls: { port: 0, cert, key } });
    try {
      const tlsPort = inspectStratum(f.server).tlsPort!;
      const raw = netConnect({ host: '127.0.0.1', port: tlsPort });
      await new Promise((r) => raw.once('connect', r));
      raw.write('PROXY TCP4 203.0.113.99 127.0.0.1 1 2\r\n');
      const s = tlsConnect({ socket: raw, servername: 'localhost', ca: cert });
      await new Promise((r, j) => s.once('secureConnect', r).once('error', j));
      s.write(SUBSCRIBE);
      const line = await new Promise<string>((r) => s.once('data', (d) => r(String(d))));
      assert.equal(JSON.parse(line.split('\n')[0]!).id, 1);
      assert.deepEqual(ips(f), ['203.0.113.99']);
      s.destroy();
    } finally {
      await f.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
