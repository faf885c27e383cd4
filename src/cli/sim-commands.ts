import { Command, InvalidArgumentError } from 'commander';
import { formatPeg, parsePeg, parseScheme, payoutSettingsFromConfig } from '../accounting/index.js';
import { parseMinerSpec, simulatePayouts, type PayoutSimResult } from '../accounting/payout-sim.js';
import { simulateSoftMax } from '../validation/index.js';
import { configFromProgram } from './global-options.js';

function intArg(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be an integer in [${min}, ${max}]`);
    return n;
  };
}

/** `prosper-pool sim ...`: developer simulations that drive the real pool structures. */
export function registerSimCommands(program: Command): void {
  const sim = program.command('sim').description('developer simulations of pool structures');
  sim
    .command('softmax')
    .description('offer N shares of random quality to the real SoftMaxLimit (size K) and print the mean number admitted, as JSON')
    .requiredOption('--k <K>', 'SoftMaxLimit size (config softmax; 0 disables it)', intArg(0, 10_000))
    .requiredOption('--n <N>', 'shares above the submission threshold per job', intArg(0, 10_000_000))
    .option('--trials <T>', 'jobs to simulate', intArg(1, 1_000_000), 1000)
    .option('--seed <S>', 'PRNG seed, for reproducible runs', intArg(0, 2 ** 31 - 1), 1)
    .action((opts: { k: number; n: number; trials: number; seed: number }) => {
      const r = simulateSoftMax(opts.k, opts.n, opts.trials, opts.seed);
      process.stdout.write(JSON.stringify({ k: r.k, n: r.n, trials: r.trials, mean_admitted: r.mean_admitted }) + '\n');
    });
  sim
    .command('payouts')
    .description("run the pool's real payout split over simulated blocks (pool luck from PegNet's grading odds) and print each miner's fair share, mean pay and daily variation")
    .requiredOption('--scheme <scheme>', 'prop, pplns or pps')
    .requiredOption('--blocks <N>', 'blocks to measure (after the warm-up)', intArg(1, 10_000_000))
    .requiredOption('--miners <SPEC>', 'name:hashrate[,name:hashrate...], hashrates in H/s (e.g. big:5e6,small:200)')
    .option('--seed <S>', 'PRNG seed, for reproducible runs', intArg(0, 2 ** 31 - 1), 1)
    .option('--network-hashrate <H>', "hashrate of the rest of the network in H/s (default: 9x the pool's)")
    .option('--reserve <peg>', 'PPS reserve at the start, in PEG', '100000')
    .option('--warmup <N>', 'blocks settled before measuring (default: 2 x [accounting] ppswindow)', intArg(0, 10_000_000))
    .option('--json', 'end with the summary as one JSON object', false)
    .action(async (opts: { scheme: string; blocks: number; miners: string; seed: number; networkHashrate?: string; reserve: string; warmup?: number; json: boolean }) => {
      const config = configFromProgram(program);
      const settings = { ...payoutSettingsFromConfig(config.pool, config.accounting), scheme: parseScheme(opts.scheme) };
      const network = opts.networkHashrate === undefined ? undefined : Number(opts.networkHashrate);
      if (network !== undefined && !(Number.isFinite(network) && network >= 0)) throw new InvalidArgumentError('--network-hashrate must be a number of H/s, at least 0');
      const r = await simulatePayouts({
        settings, blocks: opts.blocks, miners: parseMinerSpec(opts.miners), seed: opts.seed, networkHashrate: network, reserve: parsePeg(opts.reserve), warmup: opts.warmup,
      });
      for (const line of simReport(r)) process.stdout.write(line + '\n');
      if (opts.json) process.stdout.write(JSON.stringify(simJson(r)) + '\n');
    });
}

/** The simulation as text: one row per miner, and for PPS the reserve's path. */
function simReport(r: PayoutSimResult): string[] {
  const lines = [`${r.scheme} over ${r.blocks} blocks (seed ${r.seed}): the pool holds ${(r.poolShare * 100).toFixed(2)} % of the network and won ${formatPeg(r.rewards)} PEG`];
  lines.push('miner\thashrate share\tfair PEG/block\tmean paid PEG/block\tpaid/fair\tdaily rel std');
  for (const m of r.miners) {
    const ratio = m.fair > 0n ? (Number(m.meanPaid) / Number(m.fair)).toFixed(4) : '-';
    lines.push([m.name, m.hashrateShare.toFixed(6), formatPeg(m.fair), formatPeg(m.meanPaid), ratio, m.dailyRelStd === null ? '-' : m.dailyRelStd.toFixed(4)].join('\t'));
  }
  if (r.reservePath && r.reserveMin !== null) {
    const path = r.reservePath;
    const step = Math.max(1, Math.floor(path.length / 10));
    const points = path.filter((_, i) => i % step === step - 1 || i === path.length - 1);
    lines.push(`PPS reserve path (PEG, every ${step} blocks): ${points.map(formatPeg).join(' ')}`);
    lines.push(`PPS reserve minimum ${formatPeg(r.reserveMin)} PEG; ${r.fallbacks} blocks fell back to PPLNS`);
  }
  return lines;
}

/** The summary object the last line holds: amounts as PEG decimal strings. */
export function simJson(r: PayoutSimResult): Record<string, unknown> {
  return {
    scheme: r.scheme,
    blocks: r.blocks,
    seed: r.seed,
    miners: r.miners.map((m) => ({ name: m.name, hashrateShare: m.hashrateShare, fair: formatPeg(m.fair), meanPaid: formatPeg(m.meanPaid), dailyRelStd: m.dailyRelStd })),
    reserveMin: r.reserveMin === null ? null : formatPeg(r.reserveMin),
  };
}
