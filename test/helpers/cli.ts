import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

/** Runs one of the package's bin programs (built code) and returns its exit status and output. */
export function runBin(bin: 'prosper-pool' | 'prosper-miner' | 'payout-cli', args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(repoRoot(), 'bin', `${bin}.js`), ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
}
