import { Command, InvalidArgumentError } from 'commander';
import { simulateSoftMax } from '../validation/index.js';

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
}
