/**
 * Fuzzes the Stratum line parser and handlers of a real StratumServer (real small-table
 * validator) from 127.0.0.3 while an honest miner on 127.0.0.2 keeps submitting real shares.
 * Seeded: PROSPER_FUZZ_SEED=<n> replays a run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RpcErrors } from '../../src/stratum/protocol.js';
import { V2_SIGNATURE } from '../../src/stratum/proxy-protocol.js';
import { findShare, hex, prefixOf, startServer, type Fixture } from '../stratum/helpers/server.js';
import type { RawClient } from '../stratum/helpers/server.js';
import { assertOnlyRealShares, connectFrom, fuzzSeed, heapUsed, HonestMiner, JOB_ID, OPR, seededRandom, serverMaps, waitFor } from './helpers.js';

const FUZZ_IP = '127.0.0.3';
const KNOWN_CODES = new Set<number>(Object.values(RpcErrors).map((e) => e.code));
const METHODS = ['mining.subscribe', 'mining.authorize', 'mining.submit', 'mining.get_oprhash', 'mining.suggest_target', 'mining.notify', 'client.get_version', 'nope'];

/** No bans: the fuzzer must keep reaching the handlers (bans have their own test). */
async function fuzzServer(extra = {}): Promise<Fixture> {
  const f = await startServer({ bans: { threshold: Number.MAX_SAFE_INTEGER }, ...extra });
  f.server.setJob({ jobId: JOB_ID, oprHash: OPR });
  return f;
}

/** Every line the server wrote is one compact JSON object; every error carries a known code. */
function checkReplies(lines: string[]): void {
  for (const l of lines) {
    const m = JSON.parse(l);
    assert.equal(typeof m, 'object');
    if (m.error) {
      assert.ok(KNOWN_CODES.has(m.error.code), `unknown error code in ${l}`);
      assert.equal(typeof m.error.message, 'string');
    }
  }
}

/** A fuzz connection that proves it is still served: a get_oprhash sentinel must come back. */
class Prober {
  private sentinel = 900_000_000;
  constructor(public c: RawClient) {}
  async alive(ms = 5000): Promise<void> {
    const id = this.sentinel++;
    this.c.send(`{"id":${id},"method":"mining.get_oprhash","params":["${JOB_ID}"]}\n`);
    await waitFor(() => this.c.lines.some((l) => l.startsWith(`{"id":${id},`)) || this.c.closed, ms, `sentinel ${id}`);
    assert.ok(!this.c.closed, 'fuzz connection was closed');
    const reply = JSON.parse(this.c.lines.find((l) => l.startsWith(`{"id":${id},`))!);
    assert.equal(reply.result, hex(OPR));
  }
}

function validTemplates(user: string, nonce: number): string[] {
  const share = findShare(OPR, prefixOf(nonce), 0x8000000000000000n);
  return [
    JSON.stringify({ id: 1, method: 'mining.subscribe', params: ['fuzz/1.0'] }),
    JSON.stringify({ id: 2, method: 'mining.authorize', params: [`${user},rig9`, '', '', ''] }),
    JSON.stringify({ id: 3, method: 'mining.submit', params: [user, String(JOB_ID), hex(share.nonce), hex(OPR), share.target.toString(16)] }),
    JSON.stringify({ id: 4, method: 'mining.get_oprhash', params: [String(JOB_ID)] }),
    JSON.stringify({ id: 5, method: 'mining.suggest_target', params: ['ffff000000000000'] }),
    JSON.stringify({ id: 6, result: 'prosper/v1', error: null }),
  ];
}

const ALPHABET = '{}[]",:0123456789abcdefxyz-.eE \\u\t';

/** One hostile line from a valid template: byte flips, splices, truncation, junk, huge numbers. */
function mutate(rand: () => number, t: string): string {
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)]!;
  const pos = () => Math.floor(rand() * (t.length + 1));
  switch (Math.floor(rand() * 10)) {
    case 0: { const p = pos(); return t.slice(0, p) + pick([...ALPHABET]) + t.slice(p + 1); }
    case 1: { const p = pos(); return t.slice(0, p) + pick([...ALPHABET]) + t.slice(p); }
    case 2: return t.slice(0, pos());
    case 3: { const a = pos(); const b = pos(); return t.slice(0, Math.min(a, b)) + t.slice(Math.max(a, b)); }
    case 4: return t.replace(/"id":-?\d+/, `"id":${pick(['1e400', '-1e400', '99999999999999999999999', '-2147483649', '2147483648', '1.5', '-0', '"7"', 'null', '[]', '{}', 'true'])}`);
    case 5: return t.replace(/"params":\[/, `"params":[${pick(['1,', '1e999,', '{},', '[],', 'true,', 'null,', '"\\u0000",', '"\\ud800",', '-0,'])}`);
    case 6: return t.replace(/"method":"[^"]*"/, `"method":${JSON.stringify(pick(METHODS))}`);
    case 7: { let s = ''; const n = Math.floor(rand() * 200); for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(rand() * 0x7f)); return s.replace(/\n/g, ' '); }
    case 8: return t.replace(/"params":\[[^\]]*\]/, `"params":${pick(['null', '{}', '"x"', '7', '[[[[[]]]]]', '[' + '"x",'.repeat(500) + '"y"]'])}`);
    default: return pick(['null', '[]', '"str"', '1', 'true', '{}', '{"id":1}', '{"method":""}', '{"__proto__":{"method":"mining.submit"}}', '{"id":1,"method":"mining.submit","params":null}']);
  }
}

test('random and mutated messages: every line answered or ignored cleanly, the honest miner is served, only real shares credited', async () => {
  const seed = fuzzSeed(0x5eed1);
  const rand = seededRandom(seed);
  const f = await fuzzServer();
  const honest = await HonestMiner.start(f.port);
  const c = await connectFrom(f.port, FUZZ_IP);
  try {
    const nonce = async (cl: RawClient) => {
      cl.send('{"id":1,"method":"mining.subscribe","params":["fuzz"]}\n');
      return Number((await cl.json(0)).result[2].id);
    };
    const templates = validTemplates('fuzzer@example.com', await nonce(c));
    const heapBefore = heapUsed();
    const ROUNDS = 100;
    const PER_ROUND = 200;
    let sent = 0;
    for (let r = 0; r < ROUNDS; r++) {
      let batch = '';
      for (let i = 0; i < PER_ROUND; i++) {
        const t = templates[Math.floor(rand() * templates.length)]!;
        const line = rand() < 0.15 ? t : mutate(rand, t);
        batch += line.replace(/\n/g, '') + '\n';
      }
      c.send(batch);
      sent += PER_ROUND;
      await new Prober(c).alive();
      await honest.check();
    }
    checkReplies(c.lines);
    checkReplies(honest.c.lines);
    assert.ok(c.lines.length > ROUNDS, `replies seen: ${c.lines.length}`);
    assertOnlyRealShares(f.sink.shares);
    assert.ok(f.server.counters.garbage > 0 && f.server.counters.rejected > 0, `garbage and rejections counted (seed ${seed})`);
    assert.equal(honest.accepted, ROUNDS);
    const grown = heapUsed() - heapBefore;
    assert.ok(grown < 64 * 1024 * 1024, `heap grew ${grown} bytes`);
    console.log(`# stratum fuzz seed ${seed}: ${sent} lines, ${c.lines.length} replies, counters ${JSON.stringify(f.server.counters)}`);
  } finally {
    c.close();
    honest.close();
    await f.close();
  }
});

test('wrong types in every param position of every method, params of the wrong shape, huge ids: InvalidParams with the id', async () => {
  const f = await fuzzServer();
  const honest = await HonestMiner.start(f.port);
  const c = await connectFrom(f.port, FUZZ_IP);
  try {
    const wrong = ['1', '-1', '1e308', '123456789012345678901234567890', 'true', 'false', '{}', '[]', '{"a":"b"}', '["x"]', '0.5'];
    let id = 100;
    const expected = new Map<number, number>();
    let batch = '';
    for (const method of METHODS) {
      for (let pos = 0; pos < 6; pos++) {
        for (const w of wrong) {
          const params = Array.from({ length: 6 }, (_, i) => (i === pos ? w : '"a"'));
          batch += `{"id":${id},"method":"${method}","params":[${params.join(',')}]}\n`;
          expected.set(id++, 32602);
        }
      }
      for (const shape of ['{}', '"a"', '7', 'true', '{"0":"a"}']) {
        batch += `{"id":${id},"method":"${method}","params":${shape}}\n`;
        expected.set(id++, 32602);
      }
    }
    c.send(batch);
    await waitFor(() => c.lines.length >= expected.size, 120_000, 'all InvalidParams replies');
    for (const l of c.lines) {
      const m = JSON.parse(l);
      assert.equal(m.error.code, expected.get(m.id), l);
      expected.delete(m.id);
    }
    assert.equal(expected.size, 0, 'one reply per request');

    // Ids the original could not decode into int32 are answered as id 0 (never echoed back raw).
    c.lines.length = 0;
    const ids = ['1e400', '-1e400', '99999999999999999999', '2147483648', '-2147483649', '1.5', '"7"', '[]', '{}'];
    c.send(ids.map((i) => `{"id":${i},"method":"nope","params":[]}\n`).join(''));
    await waitFor(() => c.lines.length >= ids.length, 120_000, 'huge id replies');
    for (const l of c.lines) assert.equal(JSON.parse(l).id, 0, l);
    // -0 and int32 bounds stay numbers in range.
    c.lines.length = 0;
    c.send('{"id":2147483647,"method":"nope","params":[]}\n{"id":-2147483648,"method":"nope","params":[]}\n');
    await waitFor(() => c.lines.length >= 2, 120_000, 'bound ids');
    assert.deepEqual(c.lines.map((l) => JSON.parse(l).id), [2147483647, -2147483648]);
    // Huge numbers as strings in every submit and suggest_target position: coded refusals.
    c.lines.length = 0;
    const huge = ['99999999999', '4294967296', '-1', '1e400', 'f'.repeat(17), '1' + '0'.repeat(400), 'ab'.repeat(65), '0x' + 'f'.repeat(16)];
    const good = ['fuzzer@example.com', String(JOB_ID), '00000000', hex(OPR), 'ffff000000000000'];
    let n = 0;
    c.send('{"id":2,"method":"mining.subscribe","params":["fuzz"]}\n{"id":1,"method":"mining.authorize","params":["fuzzer@example.com,rig",""]}\n');
    await waitFor(() => c.lines.some((l) => l === '{"id":1,"result":true}'), 120_000, 'authorize');
    for (let pos = 0; pos < 5; pos++) {
      for (const h of huge) {
        const params = good.map((g, i) => (i === pos ? h : g));
        c.send(JSON.stringify({ id: 1000 + n++, method: 'mining.submit', params }) + '\n');
      }
    }
    const suggestFrom = 1000 + n;
    for (const h of huge) c.send(JSON.stringify({ id: 1000 + n++, method: 'mining.suggest_target', params: [h] }) + '\n');
    await waitFor(() => c.lines.filter((l) => /^\{"id":1\d\d\d,/.test(l)).length >= n, 120_000, 'huge-number replies');
    for (const l of c.lines.filter((x) => /^\{"id":1\d\d\d,/.test(x))) {
      const m = JSON.parse(l);
      assert.notEqual(m.error?.code, 25, 'submits reach the parameter checks');
      // A suggested target that is a uint64 in hex (0x allowed) is taken (and clamped); nothing else is.
      const h = m.id >= suggestFrom ? huge[m.id - suggestFrom]! : null;
      if (h !== null && /^(0x)?[0-9a-fA-F]{1,16}$/.test(h)) assert.equal(m.result, true, l);
      else assert.ok(m.error && KNOWN_CODES.has(m.error.code), l);
    }
    await honest.check();
    assert.equal(f.sink.shares.length, 1);
  } finally {
    c.close();
    honest.close();
    await f.close();
  }
});

test('deep JSON nesting, invalid UTF-8 and oversized lines: coded errors or a dropped connection, never a crash', async () => {
  const f = await fuzzServer();
  const honest = await HonestMiner.start(f.port);
  try {
    const c = await connectFrom(f.port, FUZZ_IP);
    const probe = new Prober(c);
    // As deep as the 4096-byte line cap allows, in every position.
    const depth = 2000;
    c.send('['.repeat(depth) + ']'.repeat(depth) + '\n');
    c.send(`{"id":1,"method":"mining.submit","params":${'['.repeat(depth)}${']'.repeat(depth)}}\n`);
    c.send(`{"id":${'{"a":'.repeat(600)}1${'}'.repeat(600)},"method":"nope"}\n`);
    c.send('['.repeat(4000) + '\n');
    await probe.alive();
    // Invalid UTF-8: a lone 0xff, an overlong NUL, an encoded surrogate, a truncated sequence.
    const bad = [Buffer.from([0xff, 0x0a]), Buffer.from([0x7b, 0xc0, 0x80, 0x7d, 0x0a]), Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22, 0x0a]), Buffer.from([0xe2, 0x82, 0x0a])];
    const before = c.lines.length;
    for (const b of bad) c.socket.write(b);
    await waitFor(() => c.lines.length >= before + bad.length, 120_000, 'utf-8 errors');
    for (const l of c.lines.slice(before, before + bad.length)) assert.deepEqual(JSON.parse(l).error, { code: 32700, message: 'ErrorParseError', data: 'invalid UTF-8' });
    // Valid UTF-8 outside ASCII is fine.
    c.send('{"id":5,"method":"mining.subscribe","params":["ma\u00efs \u{1F600}"]}\n');
    await probe.alive();
    checkReplies(c.lines);
    c.close();

    // An oversized line, with or without a newline, drops that connection only.
    for (const payload of ['x'.repeat(4097) + '\n', 'y'.repeat(64 * 1024)]) {
      const big = await connectFrom(f.port, FUZZ_IP);
      big.send(payload);
      await big.waitClose(120_000);
      await honest.check();
    }
    await waitFor(() => serverMaps(f.server).sessions === 1, 120_000, 'only the honest session left');
    assert.deepEqual(serverMaps(f.server), { sessions: 1, ips: 1 });
  } finally {
    honest.close();
    await f.close();
  }
});

test('fuzzed PROXY headers (mutated v1 and v2, random bytes, random splits) never crash the server; a good one still works', { timeout: 300_000 }, async () => {
  const rand = seededRandom(fuzzSeed(24));
  const f = await fuzzServer({ proxyProtocol: 'required', trustedProxies: ['127.0.0.0/8'], handshakeTimeoutMs: 2000 });
  const v1 = Buffer.from('PROXY TCP4 198.51.100.3 127.0.0.1 50000 1234\r\n', 'latin1');
  const v2 = Buffer.concat([V2_SIGNATURE, Buffer.from([0x21, 0x11, 0x00, 0x0c, 198, 51, 100, 4, 127, 0, 0, 1, 0xc3, 0x50, 0x04, 0xd2])]);
  const subscribe = Buffer.from('{"id":1,"method":"mining.subscribe","params":["fuzz"]}\n');
  try {
    for (let round = 0; round < 150; round++) {
      const base = Buffer.from(rand() < 0.5 ? v1 : v2);
      // Flip, drop or add a few bytes, or send random bytes after a real prefix.
      const edits = 1 + Math.floor(rand() * 4);
      let bytes: Buffer = base;
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * bytes.length);
        const kind = rand();
        if (kind < 0.4) bytes[at] = Math.floor(rand() * 256);
        else if (kind < 0.7) bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
        else bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 300) }, () => Math.floor(rand() * 256))), bytes.subarray(at)]);
      }
      const c = await connectFrom(f.port, FUZZ_IP);
      const payload = Buffer.concat([bytes, subscribe]);
      for (let i = 0; i < payload.length; ) {
        const n = 1 + Math.floor(rand() * 40);
        if (c.closed) break;
        c.socket.write(payload.subarray(i, i + n));
        i += n;
      }
      // Each ends as a session (the edit left a valid header) or a closed socket; never a crash.
      await waitFor(() => c.closed || c.lines.length > 0, 60_000, `round ${round} settled`);
      checkReplies(c.lines);
      c.close();
    }
    const good = await connectFrom(f.port, FUZZ_IP);
    good.socket.write(Buffer.concat([v2, subscribe]));
    assert.equal((await good.json(0)).id, 1);
    assert.ok(f.server.listSessions().some((s) => s.ip === '198.51.100.4'));
    good.close();
  } finally {
    await f.close();
  }
});
