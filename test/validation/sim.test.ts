import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { registerSimCommands } from '../../src/cli/sim-commands.js';
import { expectedAdmitted, simulateSoftMax } from '../../src/validation/index.js';

/** Runs `prosper-pool sim ...` in process and returns what it printed. */
async function runSim(args: string[]): Promise<string> {
  const program = new Command('prosper-pool').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerSimCommands(program);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeErr: () => {} });
  for (const c of program.commands.flatMap((c) => c.commands)) c.exitOverride().configureOutput({ writeErr: () => {} });
  let out = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += chunk.toString()), true)) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'prosper-pool', 'sim', 'softmax', ...args]);
  } finally {
    process.stdout.write = write;
  }
  return out;
}

// The seed README's figures, which match K = 50 (its simulation), and the K = 25 default.
const cases = [
  { k: 50, n: 139, seed: 105, expected: 101 },
  { k: 50, n: 450, seed: 160, expected: 159 },
  { k: 50, n: 1941, seed: 247, expected: 233 },
  { k: 25, n: 139, expected: 68 },
  { k: 25, n: 450, expected: 97 },
  { k: 25, n: 1941, expected: 134 },
];

describe('prosper-pool sim softmax', () => {
  for (const c of cases) {
    it(`K=${c.k}, n=${c.n}: about ${c.expected} admitted${c.seed ? ` (the seed's simulation said ${c.seed})` : ''}`, async () => {
      const trials = 1000;
      const printed = await runSim(['--k', String(c.k), '--n', String(c.n), '--trials', String(trials), '--seed', '3']);
      const r = JSON.parse(printed) as { k: number; n: number; trials: number; mean_admitted: number };
      assert.deepEqual(Object.keys(r), ['k', 'n', 'trials', 'mean_admitted']);
      assert.equal(r.k, c.k);
      assert.equal(r.n, c.n);
      assert.equal(r.trials, trials);
      // The standard error of the mean is at most 0.37 here (K=50, n=1941); 1.5 is four of them.
      const exact = expectedAdmitted(c.k, c.n);
      assert.ok(Math.abs(r.mean_admitted - exact) < 1.5, `mean ${r.mean_admitted}, exact expectation ${exact}`);
      assert.ok(Math.abs(r.mean_admitted - c.expected) < 2, `mean ${r.mean_admitted}, issue says about ${c.expected}`);
      if (c.seed) assert.ok(Math.abs(r.mean_admitted - c.seed) / c.seed < 0.07, `within 7% of the seed's single run`);
    });
  }

  it('is reproducible for a seed and differs across seeds', () => {
    assert.deepEqual(simulateSoftMax(25, 300, 20, 9), simulateSoftMax(25, 300, 20, 9));
    assert.notEqual(simulateSoftMax(25, 300, 20, 9).mean_admitted, simulateSoftMax(25, 300, 20, 10).mean_admitted);
  });

  it('K = 0 admits everything; n <= K admits everything', async () => {
    assert.equal(JSON.parse(await runSim(['--k', '0', '--n', '77', '--trials', '3'])).mean_admitted, 77);
    assert.equal(JSON.parse(await runSim(['--k', '25', '--n', '20'])).mean_admitted, 20);
  });

  it('is registered in the prosper-pool program', async () => {
    const { buildPoolProgram } = await import('../../src/cli/prosper-pool.js');
    const sim = buildPoolProgram().commands.find((c) => c.name() === 'sim');
    assert.ok(sim?.commands.some((c) => c.name() === 'softmax'));
  });

  it('refuses bad arguments', async () => {
    for (const args of [['--k', 'x', '--n', '5'], ['--k', '-1', '--n', '5'], ['--k', '5'], ['--k', '5', '--n', '5', '--trials', '0'], ['--k', '2.5', '--n', '5']]) {
      await assert.rejects(runSim(args), (e: { code?: string }) => typeof e.code === 'string' && e.code.startsWith('commander.'), args.join(' '));
    }
  });
});
