import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PEGNET_TX_CHAIN_MAINNET, buildPayoutEntry, signTransferBatch, transferBatchContent } from '../../src/accounting/pegnet-tx.js';
import { isProsperError, type ProsperCode } from '../../src/errors.js';
import { ed25519Verify } from '../../src/factom/index.js';
import { fixturePath } from '../helpers/paths.js';

/** Reads `key=value` lines of payout-tx-vector.txt. */
function vector(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(fixturePath('payout-tx-vector.txt'), 'utf8').split('\n')) {
    const m = /^([^=\s]+(?:\([^)]*\))?)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1], m[2]);
  }
  return out;
}

// The secret behind the vector's FA (pegnetd's test key; test/fixtures/README.md).
const FS = 'Fs3E9gV6DXsYzf7Fqx1fVBQPQXV695eP3k5XbmHEZVRLkMdD9qCK';
const A = 'FA1zT4aFpEvcnPqPCigB3fvGu4Q4mTXY22iiuV69DqE1pNhdF2MC';
const B = 'FA3PuRtw2WkgkUyEFgjLbzZFyef9dwD9maLWPrNr4VhfKxDwrK8J';

test('payout-tx-vector.txt is reproduced exactly: content, digest, signature, entry length and hash', () => {
  const v = vector();
  const input = v.get('FA')!.split(' ')[0];
  const transfers = [{ address: A, amount: 100_000_000n }, { address: B, amount: 50_000_000n }];
  assert.equal(transferBatchContent(input, transfers), v.get('content'));
  const signed = signTransferBatch({ content: v.get('content')!, chainId: PEGNET_TX_CHAIN_MAINNET, fsSecret: FS, timestampSalt: v.get('salt')! });
  assert.equal(signed.digest.toString('hex'), v.get('sha512("0"||salt||chain||content)'));
  assert.equal(signed.signature.toString('hex'), v.get('sig'));
  assert.equal(signed.extIds[1].toString('hex'), v.get('RCD'));
  assert.ok(ed25519Verify(signed.extIds[1].subarray(1), signed.digest, signed.signature));
  const built = buildPayoutEntry({ input, transfers, chainId: PEGNET_TX_CHAIN_MAINNET, fsSecret: FS, timestampSalt: v.get('salt')! });
  const [len, payload, cost, hash] = /^(\d+) payload=(\d+) ec_cost=(\d+) entryhash=([0-9a-f]{64})$/.exec(v.get('entry_len')!)!.slice(1);
  assert.equal(built.bytes.length, Number(len));
  assert.equal(built.bytes.length - 35, Number(payload));
  assert.equal(built.ecCost, Number(cost));
  assert.equal(built.entryHash, hash);
});

test('bad payouts are refused with coded errors', () => {
  const input = 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q';
  const ok = [{ address: B, amount: 1n }];
  const code = (fn: () => unknown, c: ProsperCode = 'PROSPER_E_ACCOUNTING_TX') => assert.throws(fn, (e) => isProsperError(e, c));
  code(() => transferBatchContent('FAbad', ok));
  code(() => transferBatchContent(A, ok), 'PROSPER_E_ACCOUNTING_TX'); // coinbase input
  code(() => transferBatchContent(input, []));
  code(() => transferBatchContent(input, [{ address: B, amount: 0n }]));
  code(() => transferBatchContent(input, [{ address: 'EC2DKSYyRcNWf7RS963VFYgMExoHRYLHVeCfQ9PGPmNzwrcmgm2r', amount: 1n }]));
  code(() => transferBatchContent(input, [{ address: B, amount: 1n << 63n }]));
  code(() => transferBatchContent(input, [{ address: B, amount: (1n << 62n) }, { address: A, amount: (1n << 62n) }]));
  code(() => signTransferBatch({ content: transferBatchContent(B, ok), chainId: PEGNET_TX_CHAIN_MAINNET, fsSecret: FS, timestampSalt: '1' }), 'PROSPER_E_ACCOUNTING_TX');
  code(() => signTransferBatch({ content: transferBatchContent(input, ok), chainId: PEGNET_TX_CHAIN_MAINNET, fsSecret: FS, timestampSalt: '-1' }));
  const many = Array.from({ length: 200 }, () => ({ address: B, amount: 123_456_789n }));
  code(() => buildPayoutEntry({ input, transfers: many, chainId: PEGNET_TX_CHAIN_MAINNET, fsSecret: FS, timestampSalt: '1600000000' }), 'PROSPER_E_ACCOUNTING_TX_TOO_BIG');
});
