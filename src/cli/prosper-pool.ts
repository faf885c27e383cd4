import { Command } from 'commander';
import { registerConfigCommands } from './config-commands.js';
import { addGlobalOptions } from './global-options.js';
import { registerLxrCommands } from './lxr-commands.js';
import { registerRunPool } from './run-pool.js';
import { registerRestartCommand } from './restart-command.js';
import { registerDbCommands } from './db-commands.js';
import { registerStratumCommands } from './stratum-commands.js';
import { registerPegnetCommands } from './pegnet-commands.js';
import { registerSimCommands } from './sim-commands.js';
import { registerOracleCommands } from './oracle-commands.js';
import { registerDevnetCommands } from './devnet-commands.js';
import { registerWebCommands } from './web-commands.js';
import { registerBenchCommands } from './bench-commands.js';

/**
 * The `prosper-pool` program. Each area registers its own subcommands; the global
 * flags are the seed pool's (see README "prosper-pool").
 */
export function buildPoolProgram(): Command {
  const program = new Command('prosper-pool')
    .description('Prosper: a PegNet mining pool')
    .showHelpAfterError();
  addGlobalOptions(program);
  registerRunPool(program);
  registerRestartCommand(program);
  registerConfigCommands(program);
  registerLxrCommands(program);
  registerDbCommands(program);
  registerStratumCommands(program);
  registerPegnetCommands(program);
  registerSimCommands(program);
  registerOracleCommands(program);
  registerDevnetCommands(program);
  registerWebCommands(program);
  registerBenchCommands(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  await buildPoolProgram().parseAsync(argv);
}
