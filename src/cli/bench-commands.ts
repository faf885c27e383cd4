import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ProsperError } from '../errors.js';
import { createLogger } from '../log.js';
import { SUITE_SECTIONS, type SuiteSection } from '../lxr/suite/sections.js';
import { exitWithError } from './exit.js';
import { parseBits } from './lxr-commands.js';

const list = <T>(parse: (v: string) => T) => (value: string): T[] => value.split(',').map((v) => parse(v.trim()));
const positiveInt = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1024) throw new InvalidArgumentError(`${name} must be an integer in [1, 1024]`);
  return n;
};
const seconds = (value: string): number => {
  const n = Number(value);
  if (!(n > 0 && n <= 60)) throw new InvalidArgumentError('must be a number of seconds in (0, 60]');
  return n;
};
const section = (value: string): SuiteSection => {
  if (!(SUITE_SECTIONS as readonly string[]).includes(value)) throw new InvalidArgumentError(`sections are ${SUITE_SECTIONS.join(', ')}`);
  return value as SuiteSection;
};

interface BenchFlags {
  quick?: boolean;
  bits?: number[];
  rounds?: number;
  seconds?: number;
  threads?: number[];
  only?: SuiteSection[];
  out: string;
  tableDir?: string;
  compare?: string;
  clock: 'wall' | 'cpu';
}

/** `prosper-pool bench`: the benchmark suite, written as JSON, Markdown and SVG plots. */
export function registerBenchCommands(program: Command): void {
  program
    .command('bench')
    .description('run the benchmark suite (kernels vs the C reference and the measured memory limit, validation engine, miner, table, Stratum) and write bench.json, bench.md and SVG plots')
    .option('--quick', 'the 20-bit table, 3 short rounds: under two minutes')
    .option('--bits <list>', 'table sizes, comma-separated (default 20,30; --quick 20)', list(parseBits))
    .option('--rounds <n>', 'alternating rounds per figure (default 5; --quick 3)', positiveInt('--rounds'))
    .option('--seconds <s>', 'seconds per sample (default 2; --quick 0.4)', seconds)
    .option('--threads <list>', 'thread counts (default 1..cores)', list(positiveInt('--threads')))
    .addOption(new Option('--only <list>', `sections to run, comma-separated: ${SUITE_SECTIONS.join(', ')}`).argParser(list(section)))
    .addOption(new Option('--clock <clock>', 'kernel figures per second of wall time, or of the hashing threads\' CPU time (steadier on a shared machine)').choices(['wall', 'cpu']).default('wall'))
    .option('--out <dir>', 'folder for bench.json, bench.md and the SVG plots', 'bench-report')
    .option('--table-dir <dir>', 'folder of the table cache (default ~/.lxrhash)')
    .option('--compare <old.json>', 'compare with an earlier bench.json: list the figures worse by more than the noise and exit 1 if any')
    .action(async (flags: BenchFlags) => {
      try {
        process.exitCode = await runBench(flags, program.opts().log ?? 'info');
      } catch (err) {
        exitWithError(err);
      }
    });
}

async function runBench(flags: BenchFlags, level: string): Promise<number> {
  // The suite (tinybench, the miner, the validator, native-bench) loads only when it runs.
  const { compareReports, comparisonMarkdown, parseReport } = await import('../lxr/suite/compare.js');
  const { chartSvgs, reportMarkdown } = await import('../lxr/suite/report.js');
  const { runSuite, suiteDefaults } = await import('../lxr/suite/suite.js');
  const logger = createLogger({ level: level as 'info', name: 'bench' });
  const old = flags.compare ? parseReport(readText(flags.compare), flags.compare) : undefined;
  const quick = flags.quick === true;
  const d = suiteDefaults(quick);
  const report = await runSuite({
    quick,
    bits: flags.bits ?? d.bits,
    rounds: flags.rounds ?? d.rounds,
    seconds: flags.seconds ?? d.seconds,
    threads: flags.threads ?? d.threads,
    only: flags.only ?? [],
    tableDir: flags.tableDir,
    clock: flags.clock,
    command: ['prosper-pool', ...process.argv.slice(2)].join(' '),
    logger,
  });
  const dir = resolve(flags.out);
  mkdirSync(dir, { recursive: true });
  const svgs = chartSvgs(report);
  for (const [name, svg] of svgs) writeFileSync(join(dir, name), svg);
  let markdown = reportMarkdown(report, [...svgs.keys()]);
  let regressions = 0;
  if (old && flags.compare) {
    const rows = compareReports(old, report);
    regressions = rows.filter((r) => r.regression).length;
    markdown += '\n' + comparisonMarkdown(rows, flags.compare);
    for (const r of rows.filter((x) => x.regression)) {
      process.stderr.write(`regression: ${r.label}: ${r.measure} ${r.old.toPrecision(4)} -> ${r.new.toPrecision(4)} (${((r.change - 1) * 100).toFixed(1)} %, noise ±${(r.noise * 100).toFixed(0)} %)\n`);
    }
  }
  writeFileSync(join(dir, 'bench.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(dir, 'bench.md'), markdown);
  process.stdout.write(`${join(dir, 'bench.md')}\n${join(dir, 'bench.json')}\n${regressions ? `${regressions} regression(s)\n` : ''}`);
  return regressions ? 1 : 0;
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ProsperError('PROSPER_E_BENCH_COMPARE', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
}
