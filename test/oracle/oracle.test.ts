import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isProsperError } from '../../src/errors.js';
import { oracleConfigFromSections, type OracleConfig, type OracleTomlSections } from '../../src/oracle/config.js';
import { OracleErrorCode } from '../../src/oracle/errors.js';
import { PriceOracle } from '../../src/oracle/oracle.js';
import { CRYPTO_USD, NOW, startFakeProvider, type FakeProvider } from './helpers.js';
import { PROVIDER_CASES } from './provider-cases.js';

const body = (name: string, ts = NOW - 60_000) => PROVIDER_CASES.find((c) => c.name === name)!.body({ ts });

/** CoinGecko / CoinCap / CoinMarketCap answers with XBT set to a chosen price. */
function withXbt(name: string, price: number): string {
  const doc = JSON.parse(body(name));
  if (name === 'CoinGecko') doc.bitcoin.usd = price;
  if (name === 'CoinCap') doc.data.find((r: { id: string }) => r.id === 'bitcoin').priceUsd = String(price);
  if (name === 'CoinMarketCap') doc.data['1'].quote.USD.price = price;
  return JSON.stringify(doc);
}

describe('price oracle', () => {
  const srv: Record<string, FakeProvider> = {};
  before(async () => {
    for (const n of ['CoinGecko', 'CoinCap', 'CoinMarketCap']) srv[n] = await startFakeProvider({ kind: 'body', body: body(n) });
    // The process's first fetch loads the HTTP stack; keep that out of the 300 ms timeouts below.
    await (await fetch(srv.CoinGecko.base)).text();
  });
  after(async () => { for (const s of Object.values(srv)) await s.close(); });
  const reset = () => {
    for (const [n, s] of Object.entries(srv)) { s.reply = { kind: 'body', body: body(n) }; s.seen.length = 0; }
  };

  /** Devnet prices everything as the last resort; the HTTP sources sit in front of it. */
  function config(extra: OracleTomlSections = {}, over: Partial<OracleConfig> = {}): OracleConfig {
    const c = oracleConfigFromSections({
      oracle: {
        coinmarketcapkey: 'cmc-key', deadline: '3s',
        coingeckourl: srv.CoinGecko.base + '/api/v3/simple/price',
        coincapurl: srv.CoinCap.base + '/v2/assets',
        coinmarketcapurl: srv.CoinMarketCap.base + '/v1/cryptocurrency/quotes/latest',
        ...extra.oracle,
      },
      polling: { timeout: '800ms', cacheduration: '8m', ...extra.polling },
      oracledatasources: { CoinGecko: 1, CoinCap: 2, Devnet: 100, ...extra.oracledatasources },
      oracleassetdatasourcespriority: extra.oracleassetdatasourcespriority,
    });
    return { ...c, ...over };
  }

  it('takes each asset from its highest-priority source and returns OPR-ordered uint64 units', async () => {
    reset();
    let now = NOW;
    const oracle = new PriceOracle(config(), { now: () => now });
    const prices = await oracle.getPrices(5);
    assert.equal(prices.size, 62);
    assert.equal([...prices.keys()][0], 'PEG');
    assert.equal(prices.get('XBT'), BigInt(Math.round(CRYPTO_USD.XBT * 1e8)));
    assert.equal(prices.get('PEG'), BigInt(Math.round(CRYPTO_USD.PEG * 1e8)), 'PEG: CoinGecko is the only HTTP source');
    assert.equal(prices.get('USD'), 100000000n);
    assert.equal(srv.CoinGecko.seen.length, 1);
    assert.equal(srv.CoinCap.seen.length, 1, 'every source is fetched once per pull');
    now += 1000;
    await oracle.getPrices(5);
    assert.equal(srv.CoinGecko.seen.length, 1, 'the second pull within the cache time reuses the readings');
    now += 9 * 60_000;
    await oracle.getPrices(4);
    assert.equal(srv.CoinGecko.seen.length, 2, 'after the cache time the source is asked again');
  });

  it('falls back to the next source when one fails, and to the last when all HTTP ones fail', async () => {
    reset();
    srv.CoinGecko.reply = { kind: 'body', status: 500, body: 'down' };
    srv.CoinCap.reply = { kind: 'body', body: withXbt('CoinCap', 65000.5) };
    let oracle = new PriceOracle(config(), { now: () => NOW });
    assert.equal((await oracle.getPrices(4)).get('XBT'), 6500050000000n);

    srv.CoinCap.reply = { kind: 'body', body: 'garbage' };
    const failed: string[] = [];
    oracle = new PriceOracle(config(), { now: () => NOW, onSourceError: (source) => failed.push(source) });
    const xbt = (await oracle.getPrices(4)).get('XBT')!;
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(failed.sort(), ['CoinCap', 'CoinGecko'], 'each failed source is reported (metrics count them)');
    // The /network page's health: the failed sources' code and time, the fallback's success.
    const health = new Map(oracle.health.snapshot().map((h) => [h.source, h]));
    for (const name of ['CoinCap', 'CoinGecko']) {
      const h = health.get(name)!;
      assert.equal(h.lastSuccessAt, null, name);
      assert.equal(h.consecutiveFailures, 1, name);
      assert.equal(h.lastError?.at, NOW, name);
      assert.match(h.lastError?.code ?? '', /^PROSPER_E_/, name);
    }
    assert.ok([...health.values()].some((h) => h.lastSuccessAt === NOW && h.consecutiveFailures === 0 && h.lastError === null), 'the fallback source answered');
    assert.ok(xbt > 3_000_000_000_000n && xbt < 12_000_000_000_000n, 'Devnet level for XBT');
    assert.notEqual(xbt, 6500050000000n);
  });

  it('a hanging provider costs at most its timeout, never the job', async () => {
    reset();
    srv.CoinGecko.reply = { kind: 'hang' };
    srv.CoinCap.reply = { kind: 'body', body: withXbt('CoinCap', 66000) };
    const oracle = new PriceOracle(config(), { now: () => NOW });
    // CoinGecko never answers: prices at all means its timeout ended the wait and CoinCap stood in.
    const prices = await oracle.getPrices(5);
    assert.equal(prices.get('XBT'), 6600000000000n);
  });

  it('fails the pull at the deadline when a provider outlasts it', async () => {
    reset();
    srv.CoinGecko.reply = { kind: 'hang' };
    const oracle = new PriceOracle(config({ oracle: { deadline: '250ms' }, polling: { timeout: '10s' } }), { now: () => NOW });
    // The deadline (250 ms), not the provider timeout (10 s), ends the pull: its own code says which.
    await assert.rejects(oracle.getPrices(5), (e) => isProsperError(e, OracleErrorCode.Deadline));
  });

  it('stops when the caller aborts', async () => {
    reset();
    srv.CoinGecko.reply = { kind: 'hang' };
    const oracle = new PriceOracle(config({ oracle: { deadline: '10s' }, polling: { timeout: '10s' } }), { now: () => NOW });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(oracle.getPrices(5, ac.signal), (e) => isProsperError(e, OracleErrorCode.Aborted));
  });

  it('V5 picks the first in-band price in priority order; earlier versions the first price', async () => {
    reset();
    srv.CoinMarketCap.reply = { kind: 'body', body: withXbt('CoinMarketCap', 70000) };
    srv.CoinGecko.reply = { kind: 'body', body: withXbt('CoinGecko', 64100) };
    srv.CoinCap.reply = { kind: 'body', body: withXbt('CoinCap', 64000) };
    const c = config({
      oracledatasources: { CoinMarketCap: 3 },
      oracleassetdatasourcespriority: { XBT: 'CoinMarketCap,CoinGecko,CoinCap' },
    });
    const oracle = new PriceOracle(c, { now: () => NOW });
    assert.equal((await oracle.getPrices(5)).get('XBT'), 6410000000000n);
    assert.equal((await oracle.getPrices(4)).get('XBT'), 7000000000000n);
    assert.equal(srv.CoinMarketCap.seen[0].headers['x-cmc_pro_api_key'], 'cmc-key');
  });

  it('zero and missing prices fall through to the next source', async () => {
    reset();
    srv.CoinGecko.reply = { kind: 'body', body: withXbt('CoinGecko', 0) };
    const doc = JSON.parse(body('CoinCap'));
    doc.data = doc.data.filter((r: { id: string }) => r.id !== 'bitcoin');
    srv.CoinCap.reply = { kind: 'body', body: JSON.stringify(doc) };
    const oracle = new PriceOracle(config({ oracleassetdatasourcespriority: { XBT: 'CoinGecko,CoinCap' } }, {}), { now: () => NOW });
    await assert.rejects(oracle.getPrices(4), (e) => {
      assert.ok(isProsperError(e, OracleErrorCode.NoPrice));
      assert.match(e.message, /no price for XBT: every source failed; last: CoinCap: XBT missing/);
      return true;
    });
  });

  it('V1/V2 force PEG to 0 without asking; V3 needs a PEG price', async () => {
    reset();
    const c = config({ oracleassetdatasourcespriority: { PEG: 'CoinGecko' } });
    srv.CoinGecko.reply = { kind: 'body', status: 503, body: '' };
    const oracle = new PriceOracle(c, { now: () => NOW });
    const v1 = await oracle.getPrices(1);
    assert.equal(v1.get('PNT'), 0n);
    assert.equal((await oracle.getPrices(2)).get('PEG'), 0n);
    await assert.rejects(oracle.getPrices(3), (e) => isProsperError(e, OracleErrorCode.NoPrice) && /PEG/.test(e.message));
  });

  it('V1 truncates to 4 decimals', async () => {
    reset();
    const oracle = new PriceOracle(config(), { now: () => NOW });
    const v1 = await oracle.getPrices(1);
    assert.equal(v1.get('XLM'), BigInt(Math.round(Math.trunc(CRYPTO_USD.XLM * 1e4) / 1e4 * 1e8)));
    assert.equal(v1.get('RVN'), 2100000n);
  });

  it('leaves a rate-limited provider alone until Retry-After has passed', async () => {
    reset();
    let now = NOW;
    srv.CoinGecko.reply = { kind: 'body', status: 429, body: '', headers: { 'retry-after': '120' } };
    const oracle = new PriceOracle(config(), { now: () => now });
    await oracle.getPrices(5);
    await oracle.getPrices(5);
    assert.equal(srv.CoinGecko.seen.length, 1);
    now += 121_000;
    srv.CoinGecko.reply = { kind: 'body', body: body('CoinGecko') };
    await oracle.getPrices(5);
    assert.equal(srv.CoinGecko.seen.length, 2);
  });

  it('refuses an invalid config at construction and an unknown OPR version at pull time', async () => {
    assert.throws(() => new PriceOracle(oracleConfigFromSections({ oracledatasources: { CoinGecko: 1 } })),
      (e) => isProsperError(e, OracleErrorCode.Config) && /asset USD \(OPR V5\) has no data source/.test(e.message));
    const oracle = new PriceOracle(config(), { now: () => NOW });
    await assert.rejects(oracle.getPrices(6 as never), (e) => isProsperError(e, OracleErrorCode.UnsupportedVersion));
  });

  it('pullSources reports every enabled source with its prices and errors', async () => {
    reset();
    srv.CoinCap.reply = { kind: 'body', status: 500, body: 'x' };
    const oracle = new PriceOracle(config(), { now: () => NOW });
    const pulls = await oracle.pullSources();
    assert.deepEqual(pulls.map((p) => p.name), ['CoinGecko', 'CoinCap', 'Devnet']);
    assert.equal(pulls[0].prices.get('XBT'), CRYPTO_USD.XBT);
    assert.equal(pulls[1].error?.code, OracleErrorCode.HttpStatus);
    assert.equal(pulls[2].prices.size, 64);
  });
});
