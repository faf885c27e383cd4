import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import {
  addressKind,
  buildChainCommit,
  buildEntry,
  buildEntryCommit,
  chainCost,
  decodeAddress,
  ecAddressFromPublicKey,
  entryCost,
  entryHash,
  fctAddressFromPublicKey,
  isValidEcAddress,
  isValidEcPrivateAddress,
  isValidFctAddress,
  isValidFctPrivateAddress,
  keyPairFromSeed,
  marshalEntry,
  parseEntryBlock,
  parseEntryCommit,
  parseJsonBig,
  stringifyJsonBig,
  unmarshalEntry,
  encodeAddress,
  merkleRoot,
  sha256,
} from '../../src/factom/index.js';

const require = createRequire(import.meta.url);
// factomjs (npm `factom`): an independent implementation, used only as a cross-check.
const factomjs = require('factom') as {
  Entry: { builder(): any };
  Chain: new (e: any) => any;
  composeEntryCommit(e: any, es: string): Buffer;
  composeChainCommit(c: any, es: string): Buffer;
  isValidPublicFctAddress(a: string): boolean;
  isValidPublicEcAddress(a: string): boolean;
  getPublicAddress(a: string): string;
};

const seedOf = (n: number): Buffer => sha256(Buffer.from(`seed ${n}`));

test('entry marshal/hash agree with factomjs for assorted entries', () => {
  const cases: [string[], string][] = [
    [[], ''],
    [['a'], 'b'],
    [['PegNet', 'MainNet', 'OraclePriceRecords'], ''],
    [['x'.repeat(300), ''], 'y'.repeat(5000)],
  ];
  for (const [ext, content] of cases) {
    const ours = buildEntry(ext, content, sha256(Buffer.from('some chain')));
    const theirs = factomjs.Entry.builder()
      .chainId(ours.chainId)
      .extIds(ext.map((x) => Buffer.from(x)))
      .content(Buffer.from(content))
      .build();
    assert.deepEqual(marshalEntry(ours), theirs.marshalBinary());
    assert.deepEqual(entryHash(ours), theirs.hash());
    assert.deepEqual(unmarshalEntry(marshalEntry(ours)), ours);
  }
});

test('entry and chain commits agree byte-for-byte with factomjs (same timestamp)', () => {
  const kp = keyPairFromSeed(seedOf(1));
  const es = encodeAddress('Es', kp.seed);
  const e = buildEntry(['cross', 'check'], 'payload', sha256(Buffer.from('chain')));
  const theirs = factomjs.Entry.builder().chainId(e.chainId).extIds([...e.extIds]).content(e.content).timestamp(1_600_000_000_123).build();
  const ours = buildEntryCommit(entryHash(e), entryCost(marshalEntry(e).length), kp.seed, 1_600_000_000_123);
  assert.deepEqual(ours, factomjs.composeEntryCommit(theirs, es));

  const first = buildEntry(['new chain', 'x'], 'first');
  const fe = factomjs.Entry.builder().extIds([...first.extIds]).content(first.content).timestamp(1_600_000_000_456).build();
  const oursChain = buildChainCommit(first.chainId, entryHash(first), chainCost(marshalEntry(first).length), kp.seed, 1_600_000_000_456);
  assert.deepEqual(oursChain, factomjs.composeChainCommit(new factomjs.Chain(fe), es));
});

test('addresses: validators, kinds and factomjs agreement', () => {
  for (let i = 0; i < 5; i++) {
    const kp = keyPairFromSeed(seedOf(i));
    const fa = fctAddressFromPublicKey(kp.publicKey);
    const ec = ecAddressFromPublicKey(kp.publicKey);
    const fs = encodeAddress('Fs', kp.seed);
    const es = encodeAddress('Es', kp.seed);
    assert.ok(isValidFctAddress(fa) && factomjs.isValidPublicFctAddress(fa));
    assert.ok(isValidEcAddress(ec) && factomjs.isValidPublicEcAddress(ec));
    assert.ok(isValidFctPrivateAddress(fs) && isValidEcPrivateAddress(es));
    assert.equal(factomjs.getPublicAddress(fs), fa);
    assert.equal(factomjs.getPublicAddress(es), ec);
    assert.equal(addressKind(fa), 'FA');
    assert.equal(isValidFctAddress(ec), false);
    assert.equal(isValidEcAddress(es), false);
  }
});

test('bad addresses are rejected with PROSPER_E_FACTOM_ADDRESS', () => {
  const good = 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q';
  const flipped = good.slice(0, 20) + (good[20] === 'a' ? 'b' : 'a') + good.slice(21);
  for (const bad of [flipped, good.slice(0, 51), good + '1', 'FA0' + good.slice(3), '', 'EC' + good.slice(2)]) {
    assert.equal(isValidFctAddress(bad), false, bad);
    assert.throws(() => decodeAddress('FA', bad), { code: 'PROSPER_E_FACTOM_ADDRESS' });
  }
  assert.equal(isValidFctAddress(42), false);
  assert.equal(addressKind(null), undefined);
});

test('entry decoding rejects malformed binaries', () => {
  const good = marshalEntry(buildEntry(['a', 'bc'], 'content'));
  const bad: [string, Buffer][] = [
    ['short header', good.subarray(0, 34)],
    ['version 1', Buffer.concat([Buffer.from([1]), good.subarray(1)])],
    ['ext section past end', Buffer.concat([good.subarray(0, 33), Buffer.from([0xff, 0xff]), good.subarray(35)])],
    ['ext id past section', (() => { const b = Buffer.from(good); b.writeUInt16BE(200, 35); return b; })()],
    ['payload > 10 KiB', Buffer.concat([good, Buffer.alloc(10240)])],
  ];
  for (const [why, b] of bad) assert.throws(() => unmarshalEntry(b), { code: 'PROSPER_E_FACTOM_DECODE' }, why);
  assert.throws(() => marshalEntry(buildEntry([], Buffer.alloc(10241))), { code: 'PROSPER_E_FACTOM_ENCODE' });
  assert.doesNotThrow(() => marshalEntry(buildEntry([], Buffer.alloc(10240))));
});

test('EC cost: ceil(payload/1024), min 1, chains +10', () => {
  assert.equal(entryCost(35), 1);
  assert.equal(entryCost(35 + 1024), 1);
  assert.equal(entryCost(35 + 1025), 2);
  assert.equal(entryCost(35 + 10240), 10);
  assert.equal(chainCost(35 + 2048), 12);
});

test('commit building/parsing rejects out-of-range input', () => {
  const seed = seedOf(9);
  assert.throws(() => buildEntryCommit(Buffer.alloc(32), 0, seed, 1), { code: 'PROSPER_E_FACTOM_ENCODE' });
  assert.throws(() => buildEntryCommit(Buffer.alloc(32), 11, seed, 1), { code: 'PROSPER_E_FACTOM_ENCODE' });
  assert.throws(() => buildChainCommit(Buffer.alloc(32), Buffer.alloc(32), 10, seed, 1), { code: 'PROSPER_E_FACTOM_ENCODE' });
  assert.throws(() => buildEntryCommit(Buffer.alloc(31), 1, seed, 1), { code: 'PROSPER_E_FACTOM_ENCODE' });
  assert.throws(() => parseEntryCommit(Buffer.alloc(135)), { code: 'PROSPER_E_FACTOM_DECODE' });
  const c = buildEntryCommit(Buffer.alloc(32, 1), 1, seed, 1);
  c[0] = 1;
  assert.throws(() => parseEntryCommit(c), { code: 'PROSPER_E_FACTOM_DECODE' });
  // Trailing bytes are ignored, as factomd does.
  const ok = buildEntryCommit(Buffer.alloc(32, 1), 1, seed, 1);
  assert.deepEqual(parseEntryCommit(Buffer.concat([ok, Buffer.alloc(5)])).txid, parseEntryCommit(ok).txid);
});

test('entry block parse rejects wrong length and bad BodyMR', () => {
  const hdr = Buffer.alloc(140);
  hdr.writeUInt32BE(2, 136);
  assert.throws(() => parseEntryBlock(Buffer.concat([hdr, Buffer.alloc(32)])), { code: 'PROSPER_E_FACTOM_DECODE' });
  const body = [Buffer.alloc(32, 5), Buffer.concat([Buffer.alloc(31), Buffer.from([1])])];
  merkleRoot(body).copy(hdr, 32);
  const eb = parseEntryBlock(Buffer.concat([hdr, ...body]));
  assert.equal(eb.objects.length, 2);
  hdr[40] ^= 1;
  assert.throws(() => parseEntryBlock(Buffer.concat([hdr, ...body])), { code: 'PROSPER_E_FACTOM_DECODE' });
});

test('parseJsonBig keeps ns timestamps exact; rejects garbage and truncation', () => {
  const v = parseJsonBig('{"currenttime":1700000000123456789,"small":5,"f":1.5,"neg":-9007199254740993,"a":[true,null,"x\\"y"]}') as Record<string, unknown>;
  assert.equal(v.currenttime, 1700000000123456789n);
  assert.equal(v.small, 5);
  assert.equal(v.f, 1.5);
  assert.equal(v.neg, -9007199254740993n);
  assert.deepEqual(v.a, [true, null, 'x"y']);
  for (const bad of ['', '{', '{"a":1', '{"a":1}x', '[1,]', '{"a":01}', 'nul', '"abc', '{"__proto__":1,}']) {
    assert.throws(() => parseJsonBig(bad), { code: 'PROSPER_E_FACTOM_DECODE' }, bad);
  }
  const proto = parseJsonBig('{"__proto__":{"x":1}}') as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>).x, undefined);
  assert.deepEqual(Object.keys(proto), ['__proto__']);
  assert.equal(stringifyJsonBig({ a: 1700000000123456789n, b: [1, 'x'], c: undefined, d: null }), '{"a":1700000000123456789,"b":[1,"x"],"d":null}');
});

test('merkleBranch: each path recomputes the root for every leaf count 1..9', async () => {
  const { merkleBranch } = await import('../../src/factom/index.js');
  for (let n = 1; n <= 9; n++) {
    const leaves = Array.from({ length: n }, (_v, i) => sha256(Buffer.from([i])));
    const root = merkleRoot(leaves);
    for (let i = 0; i < n; i++) {
      let acc = leaves[i];
      for (const s of merkleBranch(leaves, i)) {
        assert.ok(s.left.equals(acc) || s.right.equals(acc));
        assert.deepEqual(sha256(s.left, s.right), s.top);
        acc = s.top;
      }
      assert.deepEqual(acc, root, `n=${n} i=${i}`);
    }
  }
  assert.throws(() => merkleBranch([Buffer.alloc(32)], 1), RangeError);
});
