import { Command } from 'commander';

/** The `prosper-miner` program: connects to a pool over Stratum and mines OPR hashes. */
export function buildMinerProgram(): Command {
  return new Command('prosper-miner')
    .description('Prosper miner: mines PegNet OPRs for a Prosper pool over Stratum')
    .showHelpAfterError();
}

export async function main(argv: string[] = process.argv): Promise<void> {
  await buildMinerProgram().parseAsync(argv);
}
