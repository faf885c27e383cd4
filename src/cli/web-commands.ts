import type { Command } from 'commander';
import { createAuthService } from '../auth/index.js';
import { isProsperError } from '../errors.js';
import { createLogger } from '../log.js';
import { createPoolMetrics } from '../metrics/index.js';
import { openStore, storeConfigFromDatabaseSection } from '../store/index.js';
import { startPoolWeb } from '../web/index.js';
import { configFromProgram } from './global-options.js';

/**
 * `prosper-pool web`: the web UI and API alone, over the configured database (accounts,
 * balances, admin views, and the hashrate figures from the stored shares). Live data (jobs,
 * sessions, blocks) only exists inside a running pool.
 */
export function registerWebCommands(program: Command): void {
  program
    .command('web')
    .description('serve the web UI and API over the database without running the pool')
    .option('--port <port>', 'override [web] port')
    .action(async (opts: { port?: string }) => {
      const log = createLogger({ level: (program.opts().log as 'info' | undefined) ?? 'info', name: 'prosper-web' });
      try {
        const config = configFromProgram(program);
        const section: Record<string, unknown> = { ...(config.web as Record<string, unknown>) };
        if (opts.port !== undefined) section.port = opts.port;
        const store = await openStore(storeConfigFromDatabaseSection(config.database), log);
        const web = await startPoolWeb({
          section, store, auth: createAuthService({ store, now: Date.now }), metrics: createPoolMetrics({ processMetrics: true }), log,
          figures: { windowSeconds: config.accounting.hashratewindow, everyMs: config.accounting.figuresinterval * 1000 },
        });
        if (!web) {
          await store.close();
          return;
        }
        const stop = () => {
          web.server.close();
          void store.close().finally(() => process.exit(0));
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (err) {
        if (!isProsperError(err)) throw err;
        log.error({ code: err.code }, err.message);
        process.exitCode = 1;
      }
    });
}
