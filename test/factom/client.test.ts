import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FactomdClient, FactomdRpcError } from '../../src/factom/index.js';

type Reply = (req: IncomingMessage, res: ServerResponse, body: string, n: number) => void;

/** A real HTTP server on 127.0.0.1:0 that answers with whatever the test scripts. */
async function fakeFactomd(reply: Reply): Promise<{ url: string; calls: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = createServer((req, res) => {
    const k = n++;
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => reply(req, res, body, k));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v2`,
    calls: () => n,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const noSleep = { sleep: async () => {} };

test('garbage, truncated and wrongly-shaped replies become PROSPER_E_FACTOM_BAD_REPLY', async () => {
  const replies = [
    'not json',
    '{"jsonrpc":"2.0","id":1,"result":{"directoryblockheight":1,',
    '{"jsonrpc":"2.0","id":1}',
    '{"id":1,"result":{}}',
    '{"jsonrpc":"2.0","id":1,"result":{"directoryblockheight":"1","leaderheight":1,"entryblockheight":1,"entryheight":1}}',
    '{"jsonrpc":"2.0","id":1,"result":[]}',
  ];
  for (const text of replies) {
    const s = await fakeFactomd((_q, res) => res.end(text));
    try {
      const c = new FactomdClient({ url: s.url, retries: 0 });
      await assert.rejects(c.heights(), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'PROSPER_E_FACTOM_BAD_REPLY', text);
        assert.match(err.message, /heights/);
        return true;
      });
    } finally {
      await s.close();
    }
  }
});

test('a reply whose hashes are not hex is rejected', async () => {
  const s = await fakeFactomd((_q, res) => res.end('{"jsonrpc":"2.0","id":1,"result":{"chainhead":"xyz","chaininprocesslist":false}}'));
  try {
    await assert.rejects(new FactomdClient({ url: s.url, retries: 0 }).chainHead('00'.repeat(32)), { code: 'PROSPER_E_FACTOM_BAD_REPLY' });
  } finally {
    await s.close();
  }
});

test('HTTP 400 bodies are parsed into typed errors; other statuses are HTTP errors', async () => {
  const s = await fakeFactomd((_q, res, _b, n) => {
    if (n === 0) {
      res.statusCode = 400;
      res.end('{"jsonrpc":"2.0","id":1,"error":{"code":-32011,"message":"Repeated Commit","data":{"info":"x","entryhash":"ab"}}}');
    } else if (n === 1) {
      res.statusCode = 400;
      res.end('{"jsonrpc":"2.0","id":1,"error":{"code":-31999,"message":"Weird"}}');
    } else if (n === 2) {
      res.statusCode = 400;
      res.end('<html>bad gateway</html>');
    } else {
      res.statusCode = 404;
      res.end('404 page not found');
    }
  });
  try {
    const c = new FactomdClient({ url: s.url, retries: 0 });
    await assert.rejects(c.commitEntry(Buffer.alloc(136)), (err: unknown) => {
      assert.ok(err instanceof FactomdRpcError);
      assert.equal(err.code, 'PROSPER_E_FACTOM_REPEATED_COMMIT');
      assert.deepEqual(err.data, { info: 'x', entryhash: 'ab' });
      return true;
    });
    await assert.rejects(c.heights(), { code: 'PROSPER_E_FACTOM_RPC' });
    await assert.rejects(c.heights(), { code: 'PROSPER_E_FACTOM_BAD_REPLY' });
    await assert.rejects(c.heights(), { code: 'PROSPER_E_FACTOM_HTTP' });
  } finally {
    await s.close();
  }
});

test('idempotent reads retry with backoff on 5xx/garbage; commits are never retried', async () => {
  const waits: number[] = [];
  const s = await fakeFactomd((_q, res, body, n) => {
    if (n < 2) {
      res.statusCode = n === 0 ? 503 : 200;
      res.end(n === 0 ? 'unavailable' : '{"jsonrpc":"2.0"');
      return;
    }
    const method = (JSON.parse(body) as { method: string }).method;
    if (method === 'entry-credit-rate') res.end('{"jsonrpc":"2.0","id":1,"result":{"rate":1000}}');
    else {
      res.statusCode = 502;
      res.end('bad gateway');
    }
  });
  try {
    const c = new FactomdClient({ url: s.url, retries: 3, backoffMs: 100, random: () => 0, sleep: async (ms) => void waits.push(ms) });
    assert.equal(await c.entryCreditRate(), 1000n);
    assert.deepEqual(waits, [100, 200]);
    assert.equal(s.calls(), 3);
    await assert.rejects(c.commitEntry(Buffer.alloc(136)), { code: 'PROSPER_E_FACTOM_HTTP' });
    assert.equal(s.calls(), 4, 'commit sent exactly once');
    // Retries are bounded.
    await assert.rejects(c.heights(), { code: 'PROSPER_E_FACTOM_HTTP' });
    assert.equal(s.calls(), 8);
  } finally {
    await s.close();
  }
});

test('a factomd error such as Entry not found is not retried', async () => {
  const s = await fakeFactomd((_q, res) => {
    res.statusCode = 400;
    res.end('{"jsonrpc":"2.0","id":1,"error":{"code":-32008,"message":"Entry not found"}}');
  });
  try {
    const c = new FactomdClient({ url: s.url, retries: 3, ...noSleep });
    await assert.rejects(c.entry('00'.repeat(32)), { code: 'PROSPER_E_FACTOM_NOT_FOUND' });
    assert.equal(s.calls(), 1);
  } finally {
    await s.close();
  }
});

test('timeouts and refused connections have their own codes', async () => {
  const s = await fakeFactomd(() => {
    /* never answers */
  });
  try {
    const c = new FactomdClient({ url: s.url, retries: 1, timeoutMs: 100, ...noSleep });
    // The server never answers: the timeout code, once per attempt, is the client giving up on its own.
    await assert.rejects(c.heights(), { code: 'PROSPER_E_FACTOM_TIMEOUT' });
    assert.equal(s.calls(), 2);
  } finally {
    await s.close();
  }
  const closed = await fakeFactomd(() => {});
  const url = closed.url;
  await closed.close();
  await assert.rejects(new FactomdClient({ url, retries: 0 }).heights(), { code: 'PROSPER_E_FACTOM_UNREACHABLE' });
});

test('current-minute keeps nanosecond precision; entry extids null → []', async () => {
  const s = await fakeFactomd((_q, res, body) => {
    const method = (JSON.parse(body) as { method: string }).method;
    if (method === 'current-minute') {
      res.end(
        '{"jsonrpc":"2.0","id":1,"result":{"leaderheight":5,"directoryblockheight":5,"minute":3,"currentblockstarttime":1700000000123456789,"currentminutestarttime":1700000180987654321,"currenttime":1700000199999999999,"directoryblockinseconds":600,"stalldetected":false,"faulttimeout":120,"roundtimeout":30}}',
      );
    } else {
      res.end('{"jsonrpc":"2.0","id":1,"result":{"chainid":"' + 'AB'.repeat(32) + '","content":"","extids":null}}');
    }
  });
  try {
    const c = new FactomdClient({ url: s.url });
    const cm = await c.currentMinute();
    assert.equal(cm.currentBlockStartTime, 1700000000123456789n);
    assert.equal(cm.currentMinuteStartTime, 1700000180987654321n);
    assert.equal(cm.currentTime, 1700000199999999999n);
    const e = await c.entry('00'.repeat(32));
    assert.deepEqual(e.extIds, []);
    assert.equal(e.chainId, 'ab'.repeat(32));
  } finally {
    await s.close();
  }
});
