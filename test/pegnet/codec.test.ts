import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import protobuf from 'protobufjs';
import { entryHash, buildEntry } from '../../src/factom/index.js';
import {
  MAINNET_OPR_CHAIN, V1_ASSETS, V2_ASSETS, V4_ASSETS, V5_ASSETS, assetsForVersion, decodeProtoContent, decodeV1Content,
  encodeProtoContent, encodeV1Content, oprHash, parseBlockFile, priceToUnits, shortHash, unitsToPrice, winnersToBytes,
  winnersToHex, OprDecodeError, buildOwnOpr, type ProtoOprContent,
} from '../../src/pegnet/index.js';
import { isProsperError, type ProsperCode } from '../../src/errors.js';
import { gradingFiles, hex, readJson } from './helpers.js';
import { readFileSync } from 'node:fs';

const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('OPR codec: every real MainNet entry', () => {
  for (const { name, path } of gradingFiles('mainnet')) {
    it(`${name}: decodes and re-encodes byte for byte, and its entry hash checks out`, () => {
      const block = parseBlockFile(readFileSync(path, 'utf8'));
      let v1 = 0;
      let v2 = 0;
      for (const e of block.entries) {
        const version = e.extIds[2]![0];
        const again = version === 1 ? encodeV1Content(decodeV1Content(e.content)) : encodeProtoContent(decodeProtoContent(e.content));
        assert.equal(hex(again), hex(e.content), `entry ${hex(e.entryHash)}`);
        if (version === 1) v1++;
        else v2++;
        // The file's hashes are real: sha256(sha512(entry) || entry) on the MainNet OPR chain.
        assert.equal(hex(entryHash(buildEntry(e.extIds.map((x) => Buffer.from(x)), Buffer.from(e.content), bytes(MAINNET_OPR_CHAIN)))), hex(e.entryHash));
      }
      assert.equal(v1 + v2, readJson(path).Entries.length);
    });
  }
});

describe('OPR codec: V2..V5 protobuf', () => {
  const fa = 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q';
  const v5: ProtoOprContent = {
    address: fa,
    id: 'prosper,pool1',
    height: 300123,
    winners: winnersToBytes(Array.from({ length: 25 }, (_, i) => i.toString(16).padStart(16, 'a'))),
    assets: V5_ASSETS.map((_, i) => BigInt(i + 1) * 123456789n),
  };

  it('writes fields 1..5 in order with packed assets, and reads back the same content', () => {
    const buf = encodeProtoContent(v5);
    assert.equal(buf[0], 0x0a);
    assert.equal(buf[1], fa.length);
    const idAt = 2 + fa.length;
    assert.equal(buf[idAt], 0x12);
    const hAt = idAt + 2 + v5.id.length;
    assert.equal(buf[hAt], 0x18);
    const back = decodeProtoContent(buf);
    assert.deepEqual(back, v5);
    assert.equal(hex(encodeProtoContent(back)), hex(buf));
    // Independent decoder: protobufjs with the reference's .proto schema.
    const root = protobuf.parse(`syntax = "proto3"; message V2Content { string Address = 1; string ID = 2; int32 Height = 3; repeated bytes Winners = 4; repeated uint64 Assets = 5; }`).root;
    const msg = root.lookupType('V2Content').decode(buf) as unknown as { Address: string; ID: string; Height: number; Winners: Uint8Array[]; Assets: { toString(): string }[] };
    assert.equal(msg.Address, fa);
    assert.equal(msg.ID, v5.id);
    assert.equal(msg.Height, 300123);
    assert.deepEqual(msg.Winners.map((w) => hex(w)), winnersToHex(v5.winners));
    assert.deepEqual(msg.Assets.map((a) => a.toString()), v5.assets.map(String));
  });

  it('omits default fields and writes empty bootstrap winners as 0x22 0x00', () => {
    const buf = encodeProtoContent({ address: '', id: '', height: 0, winners: winnersToBytes(Array(25).fill('')), assets: [] });
    assert.equal(hex(buf), '2200'.repeat(25));
    assert.equal(hex(encodeProtoContent({ address: '', id: '', height: 0, winners: [], assets: [] })), '');
  });

  it('writes a negative height as a 10-byte varint (int32 sign extension) and reads it back', () => {
    const buf = encodeProtoContent({ address: '', id: '', height: -1, winners: [], assets: [] });
    assert.equal(hex(buf), '18ffffffffffffffffff01');
    assert.equal(decodeProtoContent(buf).height, -1);
  });

  it('refuses asset values outside uint64', () => {
    assert.throws(() => encodeProtoContent({ ...v5, assets: [-1n] }), RangeError);
    assert.throws(() => encodeProtoContent({ ...v5, assets: [1n << 64n] }), RangeError);
  });

  it('accepts unpacked assets and keeps unknown fields, writing them last as gogo does', () => {
    // Address "a", unknown field 6 (bytes "zz"), assets 1 and 300 unpacked.
    const buf = bytes('0a0161' + '32027a7a' + '2801' + '28ac02');
    const c = decodeProtoContent(buf);
    assert.equal(c.address, 'a');
    assert.deepEqual(c.assets, [1n, 300n]);
    assert.equal(hex(c.unknown!), '32027a7a');
    assert.equal(hex(encodeProtoContent(c)), '0a0161' + '2a03' + '01ac02' + '32027a7a');
  });

  it('keeps the low 32 bits of an oversized height', () => {
    // 2^32 + 5 as a varint
    assert.equal(decodeProtoContent(bytes('1885808080' + '10')).height, 5);
  });

  const cases: [string, string][] = [
    ['', 'no bytes to decode'],
    ['0a05616263', 'unexpected EOF'],
    ['18', 'unexpected EOF'],
    ['0c', 'proto: V2Content: wiretype end group for non-group'],
    ['0001', 'proto: V2Content: illegal tag 0 (wire type 0)'],
    ['0e', 'proto: wrong wireType = 6 for field Address'],
    ['1a00', 'proto: wrong wireType = 2 for field Height'],
    ['2001', 'proto: wrong wireType = 0 for field Winners'],
    ['2d00000000', 'proto: wrong wireType = 5 for field Assets'],
    ['37', 'proto: illegal wireType 7'],
    ['18ffffffffffffffffffff01', 'proto: integer overflow'],
    ['0affffffffffffffffff01', 'proto: negative length found during unmarshaling'],
    ['3b', 'unexpected EOF'],
    ['3b08', 'unexpected EOF'],
  ];
  for (const [input, reason] of cases) {
    it(`refuses ${input || 'empty content'} with the reference's reason "${reason}"`, () => {
      assert.throws(() => decodeProtoContent(bytes(input)), (err: unknown) => err instanceof OprDecodeError && err.message === reason);
    });
  }

  it('skips an unknown group (wire type 3 .. 4)', () => {
    const c = decodeProtoContent(bytes('33' + '0801' + '34' + '0a0162'));
    assert.equal(c.address, 'b');
    assert.equal(hex(c.unknown!), '33080134');
  });
});

describe('OPR codec: V1 JSON', () => {
  const genesis = parseBlockFile(readFileSync(gradingFiles('mainnet').find((f) => f.name === '206422.json')!.path, 'utf8'));

  it("a reference miner's entry is exactly json.Marshal of the decoded struct", () => {
    const e = genesis.entries[0]!;
    const c = decodeV1Content(e.content);
    delete c.layout;
    assert.equal(Buffer.from(encodeV1Content(c)).toString(), Buffer.from(e.content).toString());
    assert.equal(c.assets!.get('XAU'), 1501.67);
    assert.equal(c.assets!.get('PNT'), 0);
    assert.deepEqual(c.winners, Array(10).fill(''));
  });

  it('matches keys case-insensitively, lets the last repeated key win, merges repeated asset maps, ignores unknown keys', () => {
    const c = decodeV1Content(utf8('{"DBHT":1,"dbht":7,"Assets":{"USD":1},"aſſets":{"EUR":2},"extra":[1,{"a":2}],"MinerID":"x","winners":["a","b"],"winners":[null]}'));
    assert.equal(c.dbht, 7);
    assert.deepEqual([...c.assets!], [['USD', 1], ['EUR', 2]]);
    assert.equal(c.minerid, 'x');
    // Go decodes the second array into the first slice: a null element keeps the old value.
    assert.deepEqual(c.winners, ['a']);
    assert.equal(c.layout, undefined, 'repeated keys: no layout to reproduce');
  });

  it('keeps an unusual but unrepeated layout so it re-encodes to the same bytes', () => {
    const src = '{"dbht":5,"junk":{"q":[true,null]},"assets":{"USD":1,"ZZZ":1e-7,"PNT":0},"minerid":"m<>&","coinbase":"c","winners":null}';
    assert.equal(Buffer.from(encodeV1Content(decodeV1Content(utf8(src)))).toString(), src.replace('m<>&', 'm\\u003c\\u003e\\u0026'));
  });

  const bad: [string, string][] = [
    ['{"dbht":"206422"}', 'json: cannot unmarshal string into Go struct field V1Content.dbht of type int32'],
    ['{"dbht":1.5}', 'json: cannot unmarshal number 1.5 into Go struct field V1Content.dbht of type int32'],
    ['{"dbht":2147483648}', 'json: cannot unmarshal number 2147483648 into Go struct field V1Content.dbht of type int32'],
    ['{"dbht":1}F', "invalid character 'F' after top-level value"],
    ['{"dbht":th}', "invalid character 'h' in literal true (expecting 'r')"],
    ['{"dbht":1', 'unexpected end of JSON input'],
    ['', 'unexpected end of JSON input'],
    ['[1]', 'json: cannot unmarshal array into Go value of type opr.V1Content'],
    ['{"assets":{"USD":"1"}}', 'json: cannot unmarshal string into Go struct field V1Content.assets of type float64'],
    ['{"assets":{"USD":1e999}}', 'json: cannot unmarshal number 1e999 into Go value of type float64'],
  ];
  for (const [src, reason] of bad) {
    it(`refuses ${JSON.stringify(src)}`, () => {
      assert.throws(() => decodeV1Content(utf8(src)), (err: unknown) => err instanceof OprDecodeError && err.message === reason);
    });
  }

  it('refuses invalid bytes with a Go-style syntax message', () => {
    assert.throws(() => decodeV1Content(bytes('8a')), (err: unknown) => err instanceof OprDecodeError && err.message === "invalid character '\\u008a' looking for beginning of value");
  });
});

describe('assets, prices, hashes', () => {
  it('has 32/30/30/42/62 assets per version with PNT/PEG first and USD second', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map((v) => assetsForVersion(v as 1).length), [32, 30, 30, 42, 62]);
    assert.deepEqual([V1_ASSETS[0], V2_ASSETS[0], V4_ASSETS[0], V5_ASSETS[0]], ['PNT', 'PEG', 'PEG', 'PEG']);
    assert.equal(V5_ASSETS[1], 'USD');
    assert.deepEqual(V5_ASSETS.slice(0, 42), V4_ASSETS);
    assert.deepEqual(V4_ASSETS.slice(0, 30), V2_ASSETS);
    assert.equal(V5_ASSETS[61], 'NGN');
    assert.equal(new Set(V5_ASSETS).size, 62);
    assert.throws(() => assetsForVersion(6 as 1), /no OPR version/);
  });

  it('converts prices to 1e-8 units with rounding and back', () => {
    assert.equal(priceToUnits(1), 100000000n);
    assert.equal(priceToUnits(1.23456789), 123456789n);
    assert.equal(priceToUnits(0.000000025), 3n);
    assert.equal(priceToUnits(10710.23), 1071023000000n);
    assert.equal(unitsToPrice(1071023000000n), 10710.23);
    assert.throws(() => priceToUnits(-1), /no uint64/);
    assert.throws(() => priceToUnits(Number.NaN), /no uint64/);
  });

  it('hashes content with SHA-256 and names winners by the first 8 bytes of the entry hash', () => {
    assert.equal(hex(oprHash(utf8('abc'))), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(shortHash(bytes('0aa7da814df36be1ded005f56aa3d065b102f1c42b3b2c919226f2d3676a1f47')), '0aa7da814df36be1');
    assert.deepEqual(winnersToHex(winnersToBytes(['0AA7DA814DF36BE1', ''])), ['0aa7da814df36be1', '']);
    assert.throws(() => winnersToBytes(['xyz']), /not a short hash/);
  });
});

describe("the pool's own OPR", () => {
  const prices = new Map(V5_ASSETS.map((n, i) => [n, n === 'USD' ? 100000000n : 12345678n * BigInt(i + 1)]));
  const withPrice = (name: string, units: bigint) => new Map([...prices, [name, units]]);
  const prev = Array.from({ length: 25 }, (_, i) => i.toString(16).padStart(16, '0'));

  it('builds V5 content the grader accepts, with the prices in asset order', () => {
    const own = buildOwnOpr({ version: 5, height: 300000, address: 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q', identity: 'prosper', previousWinners: prev, prices });
    const back = decodeProtoContent(own.content);
    assert.equal(back.height, 300000);
    assert.deepEqual(winnersToHex(back.winners), prev);
    assert.equal(back.assets[1], 100000000n);
    assert.equal(back.assets[0], 12345678n);
    assert.deepEqual(back.assets, V5_ASSETS.map((n) => prices.get(n)));
    assert.equal(hex(own.oprHash), hex(oprHash(own.content)));
  });

  it('forces PEG to 0 in V2 and refuses what the network would refuse', () => {
    const v2 = buildOwnOpr({ version: 2, height: 215000, address: 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q', identity: 'p', previousWinners: prev, prices });
    assert.equal(decodeProtoContent(v2.content).assets[0], 0n);
    const base = { version: 5 as const, height: 1, address: 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q', identity: 'p', previousWinners: prev, prices };
    const code = (c: ProsperCode) => (e: unknown) => isProsperError(e, c);
    assert.throws(() => buildOwnOpr({ ...base, identity: 'bad id' }), code('PROSPER_E_PEGNET_OWN_OPR'));
    assert.throws(() => buildOwnOpr({ ...base, address: 'FA2jK2' }), code('PROSPER_E_PEGNET_OWN_OPR'));
    assert.throws(() => buildOwnOpr({ ...base, prices: withPrice('XBT', 0n) }), code('PROSPER_E_PEGNET_OWN_OPR'));
    assert.throws(() => buildOwnOpr({ ...base, prices: new Map([['USD', 100000000n]]) }), code('PROSPER_E_PEGNET_PRICE'));
    assert.throws(() => buildOwnOpr({ ...base, prices: withPrice('EUR', -1n) }), code('PROSPER_E_PEGNET_PRICE'));
    assert.throws(() => buildOwnOpr({ ...base, prices: withPrice('EUR', 1n << 64n) }), code('PROSPER_E_PEGNET_PRICE'));
    assert.throws(() => buildOwnOpr({ ...base, previousWinners: prev.slice(1) }), code('PROSPER_E_PEGNET_OWN_OPR'));
  });
});
