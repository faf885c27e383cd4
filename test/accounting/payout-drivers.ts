import assert from 'node:assert/strict';
import { Command } from 'commander';
import { registerDbCommands } from '../../src/cli/db-commands.js';
import { addGlobalOptions } from '../../src/cli/global-options.js';
import { buildPayoutProgram } from '../../src/cli/payout-cli.js';
import { createAccountant, createShareLedger, type SchemeSettings } from '../../src/accounting/index.js';
import { createLogger } from '../../src/log.js';
import type { Store } from '../../src/store/index.js';

const FA = 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q';

/** `n` users registered by invite, each with a payout address. */
export async function makeUsers(store: Store, n: number): Promise<bigint[]> {
  const codes = Array.from({ length: n }, (_, i) => `code-${i}-${Math.random().toString(36).slice(2)}`);
  await store.createInviteCodes(codes, new Date());
  const ids: bigint[] = [];
  for (const [i, code] of codes.entries()) {
    const r = await store.registerWithInvite({ email: `u${i}@pool.io`, passwordHash: 'x', payoutAddress: FA }, code, new Date());
    assert.ok(r.ok);
    ids.push(r.user.id);
  }
  return ids;
}

let tick = Date.now();
/** When the newest share credited by `credit` was received (ms). */
export const newestShareAt = (): number => tick - 1;
/** One share per row, each a millisecond after the one before (the last row is the newest share). */
export async function credit(store: Store, jobId: number, rows: [bigint, bigint][]): Promise<void> {
  await store.creditShares(`job-${jobId}-${Math.random()}`, rows.map(([userId, c]) => ({ jobId, userId, miner: 'rig', target: 0n, credit: c, receivedAt: new Date(tick++) })));
}

/** The pool's accountant over `store` under the given payout settings. */
export function accountantFor(store: Store, payouts: SchemeSettings, log = createLogger({ level: 'silent' })) {
  const ledger = createShareLedger({ store, now: Date.now });
  return createAccountant({ store, ledger, feeRateE8: payouts.feeRateE8, payouts, now: Date.now, log });
}

export interface CliRun {
  out: string[];
  err: string[];
  code: number;
}

/** Runs `prosper-pool db ...` against a test store; returns what it printed. */
export async function runDb(store: Store, now: () => number, ...args: string[]): Promise<CliRun> {
  return runDbConfigured(store, now, undefined, ...args);
}

/** `prosper-pool --config FILE db ...` (no file: the defaults) against a test store. */
export async function runDbConfigured(store: Store, now: () => number, configPath: string | undefined, ...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const program = addGlobalOptions(new Command('prosper-pool')).exitOverride().configureOutput({ writeErr: (s) => void err.push(s.trim()) });
  registerDbCommands(program, { openStore: async () => ({ ...store, close: async () => undefined }), out: (s) => out.push(s), err: (s) => err.push(s), now });
  process.exitCode = 0;
  await program.parseAsync(['node', 'prosper-pool', ...(configPath === undefined ? [] : ['--config', configPath]), 'db', ...args]);
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
