import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { createLogger } from '../log.js';
import { configFromProgram } from './global-options.js';
import { stratumListenersOf } from '../engine/local-stratum.js';
import { loadOrCreateTable, mapBitsFromEnv } from '../lxr/index.js';
import { permissiveAuthorizer } from '../stratum/auth.js';
import { runConsoleCommand } from '../stratum/console.js';
import { createInlineValidator } from '../stratum/inline-validator.js';
import { StratumServer } from '../stratum/server.js';
import { countingSink } from '../stratum/share-sink.js';

interface StratumFlags {
  bits?: string;
  welcome?: string;
}

/** `prosper-pool stratum`: the Stratum server alone, relaxed auth, with an interactive console. */
export function registerStratumCommands(program: Command): void {
  program
    .command('stratum')
    .description('run only the Stratum server (relaxed auth, no database) with an interactive console')
    .option('--bits <n>', 'LXRHash table size for share checks (default LXRBITSIZE or 30)')
    .option('--welcome <message>', 'message shown to miners after authorize')
    .action(async (flags: StratumFlags, cmd: Command) => {
      // The pool config (--config, [stratum], --sport); the original read it softly and ignored
      // everything but the port. The listeners (TLS port, PROXY headers) are the pool's.
      const config = configFromProgram(cmd.parent ?? cmd);
      const log = createLogger({ level: config.app.loglevel as 'info', name: 'stratum' });
      const { host, welcomemessage } = config.stratum;
      const listeners = stratumListenersOf(config);
      const bits = flags.bits ? Number(flags.bits) : mapBitsFromEnv();
      const table = await loadOrCreateTable({ bits, logger: log });
      const sink = countingSink();
      const server = new StratumServer(
        { ...listeners, welcomeMessage: flags.welcome ?? welcomemessage },
        { validator: createInlineValidator(table), authorizer: permissiveAuthorizer(), sink, logger: log },
      );
      const addr = await server.listen();
      const tlsNote = addr.tlsPort === undefined ? '' : ` (TLS on ${host}:${addr.tlsPort})`;
      process.stdout.write(`stratum listening on ${host}:${addr.port}${tlsNote}; type 'help' for commands\n`);
      const rl = createInterface({ input: process.stdin, terminal: false });
      server.on('response', (sid: string, msg: { result: unknown; error: unknown }) => {
        process.stdout.write(`${sid}: ${JSON.stringify(msg.result ?? msg.error)}\n`);
      });
      rl.on('line', (line) => {
        const out = runConsoleCommand(server, line);
        if (out) process.stdout.write(out + '\n');
      });
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        rl.once('close', stop);
      });
      rl.close();
      await server.close();
    });
}
