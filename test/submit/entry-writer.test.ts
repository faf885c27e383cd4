import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chainsForNetwork } from '../../src/pegnet/index.js';
import { FactomdClient, encodeAddress, unmarshalEntry } from '../../src/factom/index.js';
import { silentLogger } from '../../src/log.js';
import { EntryWriter, type SubmissionRecord } from '../../src/submit/index.js';
import { startHarness, type Harness } from '../devnet/helpers.js';

const ES = 'Es2XT3jSxi1xqrDvS5JERM3W3jh1awRHuyoahn3hbQLyfEi1jvbq'; // funded by the devnet by default
const chainId = Buffer.from(chainsForNetwork('MainNet').opr, 'hex');
const content = Buffer.from('0a34464132', 'hex');

class MemoryLog {
  rows: SubmissionRecord[] = [];
  async record(r: SubmissionRecord): Promise<void> {
    this.rows.push(r);
  }
}

describe('entry writer against the devnet', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    h.toNextBlockMinute(3);
  });
  after(() => h.stop());

  it('commits and reveals an OPR entry that lands in the OPR chain with the three ExtIDs', async () => {
    const log = new MemoryLog();
    const sleeps: number[] = [];
    const writer = new EntryWriter({ client: h.client, esAddress: ES, log, logger: silentLogger(), now: h.clock.now, ackAfterMs: 1, sleep: async (ms) => { sleeps.push(ms); } });
    const before = await writer.ecBalance(true);
    const rec = await writer.submit({ jobId: 7, chainId, nonce: Buffer.from('0102030405', 'hex'), target: 0xfffe123456789abcn, version: 5, content, userId: '1', minerId: 'rig' });
    assert.equal(rec.status, 'revealed', rec.error);
    assert.match(rec.commitTxId, /^[0-9a-f]{64}$/);
    assert.equal(rec.nonce, '0102030405');
    await writer.drain();
    assert.deepEqual(log.rows.map((r) => r.status), ['revealed', 'acknowledged']);
    assert.equal(await writer.ecBalance(true), before - 1n, 'one EC paid');
    h.toNextBlockMinute(2);
    const raw = await h.client.rawData(rec.entryHash);
    const entry = unmarshalEntry(raw);
    assert.deepEqual(Buffer.from(entry.chainId), chainId);
    assert.deepEqual(entry.extIds.map((x) => Buffer.from(x).toString('hex')), ['0102030405', 'fffe123456789abc', '05']);
    assert.deepEqual(Buffer.from(entry.content), content);
  });

  it('records a failure, without paying, when the EC balance cannot pay', async () => {
    const log = new MemoryLog();
    const poor = encodeAddress('Es', Buffer.alloc(32, 9));
    const writer = new EntryWriter({ client: h.client, esAddress: poor, log, logger: silentLogger(), ackAfterMs: 0 });
    const rec = await writer.submit({ jobId: 8, chainId, nonce: Buffer.from('01', 'hex'), target: 1n, version: 5, content });
    assert.equal(rec.status, 'failed');
    assert.match(rec.error!, /PROSPER_E_SUBMIT_NO_EC/);
    assert.equal(log.rows.length, 1);
  });

  it('refuses an invalid esaddress at construction', () => {
    assert.throws(() => new EntryWriter({ client: h.client, esAddress: 'Es-nope', log: new MemoryLog(), logger: silentLogger() }), { code: 'PROSPER_E_SUBMIT_ESADDRESS' });
  });
});

describe('entry writer when factomd is unreachable', () => {
  it('retries with backoff, then records the failure', async () => {
    // A port that accepts and immediately closes: every call fails in transit.
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const client = new FactomdClient({ url: `http://127.0.0.1:${port}/v2`, retries: 0, timeoutMs: 2000 });
      const log = new MemoryLog();
      const sleeps: number[] = [];
      const writer = new EntryWriter({ client, esAddress: ES, log, logger: silentLogger(), attempts: 3, backoffMs: 10, sleep: async (ms) => { sleeps.push(ms); } });
      const rec = await writer.submit({ jobId: 9, chainId, nonce: Buffer.from('02', 'hex'), target: 5n, version: 5, content });
      assert.equal(rec.status, 'failed');
      assert.match(rec.error!, /PROSPER_E_FACTOM_(UNREACHABLE|HTTP|BAD_REPLY)/);
      assert.deepEqual(log.rows.map((r) => r.status), ['failed']);
      assert.deepEqual(sleeps, [10, 20], 'two retries, the delay doubling');
    } finally {
      server.close();
    }
  });
});
