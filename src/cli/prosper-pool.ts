import { Command } from 'commander';
import { registerLxrCommands } from './lxr-commands.js';

/**
 * The `prosper-pool` program. Each area registers its own subcommands; the global
 * flags are the seed pool's (see README "prosper-pool").
 */
export function buildPoolProgram(): Command {
  const program = new Command('prosper-pool')
    .description('Prosper: a PegNet mining pool')
    .option('--config <path>', 'location of the TOML config', '$HOME/.prosper/prosper-pool.toml')
    .option('--log <level>', "logging level: 'trace', 'debug', 'info', 'warn', 'error' or 'fatal'", 'info')
    .showHelpAfterError();
  registerLxrCommands(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  await buildPoolProgram().parseAsync(argv);
}
