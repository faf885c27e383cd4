import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_PRICED_ASSETS, assetsForVersion, OPR_VERSIONS } from '../../src/oracle/assets.js';
import { embeddedOracleConfig } from '../../src/oracle/config.js';
import { PriceOracle } from '../../src/oracle/oracle.js';
import { createDevnetSource, DEVNET_BASE_PRICES, devnetPrice } from '../../src/oracle/sources/devnet.js';

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

describe('devnet datasource', () => {
  it('is deterministic in seed and clock, and differs across seeds and steps', async () => {
    let now = T0;
    const a = createDevnetSource({ seed: 7, stepMs: 60_000, now: () => now });
    const b = createDevnetSource({ seed: 7, stepMs: 60_000, now: () => now });
    const c = createDevnetSource({ seed: 8, stepMs: 60_000, now: () => now });
    const ra = await a.read();
    assert.deepEqual(ra.prices, (await b.read()).prices);
    assert.notDeepEqual(ra.prices, (await c.read()).prices);
    now += 59_000; // same step
    assert.deepEqual((await a.read()).prices, ra.prices);
    now += 1_000; // next step
    assert.notDeepEqual((await a.read()).prices, ra.prices);
  });

  it('walks in small steps and stays near realistic levels for every asset', () => {
    const step0 = Math.floor(T0 / 60_000);
    for (const asset of ALL_PRICED_ASSETS) {
      const base = DEVNET_BASE_PRICES[asset];
      let prev = devnetPrice(3, asset, step0);
      for (let s = 1; s <= 400; s += 1) {
        const p = devnetPrice(3, asset, step0 + s);
        assert.ok(p > base * 0.5 && p < base * 2, `${asset} at step ${s}: ${p} vs base ${base}`);
        assert.ok(Math.abs(Math.log(p / prev)) <= 2 * 0.004 + 1e-12, `${asset} jumped at step ${s}`);
        prev = p;
      }
    }
    assert.equal(devnetPrice(3, 'USD', step0), 1);
  });

  it('prices every asset of every OPR version through the embedded default, offline', async () => {
    const oracle = new PriceOracle(embeddedOracleConfig(), { now: () => T0, versions: OPR_VERSIONS });
    for (const v of OPR_VERSIONS) {
      const prices = await oracle.getPrices(v);
      assert.deepEqual([...prices.keys()], [...assetsForVersion(v)]);
      for (const [asset, units] of prices) {
        assert.equal(typeof units, 'bigint');
        if ((asset === 'PEG' || asset === 'PNT') && v <= 2) assert.equal(units, 0n);
        else assert.ok(units > 0n, `${asset} V${v}`);
      }
      assert.equal(prices.get('USD'), 100000000n);
    }
  });
});
