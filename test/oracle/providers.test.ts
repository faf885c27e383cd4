import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isProsperError } from '../../src/errors.js';
import { OracleErrorCode } from '../../src/oracle/errors.js';
import { httpGet } from '../../src/oracle/http-get.js';
import { findDescriptor } from '../../src/oracle/sources/registry.js';
import type { PriceSource } from '../../src/oracle/sources/types.js';
import { NOW, startFakeProvider, type FakeProvider } from './helpers.js';
import { PROVIDER_CASES } from './provider-cases.js';

const TIMEOUT_MS = 150;
const STALE_MS = 30 * 60_000;

function build(name: string, base: string, key = '', timeoutMs = TIMEOUT_MS): PriceSource {
  const d = findDescriptor(name)!;
  const defaultUrl = new URL(d.defaultEndpoint);
  return d.create(
    {
      http: httpGet, now: () => NOW, timeoutMs, staleMs: Math.max(STALE_MS, d.minStaleMs),
      endpoint: base + defaultUrl.pathname + defaultUrl.search, key,
    },
    { devnetSeed: 1, devnetStepMs: 60_000 },
  );
}

async function rejectsWith(p: Promise<unknown>, code: OracleErrorCode): Promise<Error> {
  try {
    await p;
  } catch (err) {
    assert.ok(isProsperError(err, code), `expected ${code}, got ${(err as { code?: string }).code}: ${(err as Error).message}`);
    return err as Error;
  }
  assert.fail(`expected a rejection with ${code}`);
}

for (const c of PROVIDER_CASES) {
  describe(`provider ${c.name}`, () => {
    let srv: FakeProvider;
    let src: PriceSource;
    let quick: PriceSource;
    const assets = findDescriptor(c.name)!.assets;
    before(async () => {
      srv = await startFakeProvider();
      src = build(c.name, srv.base, c.key, 3000);
      quick = build(c.name, srv.base, c.key, TIMEOUT_MS);
    });
    after(() => srv.close());

    it('parses a realistic answer into USD prices and sends the right request', async () => {
      srv.reply = { kind: 'body', body: c.body({ ts: NOW - 60_000 }) };
      const r = await src.read();
      assert.equal(r.errors.size, 0, [...r.errors.values()].map((e) => e.message).join('; '));
      assert.deepEqual([...r.prices.keys()].sort(), [...assets].sort());
      for (const a of assets) assert.equal(r.prices.get(a), c.expected(a), a);
      c.checkRequest(srv.seen.at(-1)!);
    });

    it('rejects stale quotes per asset', async () => {
      srv.reply = { kind: 'body', body: c.body({ ts: c.staleTs }) };
      const r = await src.read();
      assert.equal(r.prices.size, 0);
      for (const a of assets) assert.equal(r.errors.get(a)?.code, OracleErrorCode.Stale, a);
    });

    it('rejects a zero price and reports a missing asset, keeping the rest', async () => {
      const victim = assets[assets.length - 1];
      srv.reply = { kind: 'body', body: c.body({ ts: NOW - 60_000, zero: victim }) };
      let r = await src.read();
      assert.equal(r.errors.get(victim)?.code, OracleErrorCode.ZeroPrice);
      assert.equal(r.prices.has(victim), false);
      assert.equal(r.prices.size, assets.length - 1);
      srv.reply = { kind: 'body', body: c.body({ ts: NOW - 60_000, omit: victim }) };
      r = await src.read();
      assert.equal(r.errors.get(victim)?.code, OracleErrorCode.MissingAsset);
      assert.equal(r.prices.size, assets.length - 1);
    });

    it('turns HTTP 500 and 429 into coded errors', async () => {
      srv.reply = { kind: 'body', status: 500, body: 'internal error' };
      const e = await rejectsWith(src.read(), OracleErrorCode.HttpStatus);
      assert.match(e.message, /HTTP 500/);
      assert.ok(c.key === undefined || !e.message.includes(c.key), 'the key must not leak into errors');
      srv.reply = { kind: 'body', status: 429, body: '{"error":"slow down"}', headers: { 'retry-after': '30' } };
      await rejectsWith(src.read(), OracleErrorCode.RateLimited);
    });

    it('rejects malformed answers', async () => {
      srv.reply = { kind: 'body', body: c.malformed };
      const r = src.read();
      try {
        const reading = await r;
        // Some formats fail per asset rather than as a whole (a bad cell in a good page).
        assert.equal(reading.prices.size, 0);
        assert.ok([...reading.errors.values()].some((e) => e.code === OracleErrorCode.Malformed));
      } catch (err) {
        assert.ok(isProsperError(err, OracleErrorCode.Malformed), String(err));
      }
    });

    if (c.providerError !== undefined) {
      it('reports the provider\'s own error answer', async () => {
        srv.reply = { kind: 'body', body: c.providerError! };
        await rejectsWith(src.read(), OracleErrorCode.ProviderError);
      });
    }

    it('times out on a server that never answers, and on one that stalls mid-body', async () => {
      // Neither server ever finishes its answer: only the client's timeout can end these reads.
      srv.reply = { kind: 'hang' };
      await rejectsWith(quick.read(), OracleErrorCode.Timeout);
      srv.reply = { kind: 'stall-body', body: c.body({ ts: NOW }) };
      await rejectsWith(quick.read(), OracleErrorCode.Timeout);
    });
  });
}

describe('http client', () => {
  it('aborts when the caller aborts, with its own code', async () => {
    const srv = await startFakeProvider({ kind: 'hang' });
    try {
      const ac = new AbortController();
      const p = httpGet(srv.base + '/x', { source: 'T', timeoutMs: 5000, signal: ac.signal });
      setTimeout(() => ac.abort(), 20);
      await rejectsWith(p, OracleErrorCode.Aborted);
    } finally {
      await srv.close();
    }
  });

  it('refuses an answer larger than the cap', async () => {
    const srv = await startFakeProvider({ kind: 'body', body: 'x'.repeat(10_000) });
    try {
      await rejectsWith(httpGet(srv.base + '/x', { source: 'T', timeoutMs: 1000, maxBytes: 1000 }), OracleErrorCode.BodyTooLarge);
    } finally {
      await srv.close();
    }
  });

  it('reports a refused connection as a network error', async () => {
    const srv = await startFakeProvider();
    const base = srv.base;
    await srv.close();
    await rejectsWith(httpGet(base + '/x', { source: 'T', timeoutMs: 1000 }), OracleErrorCode.Network);
  });
});
