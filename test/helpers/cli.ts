import { spawn, spawnSync, type ChildProcessWithoutNullStreams, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export type BinName = 'prosper-pool' | 'prosper-miner' | 'payout-cli';

/** node arguments that run one of the package's bin programs (built code). */
export function binArgs(bin: BinName, args: string[]): string[] {
  return [join(repoRoot(), 'bin', `${bin}.js`), ...args];
}

/** Runs one of the package's bin programs (built code) and returns its exit status and output. */
export function runBin(bin: BinName, args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, binArgs(bin, args), {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    cwd,
    timeout: 120_000,
  });
}

/** Starts one of the bin programs in the background (built code). */
export function startBin(bin: BinName, args: string[], env: NodeJS.ProcessEnv, cwd?: string): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, binArgs(bin, args), { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
}
