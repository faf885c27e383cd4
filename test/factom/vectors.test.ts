import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildChainCommit,
  buildDirectoryBlock,
  buildEntry,
  buildEntryBlock,
  buildEntryCommit,
  chainIdFromExtIds,
  decodeAddress,
  eblockBodyFromMinutes,
  ecAddressFromPrivate,
  ecPublicKeyFromPrivate,
  entryHash,
  entryHashOfBytes,
  fctAddressFromPrivate,
  encodeAddress,
  isValidChainCommit,
  isValidEntryCommit,
  marshalEntry,
  parseChainCommit,
  parseDirectoryBlock,
  parseEntryBlock,
  parseEntryCommit,
  publicKeyFromSeed,
  rcdHash,
  unmarshalEntry,
  ADMIN_CHAIN_ID,
  EC_CHAIN_ID,
  FACTOID_CHAIN_ID,
  NETWORK_ID,
  ZERO32,
  chainWeld,
  sha256d,
} from '../../src/factom/index.js';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');
const ZERO_SEED = Buffer.alloc(32);
const TEST_CHAIN = '954d5a49fd70d9b8bcdb35d252267829957f7ef7fa6c74f88419bdc5e82209f4';

test('docs entry hash and ChainID(["test"])', () => {
  assert.equal(chainIdFromExtIds([Buffer.from('test')]).toString('hex'), TEST_CHAIN);
  const bytes = hex(`00${TEST_CHAIN}00005061796c6f616448657265`);
  assert.equal(entryHashOfBytes(bytes).toString('hex'), '72177d733dcd0492066b79c5f3e417aef7f22909674f7dc351ca13b04742bb91');
  const e = unmarshalEntry(bytes);
  assert.equal(e.extIds.length, 0);
  assert.equal(e.content.toString(), 'PayloadHere');
  assert.deepEqual(marshalEntry(e), bytes);
});

test('FactomProject/factom test entry: chain id, binary, hash', () => {
  const e = buildEntry(['This is the first extid.', 'This is the second extid.'], 'This is a test Entry.');
  assert.equal(e.chainId.toString('hex'), '5a402200c5cf278e47905ce52d7d64529a0291829a7bd230072c5468be709069');
  assert.equal(
    marshalEntry(e).toString('hex'),
    '005a402200c5cf278e47905ce52d7d64529a0291829a7bd230072c5468be7090690035001854686973206973207468652066697273742065787469642e00195468697320697320746865207365636f6e642065787469642e546869732069732061207465737420456e7472792e',
  );
  assert.equal(entryHash(e).toString('hex'), '52385948ea3ab6fd67b07664ac6a30ae5f6afa94427a547c142517beaa9054d0');
});

test('entry reveal, entry commit and chain commit with the all-zero key are byte-exact', () => {
  const e = buildEntry(['test'], 'test!');
  assert.equal(marshalEntry(e).toString('hex'), `00${TEST_CHAIN}00060004746573747465737421`);
  const h = entryHash(e);
  assert.equal(h.toString('hex'), '285ed45081d5b8819a678d13c7c2d04f704b34c74e8aaecd9bd34609bee04720');

  const commit = buildEntryCommit(h, 1, ZERO_SEED, 1500000000000);
  assert.equal(
    commit.toString('hex'),
    '00015d3ef79800285ed45081d5b8819a678d13c7c2d04f704b34c74e8aaecd9bd34609bee04720013b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da2997d399db57cd0b25e666560c37a9f10e2f5cc69f181c01b56dc90f5387f9f3f1d6bd99deaa3ef3544c9178b87dba48d1c26dacdeed9d8c5aed4f3ccb62cae303',
  );
  const pc = parseEntryCommit(commit);
  assert.equal(pc.txid.toString('hex'), '2a0df455879b1890528dc827f748dbae49ffd56e0a479dd2a54707cfb2a76403');
  assert.equal(pc.timestampMs, 1500000000000);
  assert.ok(isValidEntryCommit(pc));

  const chain = buildChainCommit(e.chainId, h, 11, ZERO_SEED, 1500000000000);
  assert.equal(
    chain.toString('hex'),
    '00015d3ef79800516870d4c0e1ee2d5f0d415e51fc10ae6b8d895561e9314afdc33048194d76f07cc61c8a81aea23d76ff6447689757dc1e36af66e300ce3e06b8d816c79acfd2285ed45081d5b8819a678d13c7c2d04f704b34c74e8aaecd9bd34609bee047200b3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da297bdb92c5a3c1342f822433546982ef8766c19272e161152a2b1838a5f55b756b5ee761a54482091990f86aeaee6521eef5bcf212c3c755b1463154662e43f00b',
  );
  const cc = parseChainCommit(chain);
  assert.equal(cc.txid.toString('hex'), 'da25459070e19694a70dc5dfd538d9378336c16db3053ceb037645a5694bd2b0');
  assert.ok(isValidChainCommit(cc));
  assert.deepEqual(cc.chainIdHash, sha256d(e.chainId));
});

test('docs reveal: entry hash and chain id', () => {
  const bytes = hex('007E18CCC911F057FB111C7570778F6FDC51E189F35A6E6DA683EC2A264443531F000E0005746573745A0005746573745A48656C6C6F20466163746F6D21');
  const e = unmarshalEntry(bytes);
  assert.equal(entryHashOfBytes(bytes).toString('hex'), 'f5c956749fc3eba4acc60fd485fb100e601070a44fcce54ff358d60669854734');
  assert.equal(e.chainId.toString('hex'), '7e18ccc911f057fb111c7570778f6fdc51e189f35a6e6da683ec2a264443531f');
  assert.deepEqual(e.extIds.map((x) => x.toString()), ['testZ', 'testZ']);
  assert.equal(e.content.toString(), 'Hello Factom!');
  assert.deepEqual(chainIdFromExtIds(e.extIds), e.chainId);
});

test('docs commit-entry message: signature valid, txid as factomd computes', () => {
  const c = parseEntryCommit(
    hex('00015507C1024BF5C956749FC3EBA4ACC60FD485FB100E601070A44FCCE54FF358D60669854734013B6A27BCCEB6A42D62A3A8D02A6F0D73653215771DE243A63AC048A18B59DA29F4CBD953E6EBE684D693FDCA270CE231783E8ECC62D630F983CD59E559C6253F84D1F54C8E8D8665D493F7B4A4C1864751E3CDEC885A64C2144E0938BF648A00'),
  );
  assert.ok(isValidEntryCommit(c));
  assert.equal(c.txid.toString('hex'), '8b751bc182766e6187d39b1eca538d9ece0b8ff662e408cd4e45f89359f8c7e7');
  assert.equal(c.entryHash.toString('hex'), 'f5c956749fc3eba4acc60fd485fb100e601070a44fcce54ff358d60669854734');
  // A flipped signature bit must fail verification.
  const bad = Buffer.from(c.bytes);
  bad[100] ^= 1;
  assert.equal(isValidEntryCommit(parseEntryCommit(bad)), false);
});

test('docs commit-chain message: txid, chainidhash, weld, credits', () => {
  const c = parseChainCommit(
    hex('00015507b2f70bd0165d9fa19a28cfaafb6bc82f538955a98c7b7e60d79fbf92655c1bff1c76466cb3bc3f3cc68d8b2c111f4f24c88d9c031b4124395c940e5e2c5ea496e8aaa2f5c956749fc3eba4acc60fd485fb100e601070a44fcce54ff358d606698547340b3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da2946c901273e616bdbb166c535b26d0d446bc69b22c887c534297c7d01b2ac120237086112b5ef34fc6474e5e941d60aa054b465d4d770d7f850169170ef39150b'),
  );
  assert.ok(isValidChainCommit(c));
  assert.equal(c.txid.toString('hex'), '76e123d133a841fe3e08c5e3f3d392f8431f2d7668890c03f003f541efa8fc61');
  assert.equal(c.chainIdHash.toString('hex'), 'd0165d9fa19a28cfaafb6bc82f538955a98c7b7e60d79fbf92655c1bff1c7646');
  assert.equal(c.weld.toString('hex'), '6cb3bc3f3cc68d8b2c111f4f24c88d9c031b4124395c940e5e2c5ea496e8aaa2');
  assert.equal(c.credits, 11);
  const chainId = hex('7e18ccc911f057fb111c7570778f6fdc51e189f35a6e6da683ec2a264443531f');
  assert.deepEqual(chainWeld(c.entryHash, chainId), c.weld);
  assert.deepEqual(sha256d(chainId), c.chainIdHash);
});

test('a 200-byte chain commit is not a valid entry commit', () => {
  const chain = buildChainCommit(chainIdFromExtIds([Buffer.from('x')]), Buffer.alloc(32, 7), 11, ZERO_SEED, 1500000000000);
  // Parsed as an entry commit, the first 136 bytes carry the wrong credits and an invalid signature.
  assert.equal(isValidEntryCommit(parseEntryCommit(chain)), false);
});

test('docs testnet dblock 14460: BodyMR, KeyMR, dbhash, headerhash', () => {
  const raw = hex(
    '00fa92e5a37716df6083612597d4ef18a8076c40676cd8e0df8110825c07942ca5d30073b4fa7e6e2d37b012d71111bc4e649f1cb9d6f0321964717d35636e4637699d8da2469c7fdce467d222363d55ac234901d8acc61fd4045ae26dd54dac17c556ef86017874b60000387c00000003000000000000000000000000000000000000000000000000000000000000000a574e7d6178e04c92879601f0cb84a619f984eb2617ff9e76ee830a9f614cc9a0000000000000000000000000000000000000000000000000000000000000000c2a10f1678b9736f213ef3ac76e4f8aa910e5fed66733aa30dafdc91245157b3b000000000000000000000000000000000000000000000000000000000000000fcbadd7e280377ad8360a4b309df9d14f56552582c05100145ca3367e50adc497',
  );
  const b = parseDirectoryBlock(raw);
  assert.equal(b.header.networkId, 4203931043);
  assert.equal(b.header.bodyMr.toString('hex'), '7716df6083612597d4ef18a8076c40676cd8e0df8110825c07942ca5d30073b4');
  assert.equal(b.keyMr.toString('hex'), '18509c431ee852edbe1029d676217a0d9cb4fcc11ef8e9aef27fd6075167120c');
  assert.equal(b.fullHash.toString('hex'), 'aa7d881d23aad83425c3f10996999d31c76b51b14946f7aca204c150e81bc6d6');
  assert.equal(b.headerHash.toString('hex'), '2ae6d3ec3b9bdfc949450ad110fa877c43d119b17029ff0f2fd696149be2bee1');
  assert.equal(b.header.timestamp, 24671414);
  assert.equal(b.header.dbHeight, 14460);
  assert.equal(b.entries.length, 3);
  assert.deepEqual(b.bytes, raw);
  // A corrupted BodyMR is rejected.
  const bad = Buffer.from(raw);
  bad[10] ^= 0xff;
  assert.throws(() => parseDirectoryBlock(bad), { code: 'PROSPER_E_FACTOM_DECODE' });
  assert.throws(() => parseDirectoryBlock(raw.subarray(0, raw.length - 1)), { code: 'PROSPER_E_FACTOM_DECODE' });
});

test('addresses: Fs→FA, Es→EC, all-zero key, range strings', () => {
  const fs = 'Fs3E9gV6DXsYzf7Fqx1fVBQPQXV695eP3k5XbmHEZVRLkMdD9qCK';
  const fsPub = publicKeyFromSeed(decodeAddress('Fs', fs));
  assert.equal(rcdHash(fsPub).toString('hex'), '646f3e8750c550e4582eca5047546ffef89c13a175985e320232bacac81cc428');
  assert.equal(fctAddressFromPrivate(fs), 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q');
  const es = 'Es2XT3jSxi1xqrDvS5JERM3W3jh1awRHuyoahn3hbQLyfEi1jvbq';
  assert.equal(decodeAddress('Es', es).toString('hex'), '0d26b92b985aaca8041833ccdeefa27b209df0fa67bedaa858eef05a002bc94e');
  assert.equal(ecPublicKeyFromPrivate(es).toString('hex'), 'e0258b1b95d757f061cb79425cbefe5e761946f76418b14c149ecd738c81ea53');
  assert.equal(ecAddressFromPrivate(es), 'EC3TsJHUs8bzbbVnratBafub6toRYdgzgbR7kWwCW4tqbmyySRmg');
  assert.equal(publicKeyFromSeed(ZERO_SEED).toString('hex'), '3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29');
  assert.equal(ecAddressFromPrivate('Es2Rf7iM6PdsqfYCo3D1tnAR65SkLENyWJG1deUzpRMQmbh9F3eG'), 'EC2DKSYyRcNWf7RS963VFYgMExoHRYLHVeCfQ9PGPmNzwrcmgm2r');
  const ff = Buffer.alloc(32, 0xff);
  const ranges: [Parameters<typeof encodeAddress>[0], string, string][] = [
    ['FA', 'FA1y5ZGuHSLmf2TqNf6hVMkPiNGyQpQDTFJvDLRkKQaoPo4bmbgu', 'FA3upjWMKHmStAHR5ZgKVK4zVHPb8U74L2wzKaaSDQEonHajiLeq'],
    ['Fs', 'Fs1KWJrpLdfucvmYwN2nWrwepLn8ercpMbzXshd1g8zyhKXLVLWj', 'Fs3GFV6GNV6ar4b8eGcQWpGFbFtkNWKfEPdbywmha8ez5p7XMJyk'],
    ['EC', 'EC1m9mouvUQeEidmqpUYpYtXg8fvTYi6GNHaKg8KMLbdMBrFfmUa', 'EC3htx3MxKqKTrTMYj4ApWD8T3nYBCQw99veRvH1FLFdjgN6GuNK'],
    ['Es', 'Es2Rf7iM6PdsqfYCo3D1tnAR65SkLENyWJG1deUzpRMQmbh9F3eG', 'Es4NQHwo8F4Z4oMnVwndtjV1rzZN3t5pP5u5jtdgiR1RA6FH4Tmc'],
  ];
  for (const [kind, lo, hi] of ranges) {
    assert.equal(encodeAddress(kind, ZERO32), lo);
    assert.equal(encodeAddress(kind, ff), hi);
    assert.deepEqual(decodeAddress(kind, lo), ZERO32);
    assert.deepEqual(decodeAddress(kind, hi), ff);
  }
});

test('derived eblock and dblock (regression vector)', () => {
  const e1 = hex('285ed45081d5b8819a678d13c7c2d04f704b34c74e8aaecd9bd34609bee04720');
  const e2 = hex('52385948ea3ab6fd67b07664ac6a30ae5f6afa94427a547c142517beaa9054d0');
  const objects = eblockBodyFromMinutes([
    { hash: e1, minute: 0 },
    { hash: e2, minute: 4 },
  ]);
  const eb = buildEntryBlock({ chainId: hex(TEST_CHAIN), prevKeyMr: ZERO32, prevFullHash: ZERO32, sequence: 0, dbHeight: 7, objects });
  assert.equal(eb.bytes.length, 140 + 4 * 32);
  assert.equal(eb.header.bodyMr.toString('hex'), '74af1ce4b3b257b1e001b38ffd39c7cac360356b051d04bf91c9643d6d8ce9bd');
  assert.equal(eb.keyMr.toString('hex'), '18e748120e90d6e1b14b4fbb0d251865237b7e60fe1ff7834e3f43fe81d92590');
  assert.equal(eb.fullHash.toString('hex'), 'f0dbd460e92b6bd92a72ce951d0f1b4ff64c7f12562df2f0b982029c86969215');
  assert.deepEqual(parseEntryBlock(eb.bytes).keyMr, eb.keyMr);

  const db = buildDirectoryBlock({
    networkId: NETWORK_ID.LOCAL,
    prevKeyMr: ZERO32,
    prevFullHash: ZERO32,
    timestamp: 27000000,
    dbHeight: 7,
    entries: [
      { chainId: ADMIN_CHAIN_ID, keyMr: Buffer.alloc(32, 0x11) },
      { chainId: EC_CHAIN_ID, keyMr: Buffer.alloc(32, 0x22) },
      { chainId: FACTOID_CHAIN_ID, keyMr: Buffer.alloc(32, 0x33) },
      { chainId: hex(TEST_CHAIN), keyMr: eb.keyMr },
    ],
  });
  assert.equal(db.header.bodyMr.toString('hex'), '13ebd71853c7581d077610cfff8c24c8f761f0f91107657c1ada8cb02719ad4c');
  assert.equal(db.keyMr.toString('hex'), 'e4dcbe6fe378367202107dc5a6c289bfacf5867ea77a27200428f440546ab9fa');
  assert.equal(db.fullHash.toString('hex'), '8dbf0335865044aead48c9e4b5cdb885c6190f6a25c699933a794fe5f4f9e5b1');
  assert.equal(db.headerHash.toString('hex'), '2bac8500f09f932b4130309e8514dd06a3946345d901edf2ecdde815b32975b8');
  assert.deepEqual(parseDirectoryBlock(db.bytes).keyMr, db.keyMr);
});

test('factomd receipt branch: every top = sha256(left ‖ right)', async () => {
  const { merkleRoot } = await import('../../src/factom/index.js');
  const branch = [
    ['be5fb8c3ba92c0436269fab394ff7277c67e9b2de4431b723ce5d89799c0b93a', '0000000000000000000000000000000000000000000000000000000000000009', '87e5cb6bf6aad44b83123f0b79c47a4cf44ee592a05ae30d54dfa54f69754401'],
    ['53b5bc6f2abc3e7530bae3b5d799f916a1767e041b3240346624c2047be3153b', '87e5cb6bf6aad44b83123f0b79c47a4cf44ee592a05ae30d54dfa54f69754401', 'bcdbea5044d0ab6ca1f961a0075db69248a6d3d19abad612eb79e1ed1533486b'],
    ['6e7e64ac45ff57edbf8537a0c99fba2e9ee351ef3d3f4abd93af9f01107e592c', 'bcdbea5044d0ab6ca1f961a0075db69248a6d3d19abad612eb79e1ed1533486b', 'ae2b49bd6c561a3000c9688dc2a1518905520b719defd89e4e53911c6b396231'],
    ['9f1c92629ac43a9f162dbd0a34ab166b35894178bbedcdcf93ed304619ef509d', 'ae2b49bd6c561a3000c9688dc2a1518905520b719defd89e4e53911c6b396231', 'd3c0718340eab8e5ffbda23adefd6ffc044b4cd5b47bd271ddb7695dab306706'],
    ['dacc48acfa3421f18ef812af94a02269ad9478c0c8593e7bfdad856a3b71d799', 'd3c0718340eab8e5ffbda23adefd6ffc044b4cd5b47bd271ddb7695dab306706', '349eb6210c01471dc1772ae334446771415c684faaa01db6a6c03650a2860d7a'],
    ['349eb6210c01471dc1772ae334446771415c684faaa01db6a6c03650a2860d7a', 'af7c351e6d8ab20ea21479624f05999b59a187da91fbdd852092292dafd327a1', '5fd3cfa60fc76eb9180528bfc543b6343438c6d4997dd194b72582cef2a5e3b3'],
    ['b20babddd9be6711c4d707bb7eb16bb1d2042832a1cbf49465903936ee0dff59', '5fd3cfa60fc76eb9180528bfc543b6343438c6d4997dd194b72582cef2a5e3b3', '0a30d74682b42cc4c3e6c6f8fcc8a353b39c57475cb89f9cdfec7f07cc195b67'],
  ];
  for (const [l, r, top] of branch) assert.equal(merkleRoot([hex(l), hex(r)]).toString('hex'), top);
  // Entry + marker 9 is a raw (un-rehashed) leaf pair: a one-entry eblock body with marker 9.
  assert.equal(merkleRoot([hex(branch[0][0]), hex(branch[0][1])]).toString('hex'), branch[1][1]);
  const [step] = (await import('../../src/factom/index.js')).merkleBranch([hex(branch[0][0]), hex(branch[0][1])], 0);
  assert.deepEqual([step.left, step.right, step.top].map((b) => b.toString('hex')), branch[0]);
});

test('docs factoid-submit tx: amounts, addresses, signature, txid, fee', async () => {
  const f = await import('../../src/factom/index.js');
  const tx = f.parseFactoidTransaction(
    hex('0201565d109233010100b0a0e100646f3e8750c550e4582eca5047546ffef89c13a175985e320232bacac81cc428afd7c200ce7b98bfdae90f942bc1fe88c3dd44d8f4c81f4eeb88a5602da05abc82ffdb5301718b5edd2914acc2e4677f336c1a32736e5e9bde13663e6413894f57ec272e28dc1908f98b79df30005a99df3c5caf362722e56eb0e394d20d61d34ff66c079afad1d09eee21dcd4ddaafbb65aacea4d5c1afcd086377d77172f15b3aa32250a'),
  );
  assert.equal(tx.bytes.length, 179);
  assert.equal(tx.inputs.length, 1);
  assert.equal(tx.inputs[0].amount, 101200000n);
  assert.equal(f.encodeAddress('FA', tx.inputs[0].address), 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q');
  assert.equal(tx.rcdPublicKeys[0].toString('hex'), '718b5edd2914acc2e4677f336c1a32736e5e9bde13663e6413894f57ec272e28');
  assert.equal(tx.outputs[0].amount, 100000000n);
  assert.equal(f.encodeAddress('FA', tx.outputs[0].address), 'FA3Y1tBWnFpyoZUPr9ZH51R1gSC8r5x5kqvkXL3wy4uRvzFnuWLB');
  assert.ok(f.verifyFactoidTransaction(tx));
  assert.equal(tx.txid.toString('hex'), 'aa8bac391e744340140ea0d95c7b37f9cc8a58601961bd751f5adb042af6f33b');
  assert.equal(f.minimumFactoidFee(tx, 100000n), 1200000n);
  assert.deepEqual(f.encodeVarIntF(128n), Buffer.from([0x81, 0x00]));
  assert.equal(f.decodeVarIntF(f.encodeVarIntF(101200000n), 0).value, 101200000n);
  const tampered = Buffer.from(tx.bytes);
  tampered[20] ^= 1;
  assert.equal(f.verifyFactoidTransaction(f.parseFactoidTransaction(tampered)), false);
  assert.throws(() => f.parseFactoidTransaction(tx.bytes.subarray(0, 150)), { code: 'PROSPER_E_FACTOM_DECODE' });
  // Rebuilt from the documented secret of FA2jK2… (ed25519 is deterministic): byte-exact.
  const rebuilt = f.buildFactoidTransaction({
    timestampMs: tx.timestampMs,
    inputs: [{ seed: f.decodeAddress('Fs', 'Fs3E9gV6DXsYzf7Fqx1fVBQPQXV695eP3k5XbmHEZVRLkMdD9qCK'), amount: 101200000n }],
    outputs: [{ address: tx.outputs[0].address, amount: 100000000n }],
  });
  assert.deepEqual(rebuilt, tx.bytes);
});
