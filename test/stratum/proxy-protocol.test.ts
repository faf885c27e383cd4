import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseProxyHeader, V2_MAX_PAYLOAD_BYTES, V2_SIGNATURE, type ProxyParse } from '../../src/stratum/proxy-protocol.js';
import { trustList, isTrusted } from '../../src/stratum/proxy-gate.js';

const ascii = (s: string) => Buffer.from(s, 'latin1');

/** A v2 header: signature, version/command, family/transport, length, then `body`. */
function v2(command: number, famProto: number, body: Buffer, lengthOverride?: number): Buffer {
  const fixed = Buffer.alloc(4);
  fixed[0] = 0x20 | command;
  fixed[1] = famProto;
  fixed.writeUInt16BE(lengthOverride ?? body.length, 2);
  return Buffer.concat([V2_SIGNATURE, fixed, body]);
}

function inet4(src: number[], dst: number[], sport: number, dport: number): Buffer {
  const b = Buffer.alloc(12);
  b.set(src, 0);
  b.set(dst, 4);
  b.writeUInt16BE(sport, 8);
  b.writeUInt16BE(dport, 10);
  return b;
}

function inet6(src: string, dst: string, sport: number, dport: number): Buffer {
  const words = (a: string) => {
    const [head, tail] = a.split('::') as [string, string?];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    const b = Buffer.alloc(16);
    all.forEach((w, i) => b.writeUInt16BE(parseInt(w, 16), i * 2));
    return b;
  };
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(sport, 0);
  ports.writeUInt16BE(dport, 2);
  return Buffer.concat([words(src), words(dst), ports]);
}

const header = (r: ProxyParse) => {
  assert.equal(r.kind, 'header', JSON.stringify(r));
  return r as Extract<ProxyParse, { kind: 'header' }>;
};
const invalid = (r: ProxyParse, reason: RegExp) => {
  assert.equal(r.kind, 'invalid', JSON.stringify(r));
  assert.match((r as { reason: string }).reason, reason);
};

describe('PROXY protocol v1', () => {
  it('reads TCP4 and TCP6 lines and says how many bytes the header took', () => {
    const line = 'PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n';
    const h = header(parseProxyHeader(ascii(line + '{"id":1}\n')));
    assert.deepEqual(h, { kind: 'header', version: 1, consumed: line.length, source: { address: '192.168.0.1', port: 56324 } });
    const h6 = header(parseProxyHeader(ascii('PROXY TCP6 2001:db8::1 2001:db8::2 65535 1234\r\n')));
    assert.deepEqual(h6.source, { address: '2001:db8::1', port: 65535 });
  });
  it('UNKNOWN keeps the connection address, whatever follows on the line', () => {
    assert.equal(header(parseProxyHeader(ascii('PROXY UNKNOWN\r\n'))).source, null);
    const line = 'PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n';
    assert.equal(header(parseProxyHeader(ascii(line + 'x'))).consumed, line.length);
  });
  it('needs more bytes until the CRLF, at every split point', () => {
    const line = ascii('PROXY TCP4 10.1.2.3 10.0.0.1 4000 1234\r\n');
    for (let n = 1; n < line.length; n++) assert.equal(parseProxyHeader(line.subarray(0, n)).kind, 'incomplete', `after ${n} bytes`);
    assert.equal(parseProxyHeader(line).kind, 'header');
  });
  it('refuses malformed lines', () => {
    invalid(parseProxyHeader(ascii(`PROXY TCP4 ${'1'.repeat(120)}`)), /longer than 107/);
    invalid(parseProxyHeader(ascii('PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n')), /CRLF/);
    invalid(parseProxyHeader(ascii('PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n')), /unknown protocol family/);
    invalid(parseProxyHeader(ascii('PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n')), /four fields/);
    invalid(parseProxyHeader(ascii('PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n')), /four fields/);
    invalid(parseProxyHeader(ascii('PROXY TCP4 2001:db8::1 5.6.7.8 1 2\r\n')), /not TCP4/);
    invalid(parseProxyHeader(ascii('PROXY TCP6 1.2.3.4 2001:db8::1 1 2\r\n')), /not TCP6/);
    invalid(parseProxyHeader(ascii('PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n')), /not TCP4/);
    invalid(parseProxyHeader(ascii('PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n')), /ports/);
    invalid(parseProxyHeader(ascii('PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n')), /ports/);
    invalid(parseProxyHeader(ascii('PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n')), /ports/);
    invalid(parseProxyHeader(Buffer.concat([ascii('PROXY TCP4 1.2.3.4 5.6.7.8 1 '), Buffer.from([0xc3, 0x28]), ascii('\r\n')])), /non-ASCII/);
    invalid(parseProxyHeader(ascii('PROXY TCP4 1.2.3.4\x005.6.7.8 1 2\r\n')), /control/);
  });
  it('says "absent" for a Stratum line or a TLS ClientHello', () => {
    assert.equal(parseProxyHeader(ascii('{"id":1,"method":"mining.subscribe"}\n')).kind, 'absent');
    assert.equal(parseProxyHeader(Buffer.from([0x16, 0x03, 0x01])).kind, 'absent');
    assert.equal(parseProxyHeader(ascii('PRO')).kind, 'incomplete');
    assert.equal(parseProxyHeader(ascii('PROXZ')).kind, 'absent');
    assert.equal(parseProxyHeader(Buffer.alloc(0)).kind, 'incomplete');
  });
});

describe('PROXY protocol v2', () => {
  it('reads PROXY over TCP/IPv4 and TCP/IPv6, skipping TLVs', () => {
    const h4 = header(parseProxyHeader(Buffer.concat([v2(1, 0x11, inet4([203, 0, 113, 7], [10, 0, 0, 1], 51000, 1234)), ascii('{"id":1}\n')])));
    assert.deepEqual(h4, { kind: 'header', version: 2, consumed: 28, source: { address: '203.0.113.7', port: 51000 } });
    const tlv = Buffer.from([0x04, 0x00, 0x03, 0x61, 0x62, 0x63]); // a NOOP TLV of three bytes
    const h6 = header(parseProxyHeader(v2(1, 0x21, Buffer.concat([inet6('2001:db8::42', '2001:db8::1', 40000, 1234), tlv]))));
    assert.deepEqual(h6.source, { address: '2001:db8::42', port: 40000 });
    assert.equal(h6.consumed, 16 + 36 + tlv.length);
    assert.equal(header(parseProxyHeader(v2(1, 0x21, inet6('::ffff:c633:6409', '::1', 1, 2)))).source!.address, '198.51.100.9');
    assert.equal(header(parseProxyHeader(v2(1, 0x21, inet6('fe80:0:0:1::', '::1', 1, 2)))).source!.address, 'fe80:0:0:1::');
  });
  it('LOCAL, UNSPEC and UNIX keep the connection address', () => {
    assert.equal(header(parseProxyHeader(v2(0, 0x00, Buffer.alloc(0)))).source, null);
    assert.equal(header(parseProxyHeader(v2(0, 0x11, inet4([1, 2, 3, 4], [5, 6, 7, 8], 1, 2)))).source, null, 'LOCAL ignores the addresses');
    assert.equal(header(parseProxyHeader(v2(1, 0x00, Buffer.alloc(0)))).source, null);
    assert.equal(header(parseProxyHeader(v2(1, 0x31, Buffer.alloc(216)))).source, null);
  });
  it('needs more bytes until the whole header is there, at every split point', () => {
    const full = v2(1, 0x11, inet4([1, 2, 3, 4], [5, 6, 7, 8], 1, 2));
    for (let n = 1; n < full.length; n++) assert.equal(parseProxyHeader(full.subarray(0, n)).kind, 'incomplete', `after ${n} bytes`);
    assert.equal(parseProxyHeader(full).kind, 'header');
  });
  it('refuses malformed headers', () => {
    const good = v2(1, 0x11, inet4([1, 2, 3, 4], [5, 6, 7, 8], 1, 2));
    const bad = (mutate: (b: Buffer) => void) => {
      const b = Buffer.from(good);
      mutate(b);
      return parseProxyHeader(b);
    };
    invalid(bad((b) => (b[12] = 0x11)), /version nibble 1/);
    invalid(bad((b) => (b[12] = 0x22)), /unknown command 2/);
    invalid(bad((b) => (b[13] = 0x41)), /family\/transport/);
    invalid(bad((b) => (b[13] = 0x12)), /datagram/);
    invalid(parseProxyHeader(v2(1, 0x11, Buffer.alloc(8))), /shorter than its addresses/);
    invalid(parseProxyHeader(v2(1, 0x21, Buffer.alloc(20))), /shorter than its addresses/);
    invalid(parseProxyHeader(v2(1, 0x11, Buffer.alloc(0), V2_MAX_PAYLOAD_BYTES + 1)), /over 2048/);
    invalid(parseProxyHeader(v2(1, 0x11, Buffer.alloc(0), 0xffff)), /over/);
  });
  it('a wrong signature byte is not a v2 header', () => {
    const b = Buffer.from(v2(1, 0x11, inet4([1, 2, 3, 4], [5, 6, 7, 8], 1, 2)));
    b[7] = 0x52;
    assert.equal(parseProxyHeader(b).kind, 'absent');
  });
});

describe('trustedproxies', () => {
  it('matches IPv4 and IPv6 addresses and blocks', () => {
    const list = trustList(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32', ' ::1 ', '']);
    for (const ip of ['10.1.2.3', '192.0.2.7', '2001:db8:ffff::1', '::1']) assert.equal(isTrusted(list, ip), true, ip);
    for (const ip of ['11.0.0.1', '192.0.2.8', '2001:db9::1', '::2', 'not-an-ip', '']) assert.equal(isTrusted(list, ip), false, ip);
  });
  it('refuses entries that are not an IP or a CIDR block with a coded error', () => {
    for (const e of ['10.0.0.0/33', '::/129', 'example.com', '10.0.0.0/8/1', '10.0.0.0/x', '1.2.3']) {
      assert.throws(() => trustList([e]), { code: 'PROSPER_E_CONFIG' }, e);
    }
  });
});
