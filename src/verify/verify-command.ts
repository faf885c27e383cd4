/**
 * prosper-miner's side of verifiable accounting on the command line: the options that turn the
 * running miner's checks on, and `prosper-miner verify --job H`.
 */
import { Command, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { isProsperError, ProsperError } from '../errors.js';
import type { Logger } from '../log.js';
import { defaultMinerConfigPath, readMinerConfig } from '../miner/config-file.js';
import { formatVerdict, pinnedPoolKey, verifyJob } from './job-verifier.js';
import { readJournal, type JournalEntry } from './journal.js';
import { attachCreditVerification, type JournaledMiner } from './miner-hook.js';
import {
  defaultJournalPath, parseCreditKey, parsePoolWeb, readVerifySettings, verifySettingsPath, writeVerifySettings,
} from './miner-settings.js';

/** The web port a pool listens on unless configured otherwise ([web] port). */
const DEFAULT_WEB_PORT = 7070;

export interface CreditFlags {
  poolWeb?: string;
  creditKey?: string;
  journal?: string;
}

/**
 * --pool-web, --credit-key, --journal on the miner. Options after a subcommand's name are the
 * subcommand's (`verify` has options of the same names).
 */
export function addCreditOptions(program: Command): Command {
  return program
    .enablePositionalOptions()
    .option('--pool-web <url>', "the pool's web address for credit checks (default http://<pool host>:7070; remembered)")
    .option('--credit-key <hex>', 'your credit key from the account page: turns on the credit check of every job (remembered)')
    .option('--journal <path>', 'journal of acknowledged shares (default ~/.prosper/journal/<minerid>.jsonl)');
}

/** Resolves and remembers the miner's verification settings, then hooks the checks into the miner. */
export function startMinerVerification(
  miner: JournaledMiner,
  flags: CreditFlags,
  ctx: { poolHost: string; minerId: string; configPath: string; print: (line: string) => void; log: Logger },
): () => void {
  const settingsPath = verifySettingsPath(ctx.configPath);
  const settings = readVerifySettings(settingsPath);
  const poolWeb = parsePoolWeb(flags.poolWeb ?? settings.poolWeb ?? `http://${ctx.poolHost}:${DEFAULT_WEB_PORT}`);
  const creditKey = flags.creditKey !== undefined ? parseCreditKey(flags.creditKey) : settings.creditKey;
  if (poolWeb !== settings.poolWeb || creditKey !== settings.creditKey) writeVerifySettings(settingsPath, { ...settings, poolWeb, ...(creditKey ? { creditKey } : {}) });
  return attachCreditVerification(miner, {
    journalPath: flags.journal ?? defaultJournalPath(ctx.configPath, ctx.minerId),
    settingsPath, poolWeb, creditKey, print: ctx.print, log: ctx.log,
  });
}

const jobNumber = (v: string): number => {
  if (!/^\d{1,10}$/.test(v)) throw new InvalidArgumentError('must be a block height');
  return Number(v);
};

interface VerifyFlags {
  job: number;
  journal: string[];
  poolWeb?: string;
  creditKey?: string;
  config?: string;
  trustNewKey?: boolean;
}

/** `prosper-miner verify --job H [--journal FILE]... `: prints OK or the discrepancy; exit code 1 on any. */
export function registerVerifyCommand(program: Command, out: (line: string) => void = (l) => void process.stdout.write(l + '\n')): void {
  program
    .command('verify')
    .description("check a settled job's signed credit root against your journals of acknowledged shares")
    .requiredOption('--job <height>', 'the job (block height) to check', jobNumber)
    .option('--journal <paths...>', "other workers' journals of the same user (yours is always read)", [])
    .option('--pool-web <url>', "the pool's web address (default: the remembered one)")
    .option('--credit-key <hex>', 'your credit key (default: the remembered one)')
    .option('-c, --config <path>', 'miner config file (default ~/.prosper/prosper-miner.toml)')
    .option('--trust-new-key', "accept a changed pool key (only after checking with the operator)")
    .action(async (flags: VerifyFlags) => {
      try {
        process.exitCode = (await runVerify(flags, out)) ? 0 : 1;
      } catch (err) {
        if (!isProsperError(err)) throw err;
        out(`error ${err.code}: ${err.message}`);
        process.exitCode = 1;
      }
    });
}

async function runVerify(flags: VerifyFlags, out: (line: string) => void): Promise<boolean> {
  const configPath = flags.config ?? defaultMinerConfigPath();
  const settingsPath = verifySettingsPath(configPath);
  const settings = readVerifySettings(settingsPath);
  const poolWeb = flags.poolWeb ? parsePoolWeb(flags.poolWeb) : settings.poolWeb;
  const creditKey = flags.creditKey ? parseCreditKey(flags.creditKey) : settings.creditKey;
  if (!poolWeb || !creditKey) throw new ProsperError('PROSPER_E_VERIFY_SETTINGS', 'give --pool-web and --credit-key (or run the miner with them once)');
  const minerId = readMinerConfig(configPath)?.minerId;
  const own = minerId ? defaultJournalPath(configPath, minerId) : undefined;
  const paths = [...new Set([...(own && existsSync(own) ? [own] : []), ...flags.journal])];
  if (paths.length === 0) throw new ProsperError('PROSPER_E_VERIFY_JOURNAL', 'no journal to check against: give --journal');
  const entries: JournalEntry[] = [];
  for (const p of paths) {
    const j = readJournal(p);
    if (j.skipped > 0) out(`${p}: skipped ${j.skipped} unreadable lines`);
    entries.push(...j.entries);
  }
  const publicKey = await pinnedPoolKey({ poolWeb, settingsPath, print: out, trustNewKey: flags.trustNewKey });
  const verdict = await verifyJob({ poolWeb, creditKey, publicKey, jobId: flags.job, entries });
  out(formatVerdict(flags.job, verdict));
  return verdict.status === 'checked' && verdict.result.ok;
}
