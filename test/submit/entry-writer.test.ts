import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
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
    const rec = await writer.submit({ jobId: 7, chainId, nonce: Buffer.from('0102030405', 'hex'), target: 0xfffe123456789abcn, version: 5, content, userId: 1n, minerId: 'rig' });
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
  it('a balance read is retried by the client only: attempts do not nest', async () => {
    // A port that accepts and immediately closes: every call fails in transit.
    let connections = 0;
    const server = createServer((s) => { connections += 1; s.destroy(); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const waits: number[] = [];
      const client = new FactomdClient({ url: `http://127.0.0.1:${port}/v2`, retries: 2, backoffMs: 10, random: () => 0, timeoutMs: 2000, sleep: async (ms) => { waits.push(ms); } });
      const log = new MemoryLog();
      const writer = new EntryWriter({ client, esAddress: ES, log, logger: silentLogger(), attempts: 3, backoffMs: 10, sleep: async () => {} });
      const rec = await writer.submit({ jobId: 9, chainId, nonce: Buffer.from('02', 'hex'), target: 5n, version: 5, content });
      assert.equal(rec.status, 'failed');
      assert.match(rec.error!, /PROSPER_E_FACTOM_(UNREACHABLE|HTTP|BAD_REPLY)/);
      assert.deepEqual(log.rows.map((r) => r.status), ['failed']);
      assert.equal(connections, 3, 'three requests for one read (1 + 2 client retries), not 3 x 3');
      assert.deepEqual(waits, [10, 20], 'the delay doubling');
    } finally {
      server.close();
    }
  });

  it('retries a commit that failed in transit, with backoff, then records the failure', async () => {
    const methods: string[] = [];
    const server = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const { method, id } = JSON.parse(body) as { method: string; id: number };
        methods.push(method);
        if (method === 'entry-credit-balance') res.end(JSON.stringify({ jsonrpc: '2.0', id, result: { balance: 100 } }));
        else { res.statusCode = 503; res.end('unavailable'); }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const client = new FactomdClient({ url: `http://127.0.0.1:${port}/v2`, retries: 2, sleep: async () => {} });
      const sleeps: number[] = [];
      const writer = new EntryWriter({ client, esAddress: ES, log: new MemoryLog(), logger: silentLogger(), attempts: 3, backoffMs: 10, random: () => 0, sleep: async (ms) => { sleeps.push(ms); } });
      const rec = await writer.submit({ jobId: 10, chainId, nonce: Buffer.from('03', 'hex'), target: 5n, version: 5, content });
      assert.equal(rec.status, 'failed');
      assert.match(rec.error!, /PROSPER_E_FACTOM_HTTP/);
      assert.deepEqual(methods, ['entry-credit-balance', 'commit-entry', 'commit-entry', 'commit-entry'], 'the commit is sent once by the client, three times by the writer');
      assert.deepEqual(sleeps, [10, 20]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
