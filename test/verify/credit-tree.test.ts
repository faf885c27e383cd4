// The Merkle-sum credit tree against a deliberately naive second implementation written here
// straight from the format in docs/verifiable-accounting.md (string hex, recursion on arrays),
// for 0, 1, 2, 3, 5, 8 and 1000 leaves; then every way of tampering a verifier must catch.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreditTree, loadOrCreatePoolIdentity, rawPublicKey, rootFromPath, signStatement, statementBytes, statementSignedBy, type CreditLeaf,
} from '../../src/verify/index.js';
import { checkJobCredit } from '../../src/verify/proof-check.js';
import type { ProofReply, RootReply } from '../../src/verify/pool-reply.js';

// ---- the naive implementation: nothing shared with src/ but node:crypto's SHA-256 ----
const sha = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');
const be16 = (n: bigint) => n.toString(16).padStart(32, '0');
type Naive = { hash: string; sum: bigint };
function naiveRoot(leaves: { key: string; credit: bigint }[]): Naive {
  const sorted = [...leaves].sort((a, b) => Buffer.compare(Buffer.from(a.key, 'hex'), Buffer.from(b.key, 'hex')));
  const tree = (xs: typeof sorted): Naive => {
    if (xs.length === 1) return { hash: sha('00' + xs[0]!.key + be16(xs[0]!.credit)), sum: xs[0]!.credit };
    let k = 1;
    while (k * 2 < xs.length) k *= 2;
    const l = tree(xs.slice(0, k));
    const r = tree(xs.slice(k));
    return { hash: sha('01' + l.hash + be16(l.sum) + r.hash + be16(r.sum)), sum: l.sum + r.sum };
  };
  return tree(sorted);
}

/** Deterministic leaves: key = SHA-256("key" i), credit a spread of sizes incl. 1 and above 2^64. */
function leavesOf(n: number): CreditLeaf[] {
  return Array.from({ length: n }, (_, i) => ({
    creditKey: createHash('sha256').update(`key ${i}`).digest('hex'),
    credit: i % 7 === 3 ? (1n << 70n) + BigInt(i) : BigInt(1 + ((i * 65_537) % 1_000_003)) * 65_536n,
  }));
}

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const POOL_KEY = rawPublicKey(publicKey);
const other = generateKeyPairSync('ed25519');

function published(jobId: number, tree: CreditTree, key = privateKey): RootReply {
  const s = { jobId, root: tree.root.hash.toString('hex'), total: tree.root.sum, leaves: tree.size };
  return {
    jobId, root: s.root, total: s.total, leaves: s.leaves, signature: signStatement(s, key), reward: 1_000_000_007n, feeRate: '0.05', poolFee: 50_000_000n, dust: 0n,
    scheme: 'prop', ppsRateE18: null, pplnsWindow: null,
  };
}

function proofOf(root: RootReply, tree: CreditTree, key: string): ProofReply {
  const p = tree.proof(key)!;
  return { jobId: root.jobId, creditKey: key, credit: p.leaf.credit, path: p.path, root: root.root, total: root.total, leaves: root.leaves, signature: root.signature };
}

describe('credit tree vectors', () => {
  it('no leaves: no tree', () => {
    assert.throws(() => new CreditTree([]), { code: 'PROSPER_E_VERIFY_TREE' });
  });

  for (const n of [1, 2, 3, 5, 8, 1000]) {
    it(`${n} leaves: the root and total equal the naive implementation's, every proof reaches them`, () => {
      const leaves = leavesOf(n);
      // Input order must not matter: shuffle deterministically.
      const shuffled = [...leaves].reverse();
      const tree = new CreditTree(shuffled);
      const naive = naiveRoot(leaves.map((l) => ({ key: l.creditKey, credit: l.credit })));
      assert.equal(tree.root.hash.toString('hex'), naive.hash);
      assert.equal(tree.root.sum, naive.sum);
      assert.equal(tree.root.sum, leaves.reduce((s, l) => s + l.credit, 0n));
      const expectedDepth = Math.ceil(Math.log2(n));
      for (const l of n > 50 ? leaves.filter((_, i) => i % 37 === 0 || i === n - 1) : leaves) {
        const p = tree.proof(l.creditKey)!;
        assert.equal(p.leaf.credit, l.credit);
        assert.ok(p.path.length <= expectedDepth, `path of ${p.path.length} steps in a tree of ${n}`);
        const reached = rootFromPath(p.leaf, p.path);
        assert.equal(reached.hash.toString('hex'), naive.hash);
        assert.equal(reached.sum, naive.sum);
      }
      assert.equal(tree.proof('ff'.repeat(32)), null);
    });
  }

  it('a single leaf is its own root; two leaves are one node (fixed vector, as in the docs)', () => {
    const a = '00'.repeat(31) + '01';
    const b = '00'.repeat(31) + '02';
    const one = new CreditTree([{ creditKey: a, credit: 65_536n }]);
    assert.equal(one.root.hash.toString('hex'), sha('00' + a + be16(65_536n)));
    assert.deepEqual(one.proof(a)!.path, []);
    const two = new CreditTree([{ creditKey: b, credit: 2n }, { creditKey: a, credit: 1n }]);
    const la = sha('00' + a + be16(1n));
    const lb = sha('00' + b + be16(2n));
    assert.equal(two.root.hash.toString('hex'), sha('01' + la + be16(1n) + lb + be16(2n)));
    assert.deepEqual(two.proof(a)!.path, [{ side: 'R', hash: lb, sum: 2n }]);
    assert.deepEqual(two.proof(b)!.path, [{ side: 'L', hash: la, sum: 1n }]);
  });

  it('the published test vector (docs/verifiable-accounting.md)', () => {
    const key = (i: number) => '00'.repeat(31) + i.toString(16).padStart(2, '0');
    const t = new CreditTree([{ creditKey: key(3), credit: 1n }, { creditKey: key(1), credit: 65_536n }, { creditKey: key(2), credit: 131_072n }]);
    assert.equal(t.root.hash.toString('hex'), '14561ffa6e06491a313a989ab427ab874460d8cbeb98cb74709f020df79d6808');
    assert.equal(t.root.sum, 196_609n);
    assert.deepEqual(t.proof(key(3))!.path, [{ side: 'L', hash: '5c8b0766189100d5f68e8938c61b5eae24c33d262d2748e1c2c71979932ee537', sum: 196_608n }]);
  });

  it('the statement is the exact bytes of the format', () => {
    const s = { jobId: 205_000, root: 'ab'.repeat(32), total: 123_456n, leaves: 3 };
    assert.equal(statementBytes(s).toString('utf8'), `prosper-credit-root/v1\n205000\n${'ab'.repeat(32)}\n123456\n3`);
    const sig = signStatement(s, privateKey);
    assert.match(sig, /^[0-9a-f]{128}$/);
    assert.equal(statementSignedBy(s, sig, POOL_KEY), true);
    assert.equal(statementSignedBy({ ...s, leaves: 4 }, sig, POOL_KEY), false);
  });

  it('a repeated credit key or a credit past 16 bytes is refused', () => {
    const k = 'cd'.repeat(32);
    assert.throws(() => new CreditTree([{ creditKey: k, credit: 1n }, { creditKey: k, credit: 2n }]), { code: 'PROSPER_E_VERIFY_TREE' });
    assert.throws(() => new CreditTree([{ creditKey: k, credit: 1n << 128n }]), { code: 'PROSPER_E_VERIFY_TREE' });
    assert.throws(() => new CreditTree([{ creditKey: 'CD'.repeat(32), credit: 1n }]), { code: 'PROSPER_E_VERIFY_TREE' });
  });
});

describe('tampering fails verification', () => {
  const leaves = leavesOf(5);
  const tree = new CreditTree(leaves);
  const root = published(300, tree);
  const mine = tree.leaves[2]!;
  const honest = proofOf(root, tree, mine.creditKey);
  const check = (r: RootReply, p: ProofReply | null, expected = mine.credit) =>
    checkJobCredit({ jobId: 300, creditKey: mine.creditKey, publicKey: POOL_KEY, expectedCredit: expected, root: r, proof: p });

  it('the honest proof passes', () => {
    const res = check(root, honest);
    assert.deepEqual(res.problems, []);
    assert.equal(res.ok, true);
    assert.equal(res.amount, (950_000_007n * mine.credit) / tree.root.sum);
  });

  it('a changed credit in the proof', () => {
    const res = check(root, { ...honest, credit: honest.credit + 1n }, honest.credit + 1n);
    assert.equal(res.ok, false);
    assert.ok(res.problems.some((p) => p.includes('reaches root')), res.problems.join('\n'));
  });

  it('a changed credit in the tree the pool signs (the miner is under-credited): the exact difference is reported', () => {
    const cut = leaves.map((l) => (l.creditKey === mine.creditKey ? { ...l, credit: l.credit - 65_536n } : l));
    const t2 = new CreditTree(cut);
    const r2 = published(300, t2);
    const res = check(r2, proofOf(r2, t2, mine.creditKey));
    assert.equal(res.ok, false);
    assert.deepEqual(res.problems, [`credited ${mine.credit - 65_536n}, your acknowledged shares earn ${mine.credit} (under-credited by 65536)`]);
  });

  it('a dropped leaf: no proof for it, and a proof against the bigger signed root fails on the smaller tree', () => {
    const t2 = new CreditTree(leaves.filter((l) => l.creditKey !== mine.creditKey));
    const r2 = published(300, t2);
    const res = check(r2, null);
    assert.equal(res.ok, false);
    assert.match(res.problems[0]!, /no leaf for your credit key: credited 0/);
    // A sibling path from the smaller tree does not reach the root that included the leaf.
    const other = t2.leaves[0]!;
    const p = t2.proof(other.creditKey)!;
    const reached = rootFromPath(p.leaf, p.path);
    assert.notEqual(reached.hash.toString('hex'), root.root);
  });

  it('a reordered pair: swapped sides in the path, or two leaves out of order, reach another root', () => {
    const swapped = { ...honest, path: honest.path.map((s, i) => (i === 0 ? { ...s, side: s.side === 'L' ? ('R' as const) : ('L' as const) } : s)) };
    assert.equal(check(root, swapped).ok, false);
    // Building over leaves in the wrong order (no sort) gives a different root than the signed one.
    const naiveUnsorted = (() => {
      const [a, b, ...rest] = tree.leaves;
      const order = [b!, a!, ...rest];
      const leafH = order.map((l) => ({ hash: sha('00' + l.creditKey + be16(l.credit)), sum: l.credit }));
      const node = (l: Naive, r: Naive): Naive => ({ hash: sha('01' + l.hash + be16(l.sum) + r.hash + be16(r.sum)), sum: l.sum + r.sum });
      return node(node(node(leafH[0]!, leafH[1]!), node(leafH[2]!, leafH[3]!)), leafH[4]!);
    })();
    assert.equal(naiveUnsorted.sum, tree.root.sum);
    assert.notEqual(naiveUnsorted.hash, root.root);
  });

  it('a signature from another key', () => {
    const forged = { ...root, signature: signStatement({ jobId: 300, root: root.root, total: root.total, leaves: root.leaves }, other.privateKey) };
    const res = check(forged, { ...honest, signature: forged.signature });
    assert.equal(res.ok, false);
    assert.deepEqual(res.problems, [`the root's signature does not verify under the pinned pool key ${POOL_KEY}`]);
  });

  it('a total inflated in the statement (sums must add up along the path)', () => {
    const s = { jobId: 300, root: root.root, total: root.total + 1n, leaves: root.leaves };
    const inflated = { ...root, total: s.total, signature: signStatement(s, privateKey) };
    const res = check(inflated, { ...honest, total: s.total, signature: inflated.signature });
    assert.equal(res.ok, false);
    assert.ok(res.problems.some((p) => p.includes('sums to')), res.problems.join('\n'));
  });

  it('a pool fee that is not floor(reward x feeRate): the exact difference', () => {
    // floor(1 000 000 007 x 0.05) = 50 000 000 (the 0.35 is floored away).
    assert.deepEqual(check(root, honest).problems, []);
    const over = check({ ...root, poolFee: 50_000_001n }, honest);
    assert.deepEqual(over.problems, ['pool fee 50000001, but floor(reward 1000000007 x fee rate 0.05) is 50000000 (over by 1)']);
    const raised = check({ ...root, feeRate: '0.04' }, honest);
    assert.deepEqual(raised.problems, ['pool fee 50000000, but floor(reward 1000000007 x fee rate 0.04) is 40000000 (over by 10000000)']);
    const under = check({ ...root, poolFee: 49_000_000n }, honest);
    assert.deepEqual(under.problems, ['pool fee 49000000, but floor(reward 1000000007 x fee rate 0.05) is 50000000 (under by 1000000)']);
    const above = check({ ...root, feeRate: '1.5', poolFee: 1_500_000_010n }, honest);
    assert.ok(above.problems.includes('the fee rate 1.5 is above 1'), above.problems.join('\n'));
  });

  it('dust at or above the number of leaves', () => {
    const res = check({ ...root, dust: 5n }, honest);
    assert.equal(res.ok, false);
    assert.match(res.problems.join('\n'), /dust 5 is not below the number of leaves \(5\)/);
  });
});

describe('pool identity key file', () => {
  it('created once (mode 0600), loaded after; a file that is not an ed25519 PEM key is a coded error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'prosper-identity-'));
    try {
      const path = join(dir, 'sub', 'pool-identity.key');
      const first = loadOrCreatePoolIdentity(path);
      assert.match(first.publicKey, /^[0-9a-f]{64}$/);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.equal(loadOrCreatePoolIdentity(path).publicKey, first.publicKey);
      const sig = signStatement({ jobId: 1, root: '00'.repeat(32), total: 1n, leaves: 1 }, first.privateKey);
      assert.ok(statementSignedBy({ jobId: 1, root: '00'.repeat(32), total: 1n, leaves: 1 }, sig, first.publicKey));
      writeFileSync(join(dir, 'junk.key'), 'not a key\u0000\u00ff');
      assert.throws(() => loadOrCreatePoolIdentity(join(dir, 'junk.key')), { code: 'PROSPER_E_VERIFY_IDENTITY' });
      const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      writeFileSync(join(dir, 'rsa.key'), rsa);
      assert.throws(() => loadOrCreatePoolIdentity(join(dir, 'rsa.key')), { code: 'PROSPER_E_VERIFY_IDENTITY', message: /rsa key, not ed25519/ });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
