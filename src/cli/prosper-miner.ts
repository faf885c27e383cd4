import { Command, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { createInterface, type Interface } from 'node:readline';
import { Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { ProsperError } from '../errors.js';
import { parseFingerprint, type StratumTlsOptions } from '../stratum/client.js';
import { isValidFctAddress } from '../factom/index.js';
import { createLogger } from '../log.js';
import { KERNEL_NAMES, loadOrCreateTable, mapBitsFromEnv } from '../lxr/index.js';
import { defaultMinerConfigPath, isValidEmail, randomMinerId, readMinerConfig, writeMinerConfig } from '../miner/config-file.js';
import { Miner } from '../miner/miner.js';
import { MinerThreads } from '../miner/threads.js';
import { addCreditOptions, registerVerifyCommand, startMinerVerification } from '../verify/verify-command.js';
import { parseBits } from './lxr-commands.js';

export const MINER_VERSION = 'prosper/v0.1.0';

interface MinerFlags {
  poolhost?: string;
  user?: string;
  minerid?: string;
  miners?: string;
  password?: boolean;
  invitecode?: string;
  payoutaddress?: string;
  config?: string;
  seq?: boolean;
  bs: string;
  kernel: string;
  bits?: number;
  log: string;
  reconnectMs: string;
  fake?: string;
  poolWeb?: string;
  creditKey?: string;
  journal?: string;
  tls?: boolean;
  tlsCa?: string;
  tlsFingerprint?: string;
}

/** --tls, --tls-ca and --tls-fingerprint as Stratum client options (checked before mining starts). */
function tlsOptionsOf(flags: MinerFlags): { tls?: StratumTlsOptions } {
  if (!flags.tls && flags.tlsCa === undefined && flags.tlsFingerprint === undefined) return {};
  const tls: StratumTlsOptions = {};
  if (flags.tlsFingerprint !== undefined) tls.fingerprint256 = parseFingerprint(flags.tlsFingerprint);
  if (flags.tlsCa !== undefined) {
    try {
      tls.ca = readFileSync(flags.tlsCa);
    } catch (err) {
      throw new ProsperError('PROSPER_E_MINER_CONFIG', `cannot read the --tls-ca file ${flags.tlsCa}: ${(err as Error).message}`);
    }
  }
  return { tls };
}

/** The `prosper-miner` program: connects to a pool over Stratum and mines OPR hashes. */
export function buildMinerProgram(): Command {
  const program = new Command('prosper-miner')
    .description('Prosper miner: mines PegNet OPRs for a Prosper pool over Stratum')
    .option('-s, --poolhost <host:port>', 'pool host and stratum port (default localhost:1234)')
    .option('-u, --user <email>', 'username (an email); required on first run')
    .option('-m, --minerid <id>', 'miner id (default: a random adjective-noun)')
    .option('-t, --miners <n>', 'hashing threads (default: number of CPUs)')
    .option('-p, --password', 'prompt for a password (registers a new user with -i and -a)')
    .option('-i, --invitecode <code>', 'invite code for registration')
    .option('-a, --payoutaddress <address>', 'FA payout address for registration')
    .option('--tls', "connect over TLS, verifying the pool's certificate against the system CAs (the pool's [stratum] tlsport)")
    .option('--tls-ca <file>', 'verify the pool certificate against this PEM CA file instead of the system CAs (implies --tls)')
    .option('--tls-fingerprint <sha256>', "pin the pool's certificate by its SHA-256 fingerprint, hex with or without colons, for a self-signed pool (implies --tls)")
    .option('-c, --config <path>', 'config file (default ~/.prosper/prosper-miner.toml)')
    .option('--seq', 'hash one nonce at a time instead of in batches')
    .option('--bs <n>', 'batch size', '256')
    .addOption(new Option('--kernel <name>', 'LXRHash kernel (auto picks by table size)').choices(['auto', ...KERNEL_NAMES]).default('auto'))
    .option('--bits <n>', 'LXRHash table size in bits, must match the pool; remembered in the config file (default: LXRBITSIZE, else the remembered size, else 30)', parseBits)
    .option('--log <level>', 'log level', 'info')
    .addOption(new Option('--reconnect-ms <ms>', 'first reconnect delay; doubles up to 30s').default('1000').hideHelp())
    .addOption(new Option('--fake <n>', 'fake hashing').hideHelp())
    .showHelpAfterError()
    .action(async (flags: MinerFlags) => runMiner(flags));
  addCreditOptions(program);
  registerVerifyCommand(program);
  program
    .command('properties')
    .description('print version properties')
    .action(() => {
      process.stdout.write(`Prosper miner\n  version: ${MINER_VERSION}\n  node: ${process.version}\n`);
    });
  return program;
}

/**
 * Stdin lines, buffered: a piped stdin may deliver the password, its confirmation and console
 * commands in one chunk, before anyone asks for them.
 */
class StdinLines {
  private readonly buffered: string[] = [];
  private waiting: ((line: string) => void) | null = null;
  private handler: ((line: string) => void) | null = null;

  constructor(rl: Interface) {
    rl.on('line', (line) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(line);
      } else if (this.handler) this.handler(line);
      else this.buffered.push(line);
    });
  }

  next(): Promise<string> {
    const line = this.buffered.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** From now on every line goes to `handler` (buffered ones first). */
  onLine(handler: (line: string) => void): void {
    this.handler = handler;
    for (const line of this.buffered.splice(0)) handler(line);
  }
}

/**
 * Asks for a secret; a TTY does not echo it. A piped stdin (a script, the demo) gets no prompt,
 * which would only be noise in its output.
 */
async function ask(lines: StdinLines, mute: { on: boolean }, prompt: string): Promise<string> {
  const tty = process.stdin.isTTY === true;
  if (tty) process.stdout.write(prompt);
  mute.on = true;
  const answer = await lines.next();
  mute.on = false;
  if (tty) process.stdout.write('\n');
  return answer;
}

/**
 * The table size: --bits, else LXRBITSIZE (how deployed miners, the original Go one included,
 * set it), else the size remembered from an earlier --bits, else 30.
 */
function tableBits(flag: number | undefined, remembered: number | undefined): number {
  if (flag !== undefined) return flag;
  if (process.env.LXRBITSIZE !== undefined) return mapBitsFromEnv();
  return remembered ?? mapBitsFromEnv();
}

async function runMiner(flags: MinerFlags): Promise<void> {
  if (flags.fake !== undefined) throw new ProsperError('PROSPER_E_MINER_FAKE', 'Fake hashing is disabled');
  const log = createLogger({ level: flags.log as 'info', name: 'prosper-miner' });
  const defaultPath = defaultMinerConfigPath();
  const path = flags.config ?? defaultPath;
  const file = readMinerConfig(path);
  if (!file && flags.config && flags.config !== defaultPath) throw new ProsperError('PROSPER_E_MINER_CONFIG', `config file ${path} does not exist`);
  const username = flags.user ?? file?.username;
  if (!username) throw new ProsperError('PROSPER_E_MINER_USER', 'a username is required on first run: -u you@example.com');
  if (!isValidEmail(username)) throw new ProsperError('PROSPER_E_MINER_USER', `username must be an email address, got '${username}'`);
  const minerId = flags.minerid ?? file?.minerId ?? randomMinerId();
  const host = flags.poolhost ?? file?.host ?? 'localhost:1234';
  const threads = Number(flags.miners ?? file?.threads ?? availableParallelism());
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) throw new ProsperError('PROSPER_E_MINER_THREADS', `threads must be 1..256, got ${flags.miners}`);
  const m = /^(.*):(\d{1,5})$/.exec(host);
  if (!m) throw new ProsperError('PROSPER_E_MINER_HOST', `pool host must be host:port, got '${host}'`);
  const bits = tableBits(flags.bits, file?.bits);
  if (!file || (flags.bits !== undefined && file.bits !== bits)) {
    // First run: persist the identity (never the secrets); later, a new --bits is remembered.
    writeMinerConfig(path, file
      ? { host: file.host ?? host, threads: file.threads ?? threads, username: file.username ?? username, minerId: file.minerId ?? minerId, bits }
      : { host, threads, username, minerId, bits: flags.bits === undefined ? undefined : bits });
    log.info({ path }, 'config written');
  }

  const mute = { on: false };
  const output = new Writable({
    write(chunk, _enc, cb) {
      if (!mute.on) process.stdout.write(chunk);
      cb();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: process.stdin.isTTY === true });
  const lines = new StdinLines(rl);
  let password = '';
  if (flags.password) {
    password = await ask(lines, mute, 'Password: ');
    const again = await ask(lines, mute, 'Confirm password: ');
    if (password !== again) {
      rl.close();
      throw new ProsperError('PROSPER_E_MINER_PASSWORD', 'passwords do not match');
    }
    if (flags.payoutaddress && !isValidFctAddress(flags.payoutaddress)) {
      rl.close();
      throw new ProsperError('PROSPER_E_MINER_PAYOUT', `not a valid FA address: ${flags.payoutaddress}`);
    }
  }

  const table = await loadOrCreateTable({ bits, logger: log, progress: 'none' });
  const minerThreads = new MinerThreads({ table, threads, kernel: flags.kernel, batch: flags.seq ? 1 : Math.max(1, Number(flags.bs) || 256) });
  const miner = new Miner({
    host: m[1]!,
    port: Number(m[2]),
    username,
    minerId,
    password,
    inviteCode: flags.invitecode ?? '',
    payoutAddress: flags.payoutaddress ?? '',
    agent: MINER_VERSION,
    threads: minerThreads,
    logger: log,
    print: (line) => process.stdout.write(line + '\n'),
    backoff: { initialMs: Number(flags.reconnectMs) || 1000, maxMs: 30_000 },
    ...tlsOptionsOf(flags),
  });
  const stopVerification = startMinerVerification(miner, flags, { poolHost: m[1]!, minerId, configPath: path, print: (line) => process.stdout.write(line + '\n'), log });
  const done = new Promise<void>((resolve) => miner.once('stopped', resolve));
  miner.on('fatal', () => (process.exitCode = 1));
  lines.onLine((line) => void console(miner, line.trim()));
  const shutdown = () => {
    log.info('Gracefully closing');
    void miner.stop();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  process.stdout.write(`prosper-miner ${username},${minerId} -> ${host} with ${threads} threads (${bits}-bit table)\n`);
  await miner.start();
  await done;
  stopVerification();
  rl.close();
  process.off('SIGINT', shutdown);
  process.off('SIGTERM', shutdown);
}

/** Console commands: total, getopr <jobid>, suggesttarget <hex>. */
async function console(miner: Miner, line: string): Promise<void> {
  const [cmd, ...args] = line.split(/\s+/);
  const out = (s: string) => process.stdout.write(s + '\n');
  switch (cmd) {
    case '':
    case undefined:
      return;
    case 'total':
      out(`Total submit ${miner.totalSubmitted} (accepted ${miner.totalAccepted}, rejected ${miner.totalRejected})`);
      return;
    case 'getopr': {
      const hash = await miner.getOprHash(args[0] ?? String(miner.currentJob.jobId)).catch(() => null);
      out(hash ? `OPRHash result: ${hash}` : 'OPRHash result: unavailable');
      return;
    }
    case 'suggesttarget': {
      const ok = await miner.suggestTarget(args[0] ?? '').catch(() => false);
      out(`suggest_target ${ok ? 'accepted' : 'refused'}`);
      return;
    }
    default:
      out(`Client command not supported: ${cmd}`);
  }
}

export async function main(argv: string[] = process.argv): Promise<void> {
  await buildMinerProgram().parseAsync(argv);
}
