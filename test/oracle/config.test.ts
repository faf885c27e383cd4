import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isProsperError } from '../../src/errors.js';
import { loadConfig } from '../../src/config/index.js';
import { embeddedOracleConfig, oracleConfigFromSections, withDevnetDefault, type OracleTomlSections } from '../../src/oracle/config.js';
import { loadOracleConfigFile } from '../../src/oracle/config-file.js';
import { OracleConfigError, OracleErrorCode } from '../../src/oracle/errors.js';
import { assertValidPlan, coverageIssues, planSources } from '../../src/oracle/plan.js';

const cfg = (s: OracleTomlSections) => oracleConfigFromSections(s);
const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

/** Covers every V2 asset (PEG aside) but nothing added in V4/V5 except what AlternativeMe happens to price. */
const V2_ONLY: OracleTomlSections = {
  oracledatasources: { FixedUSD: 0, ExchangeRates: 1, Kitco: 2, AlternativeMe: 3 },
};

describe('config sections', () => {
  it('reads the seed keys case-insensitively, with defaults', () => {
    const c = cfg({
      oracle: { APILayerKey: 'k1', '1ForgeKey': 'k2', StaleQuoteDuration: '45m', CoinGeckoURL: 'http://127.0.0.1:9/x' },
      oracledatasources: { CoinGecko: 1, FIXEDUSD: 0 },
      oracleassetdatasourcespriority: { xbt: 'CoinGecko, CoinCap' },
    });
    assert.equal(c.keys.apilayerkey, 'k1');
    assert.equal(c.keys['1forgekey'], 'k2');
    assert.equal(c.keys.coinmarketcapkey, 'CHANGEME');
    assert.equal(c.dataSources.coingecko, 1);
    assert.equal(c.dataSources.fixedusd, 0);
    assert.equal(c.dataSources.kitco, -1, 'seed default: disabled');
    assert.deepEqual(c.assetPriority.XBT, ['CoinGecko', 'CoinCap']);
    assert.equal(c.baseUrls.coingecko, 'http://127.0.0.1:9/x');
    assert.equal(c.staleMs, 45 * 60_000);
    assert.equal(c.cacheMs, 10_000);
    assert.equal(c.timeoutMs, 10_000);
  });

  it('reads [polling] durations as Go text or as seconds (what src/config yields) and rejects bad ones', () => {
    assert.equal(cfg({ polling: { staleduration: '1h30m' } }).staleMs, 90 * 60_000);
    const c = cfg({ polling: { staleduration: 600, timeout: 2.5, cacheduration: 0 } });
    assert.deepEqual([c.staleMs, c.timeoutMs, c.cacheMs], [600_000, 2500, 0]);
    assert.equal(cfg({ polling: { timeout: '250ms' } }).timeoutMs, 250);
    assert.throws(() => cfg({ polling: { timeout: '8 minutes' } }), (e) => isProsperError(e, OracleErrorCode.ConfigBadValue));
    assert.throws(() => cfg({ polling: { timeout: 'soon' } }), (e) => isProsperError(e, OracleErrorCode.ConfigBadValue) && /polling.timeout/.test(e.message));
    assert.throws(() => cfg({ polling: { timeout: -1 } }), (e) => isProsperError(e, OracleErrorCode.ConfigBadValue));
  });

  it('loads the oracle sections from a TOML file and reports a missing file as undefined', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prosper-oracle-'));
    try {
      const file = join(dir, 'pool.toml');
      await writeFile(file, '[Oracle]\nCoinMarketCapKey = "abc"\n\n[OracleDataSources]\nFixedUSD = 0\nCoinMarketCap = 2\n\n[OracleAssetDataSourcesPriority]\nPEG = "CoinMarketCap"\n');
      const c = await loadOracleConfigFile(file);
      assert.ok(c);
      assert.equal(c.keys.coinmarketcapkey, 'abc');
      assert.equal(c.dataSources.coinmarketcap, 2);
      assert.deepEqual(c.assetPriority.PEG, ['CoinMarketCap']);
      assert.equal(await loadOracleConfigFile(join(dir, 'absent.toml')), undefined);
      await writeFile(file, '[oracle\nbroken');
      await assert.rejects(loadOracleConfigFile(file), (e) => isProsperError(e, 'PROSPER_E_CONFIG') && /not valid TOML/.test(e.message));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('takes the pool config that src/config loads, as is', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prosper-oracle-'));
    try {
      const file = join(dir, 'pool.toml');
      await writeFile(file, '[polling]\nstaleduration = "45m"\ntimeout = "3s"\n\n[oracle]\nCoinGeckoURL = "http://127.0.0.1:1/x"\n\n[oracledatasources]\nCoinGecko = 4\n');
      const c = oracleConfigFromSections(loadConfig({ path: file, env: { HOME: dir } }));
      assert.equal(c.staleMs, 45 * 60_000);
      assert.equal(c.timeoutMs, 3000);
      assert.equal(c.dataSources.coingecko, 4);
      assert.equal(c.baseUrls.coingecko, 'http://127.0.0.1:1/x');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('enables Devnet only when nothing is enabled (devnet mode)', () => {
    assert.equal(withDevnetDefault(cfg({})).dataSources.devnet, 0);
    assert.equal(withDevnetDefault(cfg({ oracledatasources: { CoinGecko: 1 } })).dataSources.devnet, undefined);
  });
});

describe('priorities', () => {
  it('orders enabled sources by ascending priority and skips -1', () => {
    const p = planSources(cfg({ oracledatasources: { CoinGecko: 5, FixedUSD: 1, CoinCap: 3, Kitco: -1 } }));
    assert.deepEqual(p.enabled.map((e) => e.descriptor.name), ['FixedUSD', 'CoinCap', 'CoinGecko']);
    assert.deepEqual(p.chains.get('XBT')!.map((d) => d.name), ['CoinCap', 'CoinGecko']);
    assert.deepEqual(p.chains.get('PEG')!.map((d) => d.name), ['CoinGecko']);
    assert.deepEqual(p.issues, []);
  });

  it('lets a per-asset override replace the chain (names case-insensitive)', () => {
    const p = planSources(cfg({
      oracledatasources: { CoinGecko: 1, CoinCap: 2 },
      oracleassetdatasourcespriority: { XBT: 'coincap,COINGECKO', eth: 'CoinGecko' },
    }));
    assert.deepEqual(p.chains.get('XBT')!.map((d) => d.name), ['CoinCap', 'CoinGecko']);
    assert.deepEqual(p.chains.get('ETH')!.map((d) => d.name), ['CoinGecko']);
    assert.deepEqual(p.issues, []);
  });
});

describe('startup validation', () => {
  it('names an unknown source', () => {
    const p = planSources(cfg({ oracledatasources: { CoinGeko: 1 } }));
    assert.deepEqual(codes(p.issues), [OracleErrorCode.ConfigUnknownSource]);
    assert.match(p.issues[0].message, /coingeko: unknown data source/);
  });

  it('names both sources of a duplicate priority', () => {
    const p = planSources(cfg({ oracledatasources: { CoinGecko: 1, CoinCap: 1 } }));
    assert.deepEqual(codes(p.issues), [OracleErrorCode.ConfigDuplicatePriority]);
    assert.match(p.issues[0].message, /CoinCap and CoinGecko both have priority 1|CoinGecko and CoinCap both have priority 1/);
  });

  it('rejects priorities that are not integers >= -1', () => {
    const p = planSources(cfg({ oracledatasources: { CoinGecko: 1.5, CoinCap: -2 } }));
    assert.deepEqual(codes(p.issues), [OracleErrorCode.ConfigBadValue, OracleErrorCode.ConfigBadValue]);
  });

  it('requires the key of an enabled keyed source, placeholder included, but not of a disabled one', () => {
    let p = planSources(cfg({ oracledatasources: { APILayer: 1 } }));
    assert.deepEqual(codes(p.issues), [OracleErrorCode.ConfigMissingKey]);
    assert.match(p.issues[0].message, /APILayer is enabled but \[oracle\] apilayerkey is the placeholder "CHANGEME"/);
    p = planSources(cfg({ oracle: { openexchangerateskey: ' ' }, oracledatasources: { OpenExchangeRates: 1 } }));
    assert.match(p.issues[0].message, /openexchangerateskey is empty/);
    p = planSources(cfg({ oracle: { coinmarketcapkey: 'real' }, oracledatasources: { CoinMarketCap: 1, APILayer: -1 } }));
    assert.deepEqual(p.issues, []);
  });

  it('checks V4 and V5 assets for a source, not only V2 (the seed forgot)', () => {
    const plan = planSources(cfg(V2_ONLY));
    assert.deepEqual(coverageIssues(plan, [2]), []);
    const v4 = coverageIssues(plan, [4]).map((i) => i.message);
    for (const a of ['AUD', 'TRY', 'ATOM', 'XTZ']) assert.ok(v4.some((m) => m.startsWith(`asset ${a} (OPR V4)`)), a);
    assert.ok(!v4.some((m) => m.includes('asset EOS')), 'AlternativeMe prices EOS');
    const v5 = coverageIssues(plan, [5]).map((i) => i.message);
    for (const a of ['HBAR', 'CRO', 'VET', 'ALGO', 'DGB', 'NGN', 'AED', 'PEG']) assert.ok(v5.some((m) => m.startsWith(`asset ${a} `)), a);
  });

  it('needs a PEG source from V3 on, but not for V1/V2 where PEG is 0', () => {
    const plan = planSources(cfg({ oracledatasources: { Devnet: 0 } }));
    assert.deepEqual(coverageIssues(plan, [1, 2, 3, 4, 5]), []);
    const noPeg = planSources(cfg({ oracledatasources: { Devnet: 0 }, oracleassetdatasourcespriority: { PEG: '' } }));
    assert.deepEqual(coverageIssues(noPeg, [2]), []);
    assert.match(coverageIssues(noPeg, [3])[0].message, /asset PEG \(OPR V3\) has no data source/);
  });

  it('rejects overrides naming unknown, disabled or unsuitable sources and unknown assets', () => {
    const p = planSources(cfg({
      oracledatasources: { CoinGecko: 1, FixedUSD: 0 },
      oracleassetdatasourcespriority: { XBT: 'CoinGeckoo', ETH: 'CoinCap', EUR: 'CoinGecko', FOO: 'CoinGecko' },
    }));
    const msgs = p.issues.map((i) => i.message);
    assert.deepEqual(codes(p.issues), Array(4).fill(OracleErrorCode.ConfigBadOverride));
    assert.ok(msgs.some((m) => /XBT: unknown data source "CoinGeckoo"/.test(m)));
    assert.ok(msgs.some((m) => /ETH: CoinCap is not enabled/.test(m)));
    assert.ok(msgs.some((m) => /EUR: CoinGecko does not price EUR/.test(m)));
    assert.ok(msgs.some((m) => /FOO: not a PegNet asset/.test(m)));
  });

  it('throws one coded error listing every problem', () => {
    assert.throws(() => assertValidPlan(cfg({ oracledatasources: { Nope: 1, APILayer: 2 } }), [5]), (e) => {
      assert.ok(e instanceof OracleConfigError);
      assert.equal(e.code, OracleErrorCode.Config);
      assert.ok(e.issues.length >= 3);
      assert.match(e.message, /nope: unknown data source/);
      assert.match(e.message, /apilayerkey/);
      assert.match(e.message, /asset XBT \(OPR V5\) has no data source/);
      return true;
    });
  });

  it('accepts the embedded devnet default for every OPR version', () => {
    const plan = assertValidPlan(embeddedOracleConfig(), [1, 2, 3, 4, 5]);
    assert.deepEqual(plan.enabled.map((e) => e.descriptor.name), ['Devnet']);
  });
});
