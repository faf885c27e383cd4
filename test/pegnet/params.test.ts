import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAINNET_ACTIVATIONS, MAINNET_OPR_CHAIN, activationsFromFlags, blockReward, chainsForNetwork, factoidAddressProblem,
  firstSyncHeight, oprVersionAt, payoutForPosition, testingActivations, winnerCount,
} from '../../src/pegnet/index.js';
import { isProsperError } from '../../src/errors.js';
import { parseBlockFile } from '../../src/pegnet/index.js';

describe('activation heights', () => {
  it('grades MainNet heights with the version of their range', () => {
    const at = (h: number) => oprVersionAt(h, MAINNET_ACTIVATIONS);
    assert.deepEqual(
      [206422, 210329, 210330, 222269, 222270, 231619, 231620, 258795, 258796, 400000].map(at),
      [1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
    );
    assert.equal(firstSyncHeight(MAINNET_ACTIVATIONS), 206422);
    assert.equal(winnerCount(1), 10);
    assert.equal(winnerCount(5), 25);
  });

  it('--testing puts every gate at 0 and --act N at N (the original ignored --act)', () => {
    const t = activationsFromFlags({ testing: true });
    assert.equal(oprVersionAt(0, t), 5);
    assert.equal(firstSyncHeight(t), 1);
    const n = activationsFromFlags({ testing: true, act: '1200' });
    assert.deepEqual(n, testingActivations(1200));
    assert.equal(oprVersionAt(1199, n), 1);
    assert.equal(oprVersionAt(1200, n), 5);
    assert.equal(firstSyncHeight(n), 1201);
    assert.equal(activationsFromFlags({ act: 5 }), MAINNET_ACTIVATIONS, 'without --testing --act does nothing');
  });

  it('refuses a bad --act', () => {
    for (const act of ['-1', 'x', '1.5', -3, Number.NaN]) {
      assert.throws(() => activationsFromFlags({ testing: true, act }), (e: unknown) => isProsperError(e, 'PROSPER_E_PEGNET_ACTIVATION'));
    }
  });
});

describe('network chain ids', () => {
  it('derives the MainNet chains', () => {
    const c = chainsForNetwork('MainNet');
    assert.equal(c.opr, MAINNET_OPR_CHAIN);
    assert.equal(c.transactions, 'cffce0f409ebba4ed236d49d89c70e4bd1f1367d86402a3363366683265a242d');
    assert.equal(c.spr, 'd5e395125335a21cef0ceca528168e87fe929fdac1f156870c1b1be6502448b4');
    assert.deepEqual(chainsForNetwork(), c);
  });

  it("derives the reference miner's TestNet-pM7 and lists pegnetd's TestNet", () => {
    assert.equal(chainsForNetwork('TestNet-pM7').opr, '332d2649a1524918c0071ab4deb06c7e20a471193047d6046115a147a5b9651c');
    assert.equal(chainsForNetwork('TestNet-pM7').transactions, 'ad40cdc25de3080682c91537d87fc9b378722b3d56ba3e409a931eb0871fac43');
    assert.equal(chainsForNetwork('TestNet').opr, 'ad98d39f002d4cae9ed07a8f5689cb029a83ad3b4bd8d23c49345d4ca7ca4393');
  });

  it('refuses an empty network name', () => {
    assert.throws(() => chainsForNetwork(''), (e: unknown) => isProsperError(e, 'PROSPER_E_PEGNET_NETWORK'));
  });
});

describe('rewards per place', () => {
  it('pays V1 800/600/8x450, V2-V4 25x200, V5 25x360 PEG in 1e-8 units', () => {
    const peg = 100_000_000n;
    assert.deepEqual([0, 1, 2, 9, 10].map((p) => payoutForPosition(1, p)), [800n * peg, 600n * peg, 450n * peg, 450n * peg, 0n]);
    for (const v of [2, 3, 4] as const) assert.deepEqual([0, 24, 25].map((p) => payoutForPosition(v, p)), [200n * peg, 200n * peg, 0n]);
    assert.deepEqual([0, 24, 25, 49].map((p) => payoutForPosition(5, p)), [360n * peg, 360n * peg, 0n, 0n]);
    assert.equal(payoutForPosition(5, -1), 0n);
    assert.deepEqual([1, 2, 5].map((v) => blockReward(v as 1)), [5000n * peg, 5000n * peg, 9000n * peg]);
  });
});

describe('FA address check as the grader does it', () => {
  it('gives the reference reasons', () => {
    assert.equal(factoidAddressProblem('FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q'), undefined);
    assert.equal(factoidAddressProblem(''), 'address must be in base58');
    assert.equal(factoidAddressProblem('FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL10'), 'address must be in base58');
    assert.equal(factoidAddressProblem('FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1R'), 'checksum is not correct');
    assert.equal(factoidAddressProblem('EC2DKSYyRcNWf7RS963VFYgMExoHRYLHVeCfQ9PGPmNzwrcmgm2r'), 'address has wrong prefix');
    assert.equal(factoidAddressProblem('FA2jK2'), 'address is of wrong length');
  });
});

describe('block file reader', () => {
  const bad: [string, RegExp][] = [
    ['{"Height": 5, "Entries": [', /not JSON/],
    ['[]', /must be a JSON object/],
    ['{"Height": -1, "Entries": []}', /Height must be an int32/],
    ['{"Height": 5}', /Entries must be a list/],
    ['{"Height": 5, "Version": 6, "Entries": []}', /Version must be 1..5/],
    ['{"Height": 5, "Entries": [{"Hash": "zz", "ExtIDs": []}]}', /Hash must be hex/],
    ['{"Height": 5, "Entries": [{"Hash": "00", "ExtIDs": ["!!"]}]}', /ExtIDs\[0\] is not standard base64/],
    ['{"Height": 5, "PreviousWinners": [1], "Entries": []}', /PreviousWinners must be a list of strings/],
  ];
  for (const [text, message] of bad) {
    it(`refuses ${text}`, () => {
      assert.throws(() => parseBlockFile(text), (e: unknown) => isProsperError(e, 'PROSPER_E_PEGNET_BLOCK_FILE') && message.test((e as Error).message));
    });
  }

  it('takes the version from the height when the file does not say, and null content as empty', () => {
    const b = parseBlockFile('{"Height": 258796, "PreviousWinners": null, "Entries": [{"Hash": "00", "ExtIDs": ["AQ=="], "Content": null}]}');
    assert.equal(b.version, 5);
    assert.deepEqual(b.previousWinners, []);
    assert.equal(b.entries[0]!.content.length, 0);
    assert.deepEqual([...b.entries[0]!.extIds[0]!], [1]);
    assert.equal(parseBlockFile('{"Height": 210329, "Entries": []}').version, 1);
  });
});
