// The miner's per-job check under each payout scheme: PROP by the split formula, PPS by
// credit x the published rate, PPLNS credit only with a clear line instead of a false discrepancy.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { CreditTree, rawPublicKey, signStatement } from '../../src/verify/index.js';
import { formatVerdict } from '../../src/verify/job-verifier.js';
import { parseRootReply, type ProofReply, type RootReply } from '../../src/verify/pool-reply.js';
import { checkJobCredit } from '../../src/verify/proof-check.js';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const POOL_KEY = rawPublicKey(publicKey);
const key = (i: number) => createHash('sha256').update(`user ${i}`).digest('hex');
const tree = new CreditTree([{ creditKey: key(1), credit: 3_000_000n }, { creditKey: key(2), credit: 1_000_001n }]);
const signed = { jobId: 42, root: tree.root.hash.toString('hex'), total: tree.root.sum, leaves: tree.size };
const base = { jobId: 42, root: signed.root, total: signed.total, leaves: signed.leaves, signature: signStatement(signed, privateKey), reward: 0n, feeRate: '0', poolFee: 0n, dust: 0n };
const mine = tree.leaves.find((l) => l.creditKey === key(2))!;
const proof: ProofReply = { jobId: 42, creditKey: mine.creditKey, credit: mine.credit, path: tree.proof(mine.creditKey)!.path, root: base.root, total: base.total, leaves: base.leaves, signature: base.signature };
const check = (root: RootReply) => checkJobCredit({ jobId: 42, creditKey: mine.creditKey, publicKey: POOL_KEY, expectedCredit: mine.credit, root, proof });

describe('the per-job pay check by scheme', () => {
  it('PPS: the amount is credit x the published rate, even in a block the pool won nothing in', () => {
    const rate = 123_456_789_012_345n;
    const res = check({ ...base, scheme: 'pps', ppsRateE18: rate, pplnsWindow: null, dust: 1n });
    assert.deepEqual(res.problems, []);
    assert.equal(res.amount, (mine.credit * rate) / 10n ** 18n);
    // The fee rate of a PPS job is ppsfee, already inside the rate: the job's own fee is 0.
    assert.deepEqual(check({ ...base, reward: 10n ** 9n, feeRate: '0.02', scheme: 'pps', ppsRateE18: rate, pplnsWindow: null, dust: 1n }).problems, []);
    const feeTaken = check({ ...base, reward: 10n ** 9n, feeRate: '0.02', poolFee: 5n, scheme: 'pps', ppsRateE18: rate, pplnsWindow: null, dust: 1n });
    assert.deepEqual(feeTaken.problems, ['pool fee 5, but a PPS job takes no fee from its reward (the rate already carries it), so it is 0 (over by 5)']);
    const noRate = check({ ...base, scheme: 'pps', ppsRateE18: null, pplnsWindow: null });
    assert.equal(noRate.ok, false);
    assert.match(noRate.problems.join('\n'), /published no rate/);
  });

  it('PPLNS: the credit is checked, the pay is not, and the line says why', () => {
    const res = check({ ...base, reward: 10n ** 9n, feeRate: '0.01', poolFee: 10n ** 7n, scheme: 'pplns', ppsRateE18: null, pplnsWindow: 8_000_000n });
    assert.equal(res.ok, true);
    const feeRaised = check({ ...base, reward: 10n ** 9n, feeRate: '0.01', poolFee: 10n ** 7n + 1n, scheme: 'pplns', ppsRateE18: null, pplnsWindow: 8_000_000n });
    assert.deepEqual(feeRaised.problems, ['pool fee 10000001, but floor(reward 1000000000 x fee rate 0.01) is 10000000 (over by 1)'], 'a PPLNS job is still checked for its fee');
    assert.equal(res.amount, null);
    const line = formatVerdict(42, { status: 'checked', result: res, expected: mine.credit, shares: 3 });
    assert.match(line, /^credit check job 42: OK - credit 1000001 .* paid by PPLNS .* does not apply$/);
    assert.doesNotMatch(line, /DISCREPANCY/);
    const under = checkJobCredit({ jobId: 42, creditKey: mine.creditKey, publicKey: POOL_KEY, expectedCredit: mine.credit + 1n, root: { ...base, scheme: 'pplns', ppsRateE18: null, pplnsWindow: 1n }, proof });
    assert.equal(under.ok, false, 'a PPLNS job is still checked for under-credit');
  });

  it('reads the scheme from the pool, PROP when an older pool sends none, and refuses an unknown one', () => {
    const wire = { jobId: 42, root: base.root, total: String(base.total), leaves: base.leaves, signature: base.signature, reward: '5', feeRate: '0', poolFee: '0', dust: '0' };
    assert.equal(parseRootReply(wire).scheme, 'prop');
    assert.deepEqual(parseRootReply({ ...wire, scheme: 'pps', ppsRateE18: '77', pplnsWindow: null }).ppsRateE18, 77n);
    assert.throws(() => parseRootReply({ ...wire, scheme: 'solo' }), { code: 'PROSPER_E_VERIFY_REPLY' });
    assert.throws(() => parseRootReply({ ...wire, scheme: 'pps', ppsRateE18: '-1' }), { code: 'PROSPER_E_VERIFY_REPLY' });
  });
});
