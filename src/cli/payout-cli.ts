import { Command } from 'commander';

/** The `payout-cli` program: turns a pool payout file into signed PegNet transactions. */
export function buildPayoutProgram(): Command {
  return new Command('payout-cli')
    .description('Sign and send the PEG payouts that `prosper-pool db payout` wrote')
    .showHelpAfterError();
}

export async function main(argv: string[] = process.argv): Promise<void> {
  await buildPayoutProgram().parseAsync(argv);
}
