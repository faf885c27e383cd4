import { errorMessage } from '../errors.js';
import type { Command } from 'commander';
import { expandPath } from '../config/index.js';
import {
  assetsForVersion, coverageIssues, embeddedOracleConfig, findDescriptor, isOprVersion, loadOracleConfigFile, PriceOracle,
  pricingSymbol, ASSETS_V5, ALL_PRICED_ASSETS, SOURCE_DESCRIPTORS, type OracleConfig, type OprVersion,
} from '../oracle/index.js';

/**
 * `prosper-pool datasources [ASSET|SOURCE|pull]`: the seed's listing of sources, priorities and
 * per-asset fallback chains, plus `pull`, which asks every enabled source now.
 */
export interface DatasourcesIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Prints the listing for no argument, an asset, or a source name; returns the exit code. */
export function printDatasources(cfg: OracleConfig, arg: string | undefined, version: OprVersion, io: DatasourcesIo): number {
  const oracle = new PriceOracle(cfg, { soft: true });
  if (arg === undefined) {
    io.out('Data sources in priority order');
    const list = oracle.plan.enabled.map((e) => `${e.descriptor.name}:${e.priority}`).join(', ');
    io.out(`\t${list === '' ? 'You have no data sources configured' : list}`);
    io.out('');
    io.out('Assets and their data source order. The order left to right is the fallback order.');
    for (const a of assetsForVersion(version)) {
      const chain = oracle.chain(a);
      io.out(`\t${a.padStart(4)} (${chain.length}) : ${chain.length === 0 ? 'NO DATASOURCE!' : chain.join(' -> ')}`);
    }
    const problems = [...oracle.plan.issues, ...coverageIssues(oracle.plan, [version])];
    if (problems.length > 0) {
      io.out('');
      io.out('Config problems (the pool will refuse to start):');
      for (const p of problems) io.out(`\t${p.message}`);
    }
    return 0;
  }
  const asset = arg.toUpperCase();
  if (ALL_PRICED_ASSETS.includes(pricingSymbol(asset)) || (ASSETS_V5 as readonly string[]).includes(asset)) {
    io.out(`Asset : ${asset}`);
    io.out(`Datasources : [${oracle.chain(asset).join(' ')}]`);
    return 0;
  }
  const d = findDescriptor(arg);
  if (d) {
    io.out(`Datasource : ${d.name}`);
    io.out(`Datasource URL : ${cfg.baseUrls[d.configKey] ?? d.defaultEndpoint}`);
    io.out('Supported peg pricing');
    for (const a of d.assets) io.out(`\t${a}`);
    return 0;
  }
  const known = SOURCE_DESCRIPTORS.filter((s) => s.listed).map((s) => s.name).join(', ');
  io.err(`${arg} is neither an asset nor a supported datasource (sources: ${known})`);
  return 1;
}

/** Fetches every enabled source now and prints what each returned (or JSON like the seed's pullsources). */
export async function pullDatasources(cfg: OracleConfig, json: boolean, io: DatasourcesIo, signal?: AbortSignal): Promise<number> {
  const oracle = new PriceOracle(cfg, { soft: true });
  const pulls = await oracle.pullSources(signal);
  if (json) {
    io.out(JSON.stringify(pulls.map((p) => ({
      Name: p.name,
      Error: p.error ? `${p.error.code}: ${p.error.message}` : null,
      Prices: Object.fromEntries(p.prices),
      AssetErrors: Object.fromEntries([...p.assetErrors].map(([a, e]) => [a, `${e.code}: ${e.message}`])),
    }))));
  } else {
    if (pulls.length === 0) io.out('You have no data sources configured');
    for (const p of pulls) {
      io.out(`${p.name}: ${p.error ? `FAILED ${p.error.code}: ${p.error.message}` : `${p.prices.size} prices`}`);
      for (const [a, v] of p.prices) io.out(`\t${a.padStart(4)} ${v}`);
      for (const [a, e] of p.assetErrors) io.out(`\t${a.padStart(4)} ${e.code}: ${e.message}`);
    }
  }
  return pulls.some((p) => p.error) ? 1 : 0;
}

async function readConfig(configPath: string, io: DatasourcesIo): Promise<OracleConfig> {
  const path = expandPath(configPath);
  const cfg = await loadOracleConfigFile(path);
  if (cfg) return cfg;
  io.err(`config not found at ${path}; showing the embedded default (Devnet simulated prices)`);
  return embeddedOracleConfig();
}

export function registerOracleCommands(program: Command): void {
  const io: DatasourcesIo = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };
  program
    .command('datasources')
    .description('list price data sources, their priorities and each asset\'s fallback order; `datasources pull` fetches them all now')
    .argument('[target]', 'an asset (e.g. XBT), a source name (e.g. CoinGecko), or "pull"')
    .option('--opr-version <n>', 'OPR version whose assets are listed', '5')
    .option('--json', 'with pull: print JSON like the seed\'s pullsources')
    .action(async function (this: Command, target: string | undefined) {
      const opts = this.optsWithGlobals<{ config: string; oprVersion: string; json?: boolean }>();
      const version = Number(opts.oprVersion);
      if (!isOprVersion(version)) {
        io.err(`--opr-version must be 1..5, got ${opts.oprVersion}`);
        process.exitCode = 2;
        return;
      }
      try {
        const cfg = await readConfig(opts.config, io);
        process.exitCode = target?.toLowerCase() === 'pull'
          ? await pullDatasources(cfg, opts.json === true, io)
          : printDatasources(cfg, target, version, io);
      } catch (err) {
        io.err(errorMessage(err));
        process.exitCode = 1;
      }
    });
}
