import { readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Command, Option } from 'commander';
import { PEGNET_TX_CHAIN_MAINNET, formatPeg, parseKeyFile, payFromFile, resubmitReceipt, type EntrySubmitter, type PayoutKeys } from '../accounting/index.js';
import { isProsperError } from '../errors.js';
import { FactomdClient } from '../factom/index.js';

export interface PayoutCliDeps {
  submitter?: (factomdUrl: string) => EntrySubmitter;
  /** Reads the secrets when no --keyfile is given. */
  readKeys?: () => Promise<PayoutKeys>;
  now?: () => number;
  out?: (text: string) => void;
  err?: (text: string) => void;
}

/**
 * Asks for both secrets on one readline interface, echoing nothing of what is typed. Lines are
 * queued as they arrive: from a pipe both may come at once, before the second question.
 */
async function promptKeys(): Promise<PayoutKeys> {
  const tty = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: tty ? process.stderr : undefined, terminal: tty });
  // Typed characters must not be echoed: readline writes them through _writeToOutput.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  const lines: string[] = [];
  const waiting: ((line: string | undefined) => void)[] = [];
  rl.on('line', (line) => (waiting.length ? waiting.shift()!(line) : lines.push(line)));
  let closed = false;
  rl.on('close', () => {
    closed = true;
    waiting.splice(0).forEach((w) => w(undefined));
  });
  const ask = async (q: string): Promise<string> => {
    process.stderr.write(q);
    const line = lines.length || closed ? lines.shift() : await new Promise<string | undefined>((r) => waiting.push(r));
    process.stderr.write('\n');
    return (line ?? '').trim();
  };
  try {
    const fs = await ask('Fs secret of the source address: ');
    const es = await ask('Es secret of the EC address: ');
    return { fs, es };
  } finally {
    rl.close();
  }
}

function readKeyFile(path: string, err: (t: string) => void): PayoutKeys {
  if ((statSync(path).mode & 0o077) !== 0) err(`warning: ${path} is readable by other users; chmod 600 it`);
  return parseKeyFile(readFileSync(path, 'utf8'));
}

/** The key-file format, shown by `pay --help` and `resubmit --help` (README: payout-cli). */
export const KEY_FILE_HELP = `
Key file (-k): a text file holding two secrets separated by spaces or line breaks:
  Fs...  the secret of the source FA address (normally the pool's [pool] oprcoinbase)
  Es...  the secret of the EC address paying for the entry (normally [pool] esaddress)
Lines starting with # are comments; order does not matter. Both secrets are checked
against the addresses before anything is signed. Keep the file private (chmod 600).
Without -k both secrets are asked for on the terminal; never pass them as arguments.
On the devnet the defaults are public test keys: see the README's payout-cli section.`;

/** The `payout-cli` program: turns a pool payout file into a signed PegNet transaction. */
export function buildPayoutProgram(deps: PayoutCliDeps = {}): Command {
  const out = deps.out ?? ((t: string) => void process.stdout.write(t + '\n'));
  const err = deps.err ?? ((t: string) => void process.stderr.write(t + '\n'));
  const program = new Command('payout-cli')
    .description('Sign and send the PEG payouts that `prosper-pool db payout` wrote')
    .showHelpAfterError();
  program
    .command('pay')
    .description('step 2: pay a payout file in one PegNet transfer batch and write the receipt')
    .argument('<payments>', 'payout file from `prosper-pool db payout`')
    .argument('<sourceFA>', 'FA address holding the PEG to pay out')
    .argument('<ecAddress>', 'EC address paying for the entry')
    .argument('<receipt>', 'receipt file to create (must not exist)')
    .addOption(new Option('-s, --factomdhost <url>', 'factomd v2 API').default('http://localhost:8088/v2'))
    .option('-k, --keyfile <path>', 'file holding the Fs… and Es… secrets (otherwise they are prompted for; never pass keys as arguments)')
    .addOption(new Option('--chain <hex>', 'PegNet transactions chain id').default(PEGNET_TX_CHAIN_MAINNET))
    .addHelpText('after', KEY_FILE_HELP)
    .action(async (payments: string, sourceFA: string, ecAddress: string, receipt: string, opts: { factomdhost: string; keyfile?: string; chain: string }) => {
      try {
        const keys = opts.keyfile ? readKeyFile(opts.keyfile, err) : await (deps.readKeys ?? promptKeys)();
        const submitter = deps.submitter ? deps.submitter(opts.factomdhost) : new FactomdClient({ url: opts.factomdhost });
        const done = await payFromFile({
          payoutPath: payments, receiptPath: receipt, sourceAddress: sourceFA, ecAddress, keys, chainId: opts.chain, submitter, now: deps.now ?? Date.now,
        });
        out('Payment submitted to the network');
        out(`EntryHash: ${done.entryHash}`);
        out(`   Commit: ${done.commitTxId}`);
        out(`${formatPeg(done.total)} PEG to ${done.items.length} payees; verify with: pegnetd get tx ${done.entryHash}`);
        out(`then record it: prosper-pool db record ${receipt}`);
      } catch (e) {
        if (!isProsperError(e)) throw e;
        err(`error ${e.code}: ${e.message}`);
        process.exitCode = 1;
      }
    });
  program
    .command('resubmit')
    .description('send again the exact entry of a receipt left "signed" by an interrupted pay (same entry hash: cannot pay twice)')
    .argument('<receipt>', 'receipt file written by pay')
    .addOption(new Option('-s, --factomdhost <url>', 'factomd v2 API').default('http://localhost:8088/v2'))
    .option('-k, --keyfile <path>', 'file holding the Fs… and Es… secrets (otherwise they are prompted for)')
    .addHelpText('after', KEY_FILE_HELP)
    .action(async (receipt: string, opts: { factomdhost: string; keyfile?: string }) => {
      try {
        const keys = opts.keyfile ? readKeyFile(opts.keyfile, err) : await (deps.readKeys ?? promptKeys)();
        const submitter = deps.submitter ? deps.submitter(opts.factomdhost) : new FactomdClient({ url: opts.factomdhost });
        const done = await resubmitReceipt({ receiptPath: receipt, keys, submitter, now: deps.now ?? Date.now });
        out('Payment submitted to the network');
        out(`EntryHash: ${done.entryHash}`);
      } catch (e) {
        if (!isProsperError(e)) throw e;
        err(`error ${e.code}: ${e.message}`);
        process.exitCode = 1;
      }
    });
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  await buildPayoutProgram().parseAsync(argv);
}
