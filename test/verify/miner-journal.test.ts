// The miner's side against bad input: its journal (lines cut by a crash, control characters,
// invalid UTF-8) and a hostile or broken pool web (malformed replies, errors) give coded errors
// or skipped lines, never a wrong OK.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { creditForTarget } from '../../src/accounting/index.js';
import { journalCredit, readJournal, ShareJournal } from '../../src/verify/journal.js';
import { verifyJob } from '../../src/verify/job-verifier.js';
import { parseIdentityReply, parseProofReply, parseRootReply } from '../../src/verify/pool-reply.js';

const dir = mkdtempSync(join(tmpdir(), 'prosper-journal-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('share journal', () => {
  it('sums the credit of distinct acknowledged shares per job and skips lines that are not entries', () => {
    const path = join(dir, 'j', 'rig.jsonl');
    const j = new ShareJournal(path);
    const targets = [0xffff000000000000n, 0xfffff00000000000n, 0xffffff0000000000n, 1n];
    for (const [i, t] of targets.entries()) j.append({ job: 10, target: t, nonce: `aabbccdd0${i}` });
    j.append({ job: 10, target: targets[0]!, nonce: 'aabbccdd00' }); // the same share twice counts once
    j.append({ job: 11, target: targets[0]!, nonce: 'aabbccdd00' });
    appendFileSync(path, Buffer.concat([
      Buffer.from('{"job":10,"target":"ffff000000000000","nonce":"\u0000\u0001"}\n'),
      Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), // invalid UTF-8
      Buffer.from('{"job":-1,"target":"ff","nonce":"00"}\n{"job":10,"target":"1ffff000000000000","nonce":"00"}\n'),
      Buffer.from('{"job":10,"target":"ffff000000000000","nonce":"aabb'), // cut by a crash
    ]));
    const read = readJournal(path);
    assert.equal(read.skipped, 5);
    assert.equal(read.entries.length, 6);
    const c10 = journalCredit(read.entries, 10);
    assert.equal(c10.shares, 4);
    assert.equal(c10.credit, targets.reduce((s, t) => s + creditForTarget(t), 0n));
    assert.deepEqual(journalCredit(read.entries, 11), { credit: 65_536n, shares: 1 });
    assert.deepEqual(journalCredit(read.entries, 12), { credit: 0n, shares: 0 });
    assert.throws(() => readJournal(join(dir, 'missing.jsonl')), { code: 'PROSPER_E_VERIFY_JOURNAL' });
  });
});

describe('pool replies', () => {
  const key = 'ab'.repeat(32);
  const root = { jobId: 5, root: 'cd'.repeat(32), total: '10', leaves: 1, signature: 'ef'.repeat(64), reward: '100', feeRate: '0.05', poolFee: '5', dust: '0' };
  const proof = { jobId: 5, creditKey: key, credit: '10', path: [], root: root.root, total: '10', leaves: 1, signature: root.signature };

  it('well-formed replies parse to exact values', () => {
    assert.equal(parseIdentityReply({ publicKey: key }), key);
    assert.deepEqual(parseRootReply(root), { ...root, total: 10n, reward: 100n, poolFee: 5n, dust: 0n, scheme: 'prop', ppsRateE18: null, pplnsWindow: null });
    assert.deepEqual(parseProofReply({ ...proof, path: [{ side: 'L', hash: key, sum: '3' }] }).path, [{ side: 'L', hash: key, sum: 3n }]);
  });

  it('every malformed field is a coded error', () => {
    const bad: [string, () => unknown][] = [
      ['identity not an object', () => parseIdentityReply([key])],
      ['upper-case key', () => parseIdentityReply({ publicKey: key.toUpperCase() })],
      ['short root', () => parseRootReply({ ...root, root: 'cd' })],
      ['numeric total', () => parseRootReply({ ...root, total: 10 })],
      ['negative dust', () => parseRootReply({ ...root, dust: '-1' })],
      ['fee rate as a number', () => parseRootReply({ ...root, feeRate: 0.05 })],
      ['fee rate missing', () => parseRootReply({ ...root, feeRate: undefined })],
      ['fee rate in exponent form', () => parseRootReply({ ...root, feeRate: '5e-2' })],
      ['negative fee rate', () => parseRootReply({ ...root, feeRate: '-0.05' })],
      ['padded total', () => parseRootReply({ ...root, total: '010' })],
      ['fractional leaves', () => parseRootReply({ ...root, leaves: 1.5 })],
      ['control characters', () => parseRootReply({ ...root, signature: '\u0000'.repeat(128) })],
      ['bad side', () => parseProofReply({ ...proof, path: [{ side: 'X', hash: key, sum: '1' }] })],
      ['path too long', () => parseProofReply({ ...proof, path: Array.from({ length: 129 }, () => ({ side: 'L', hash: key, sum: '1' })) })],
      ['path not an array', () => parseProofReply({ ...proof, path: 'L' })],
      ['null', () => parseProofReply(null)],
    ];
    for (const [what, fn] of bad) assert.throws(fn, { code: 'PROSPER_E_VERIFY_REPLY' }, what);
  });

  it('a broken or hostile pool web: errors, not verdicts', async () => {
    let answer: { status: number; body: string } = { status: 200, body: '' };
    const server: Server = createServer((_req, res) => {
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(answer.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const poolWeb = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const job = () => verifyJob({ poolWeb, creditKey: key, publicKey: key, jobId: 5, entries: [] });
    try {
      answer = { status: 200, body: 'not json {' };
      await assert.rejects(job(), { code: 'PROSPER_E_VERIFY_REPLY' });
      answer = { status: 200, body: JSON.stringify({ ...root, total: 'lots' }) };
      await assert.rejects(job(), { code: 'PROSPER_E_VERIFY_REPLY' });
      answer = { status: 500, body: '{"error":{"code":"PROSPER_E_WEB_INTERNAL"}}' };
      await assert.rejects(job(), { code: 'PROSPER_E_VERIFY_FETCH' });
      answer = { status: 404, body: '{}' };
      assert.deepEqual(await job(), { status: 'unpublished' });
    } finally {
      server.close();
    }
    await assert.rejects(job(), { code: 'PROSPER_E_VERIFY_FETCH' });
  });
});
