import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { printDatasources, pullDatasources, registerOracleCommands, type DatasourcesIo } from '../../src/cli/oracle-commands.js';
import { embeddedOracleConfig, oracleConfigFromSections } from '../../src/oracle/config.js';
import { ASSETS_V2, ASSETS_V5 } from '../../src/oracle/assets.js';
import { startFakeProvider, type FakeProvider } from './helpers.js';
import { PROVIDER_CASES } from './provider-cases.js';
import { runBin } from '../helpers/cli.js';

function capture(): DatasourcesIo & { lines: string[]; errs: string[] } {
  const lines: string[] = [];
  const errs: string[] = [];
  return { lines, errs, out: (l) => lines.push(l), err: (l) => errs.push(l) };
}

const CFG = oracleConfigFromSections({
  oracledatasources: { FixedUSD: 0, CoinGecko: 2, CoinCap: 5, ExchangeRates: 1 },
  oracleassetdatasourcespriority: { ETH: 'CoinCap' },
});

describe('prosper-pool datasources', () => {
  it('lists sources by priority and each asset\'s fallback chain, as the seed printed them', () => {
    const io = capture();
    assert.equal(printDatasources(CFG, undefined, 5, io), 0);
    assert.equal(io.lines[0], 'Data sources in priority order');
    assert.equal(io.lines[1], '\tFixedUSD:0, ExchangeRates:1, CoinGecko:2, CoinCap:5');
    assert.equal(io.lines[2], '');
    assert.equal(io.lines[3], 'Assets and their data source order. The order left to right is the fallback order.');
    assert.equal(io.lines.filter((l) => /^\t.{4} \(\d+\) : /.test(l)).length, ASSETS_V5.length);
    assert.ok(io.lines.includes('\t PEG (1) : CoinGecko'));
    assert.ok(io.lines.includes('\t XBT (2) : CoinGecko -> CoinCap'));
    assert.ok(io.lines.includes('\t ETH (1) : CoinCap'));
    assert.ok(io.lines.includes('\t USD (2) : FixedUSD -> ExchangeRates'));
    assert.ok(io.lines.includes('\t XAU (0) : NO DATASOURCE!'));
    assert.ok(io.lines.includes('Config problems (the pool will refuse to start):'));
    assert.ok(io.lines.some((l) => l.includes('asset XAU (OPR V5) has no data source')));
  });

  it('lists V2 assets on request and says when nothing is configured', () => {
    const io = capture();
    printDatasources(oracleConfigFromSections({}), undefined, 2, io);
    assert.equal(io.lines[1], '\tYou have no data sources configured');
    assert.equal(io.lines.filter((l) => l.endsWith('NO DATASOURCE!')).length, ASSETS_V2.length);
  });

  it('shows one asset\'s chain, or one source\'s URL and assets', () => {
    let io = capture();
    printDatasources(CFG, 'xbt', 5, io);
    assert.deepEqual(io.lines, ['Asset : XBT', 'Datasources : [CoinGecko CoinCap]']);
    io = capture();
    printDatasources(CFG, 'coingecko', 5, io);
    assert.equal(io.lines[0], 'Datasource : CoinGecko');
    assert.equal(io.lines[1], 'Datasource URL : https://api.coingecko.com/api/v3/simple/price');
    assert.equal(io.lines[2], 'Supported peg pricing');
    assert.ok(io.lines.includes('\tHBAR'));
    io = capture();
    assert.equal(printDatasources(CFG, 'bogus', 5, io), 1);
    assert.match(io.errs[0], /bogus is neither an asset nor a supported datasource/);
  });

  describe('pull', () => {
    let srv: FakeProvider;
    before(async () => {
      srv = await startFakeProvider({ kind: 'body', body: PROVIDER_CASES.find((c) => c.name === 'CoinGecko')!.body({ ts: Date.now() - 60_000 }) });
    });
    after(() => srv.close());

    it('fetches every enabled source now and reports prices and errors per source', async () => {
      const cfg = oracleConfigFromSections({
        oracle: { coingeckourl: srv.base + '/api/v3/simple/price', coincapurl: srv.base + '/missing' },
        polling: { timeout: '3s' },
        oracledatasources: { CoinGecko: 1, CoinCap: 2 },
      });
      const io = capture();
      const code = await pullDatasources(cfg, true, io);
      assert.equal(code, 1, 'one source failed');
      const doc = JSON.parse(io.lines[0]) as Array<{ Name: string; Error: string | null; Prices: Record<string, number> }>;
      assert.deepEqual(doc.map((d) => d.Name), ['CoinGecko', 'CoinCap']);
      assert.equal(doc[0].Error, null);
      assert.equal(doc[0].Prices.XBT, 64000.12);
      assert.match(doc[1].Error!, /PROSPER_E_ORACLE_(MALFORMED|HTTP_STATUS)/);
    });

    it('prints a readable report by default', async () => {
      const io = capture();
      assert.equal(await pullDatasources(embeddedOracleConfig(), false, io), 0);
      assert.equal(io.lines[0], 'Devnet: 64 prices');
      assert.ok(io.lines.some((l) => /^\t XBT \d+/.test(l)));
    });
  });

  it('is registered as a command that reads --config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prosper-oracle-cli-'));
    const file = join(dir, 'pool.toml');
    await writeFile(file, '[oracledatasources]\nfixedusd = 0\ncoingecko = 3\n');
    const program = new Command('prosper-pool').option('--config <path>', 'cfg', join(dir, 'absent.toml')).exitOverride();
    registerOracleCommands(program);
    const written: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    const origErr = process.stderr.write.bind(process.stderr);
    process.stdout.write = ((chunk: string) => { written.push(String(chunk)); return true; }) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => { written.push('ERR ' + String(chunk)); return true; }) as typeof process.stderr.write;
    try {
      await program.parseAsync(['node', 'prosper-pool', '--config', file, 'datasources', 'PEG']);
      await program.parseAsync(['node', 'prosper-pool', 'datasources', 'XBT']);
    } finally {
      process.stdout.write = orig;
      process.stderr.write = origErr;
      process.exitCode = 0;
      await rm(dir, { recursive: true, force: true });
    }
    assert.deepEqual(written.slice(0, 2), ['Asset : PEG\n', 'Datasources : [CoinGecko]\n']);
    assert.match(written[2], /^ERR config not found at .*absent.toml; showing the embedded default/);
    assert.deepEqual(written.slice(3), ['Asset : XBT\n', 'Datasources : [Devnet]\n']);
  });

  it('names the config path it looked for with $HOME expanded, never a literal $HOME', async () => {
    const home = await mkdtemp(join(tmpdir(), 'prosper-oracle-home-'));
    try {
      const r = runBin('prosper-pool', ['datasources', 'XBT'], { HOME: home });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stderr.trim(), `config not found at ${join(home, '.prosper', 'prosper-pool.toml')}; showing the embedded default (Devnet simulated prices)`);
      assert.ok(!r.stderr.includes('$'), r.stderr);
      // A config given as $HOME/... is found there.
      await writeFile(join(home, 'pool.toml'), '[oracledatasources]\nfixedusd = 0\ncoingecko = 3\n');
      const found = runBin('prosper-pool', ['--config', '$HOME/pool.toml', 'datasources', 'PEG'], { HOME: home });
      assert.equal(found.status, 0, found.stderr);
      assert.equal(found.stdout, 'Asset : PEG\nDatasources : [CoinGecko]\n');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
