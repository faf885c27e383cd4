import assert from 'node:assert/strict';
import { Command } from 'commander';
import { registerDbCommands } from '../../src/cli/db-commands.js';
import { buildPayoutProgram } from '../../src/cli/payout-cli.js';
import type { Store } from '../../src/store/index.js';

export interface CliRun {
  out: string[];
  err: string[];
  code: number;
}

/** Runs `prosper-pool db ...` against a test store; returns what it printed. */
export async function runDb(store: Store, now: () => number, ...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command('prosper-pool').exitOverride().configureOutput({ writeErr: (s) => void err.push(s.trim()) });
  registerDbCommands(program, { openStore: async () => ({ ...store, close: async () => undefined }), out: (s) => out.push(s), err: (s) => err.push(s), now });
  process.exitCode = 0;
  await program.parseAsync(['node', 'prosper-pool', 'db', ...args]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, err, code };
}

/** Runs `payout-cli pay ... -s url` (keys from the key file given in args). */
export async function runPay(url: string, now: () => number, ...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  process.exitCode = 0;
  await buildPayoutProgram({ out: (s) => out.push(s), err: (s) => err.push(s), now, readKeys: async () => assert.fail('keys come from the key file') })
    .exitOverride()
    .configureOutput({ writeErr: (s) => void err.push(s.trim()) })
    .parseAsync(['node', 'payout-cli', 'pay', ...args, '-s', url]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, err, code };
}
