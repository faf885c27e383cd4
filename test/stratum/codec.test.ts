import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, LineTooLongError } from '../../src/stratum/line-splitter.js';
import { decodeHex, encodeLine, errorLine, parseMessage, parseTargetHex, requestLine, resultLine } from '../../src/stratum/protocol.js';
import { RawClient, startServer } from './helpers/server.js';

test('splitter: half-written lines join across chunks; \\r tolerated; empty lines skipped', () => {
  const s = new LineSplitter(100);
  assert.deepEqual(s.push(Buffer.from('{"a":')), []);
  assert.equal(s.pendingBytes, 5);
  assert.deepEqual(s.push(Buffer.from('1}\r\n\n{"b"')), [{ ok: true, line: '{"a":1}' }]);
  assert.deepEqual(s.push(Buffer.from(':2}\n')), [{ ok: true, line: '{"b":2}' }]);
  assert.equal(s.pendingBytes, 0);
});

test('splitter: a line over the cap throws, whole or in pieces; invalid UTF-8 is reported per line', () => {
  assert.throws(() => new LineSplitter(8).push(Buffer.from('123456789\n')), LineTooLongError);
  const s = new LineSplitter(8);
  s.push(Buffer.from('12345'));
  assert.throws(() => s.push(Buffer.from('6789')), LineTooLongError);
  const u = new LineSplitter(100);
  assert.deepEqual(u.push(Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 10, 0x61, 10])), [{ ok: false, reason: 'invalid-utf8' }, { ok: true, line: 'a' }]);
  // A multi-byte character split across chunks is fine.
  const e = Buffer.from('"é"\n');
  const m = new LineSplitter(100);
  assert.deepEqual(m.push(e.subarray(0, 2)), []);
  assert.deepEqual(m.push(e.subarray(2)), [{ ok: true, line: '"é"' }]);
});

test('envelopes are byte-exact with the original (Go encoder output)', () => {
  assert.equal(resultLine(7, true), '{"id":7,"result":true}\n');
  assert.equal(requestLine(5, 'mining.stop_mining', null), '{"id":5,"method":"mining.stop_mining","params":null}\n');
  assert.equal(requestLine(5, 'mining.set_target', ['ffff000000000000']), '{"id":5,"method":"mining.set_target","params":["ffff000000000000"]}\n');
  assert.equal(errorLine(3, 'InvalidParams', "authorize requires 'username,minerid'"), '{"id":3,"result":null,"error":{"code":32602,"message":"ErrorInvalidParams","data":"authorize requires \'username,minerid\'"}}\n');
  assert.equal(errorLine(1, 'MethodNotFound'), '{"id":1,"result":null,"error":{"code":32601,"message":"ErrorMethodNotFound","data":null}}\n');
  assert.equal(encodeLine({ m: '<a>&' }), '{"m":"\\u003ca\\u003e\\u0026"}\n');
});

test('parseMessage classifies like the original: ids int32 else 0, params strings/null only', () => {
  assert.deepEqual(parseMessage('{"id":1,"method":"mining.subscribe","params":["prosper/v1"]}'), { kind: 'request', id: 1, method: 'mining.subscribe', params: ['prosper/v1'] });
  assert.deepEqual(parseMessage('{"id":"x","method":"m","params":null}'), { kind: 'request', id: 0, method: 'm', params: [] });
  assert.deepEqual(parseMessage('{"id":4294967296,"method":"m","params":[null,"a"]}'), { kind: 'request', id: 0, method: 'm', params: ['', 'a'] });
  assert.deepEqual(parseMessage('{"id":2,"method":"mining.subscribe","params":["a",3333]}'), { kind: 'bad-params', id: 2, method: 'mining.subscribe' });
  assert.deepEqual(parseMessage('{"id":2,"method":"m","params":{}}'), { kind: 'bad-params', id: 2, method: 'm' });
  assert.equal(parseMessage('{"id":9,"result":"v1"}').kind, 'response');
  assert.equal(parseMessage('nope').kind, 'garbage');
  assert.equal(parseMessage('[1,2]').kind, 'garbage');
  assert.equal(parseTargetHex('0xff'), null);
  assert.equal(parseTargetHex('11112222333344445'), null);
  assert.equal(parseTargetHex('FfFF000000000000'), 0xffff000000000000n);
  assert.equal(decodeHex('abc', 10), null);
  assert.equal(decodeHex('zz', 10), null);
  assert.deepEqual(decodeHex('0aFF', 10), Uint8Array.from([10, 255]));
});

test('over TCP: garbage gets ParseError and ban points; the connection survives and still answers', async () => {
  const f = await startServer();
  try {
    const c = await RawClient.connect(f.port);
    c.send('this is not json\n');
    const e1 = await c.json(0);
    assert.equal(e1.error.code, 32700);
    assert.equal(e1.error.message, 'ErrorParseError');
    c.send(Buffer.from([0xc3, 0x28, 10]) as unknown as string);
    const e2 = await c.json(1);
    assert.equal(e2.error.data, 'invalid UTF-8');
    c.send('{"id":3,"method":"mining.subscribe","params":[1]}\n');
    assert.deepEqual(await c.json(2), { id: 3, result: null, error: { code: 32602, message: 'ErrorInvalidParams', data: 'params must be an array of strings' } });
    c.send('{"id":4,"method":"mining.nope","params":[]}\n');
    assert.equal((await c.json(3)).error.code, 32601);
    // Half-written: the request arrives in three writes.
    c.send('{"id":5,"meth');
    await new Promise((r) => setTimeout(r, 20));
    c.send('od":"mining.subscribe","par');
    await new Promise((r) => setTimeout(r, 20));
    c.send('ams":["prosper/v0.4.0"]}\r\n');
    const sub = await c.json(4);
    assert.equal(sub.id, 5);
    assert.equal(sub.result.length, 3);
    assert.ok(f.server.banScore('127.0.0.1') > 0, 'garbage raised the ban score');
    assert.equal(f.server.counters.garbage, 2);
    c.close();
  } finally {
    await f.close();
  }
});

test('over TCP: a line over the limit drops the connection (the original\'s 4096 bytes)', async () => {
  const f = await startServer({ maxLineBytes: 4096 });
  try {
    const c = await RawClient.connect(f.port);
    c.send('{"id":1,"method":"mining.subscribe","params":["' + 'a'.repeat(5000));
    await c.waitClose();
    assert.equal(f.server.sessionCount, 0);
    const ok = await RawClient.connect(f.port);
    ok.send(`{"id":1,"method":"mining.subscribe","params":["${'a'.repeat(4000)}"]}\n`);
    assert.equal((await ok.json(0)).id, 1);
    ok.close();
  } finally {
    await f.close();
  }
});
