import type { Command } from 'commander';
import { payoutSettingsFromConfig } from '../accounting/index.js';
import { createAuthService } from '../auth/index.js';
import { expandPath } from '../config/index.js';
import { createLogger } from '../log.js';
import { createPoolMetrics } from '../metrics/index.js';
import { openConfiguredDatabase, storeOver, type Store } from '../store/index.js';
import { startPoolWeb } from '../web/index.js';
import { siteInfoFromConfig } from '../web/site-info.js';
import { configFromProgram } from './global-options.js';

/**
 * `prosper-pool web`: the web UI and API alone, over the configured database (accounts,
 * balances, admin views, and the hashrate figures from the stored shares). Live data (jobs,
 * sessions, blocks) only exists inside a running pool. It starts as the pool's web does (same
 * store, same session key); a start-up error closes what was opened and reaches the program's
 * exit path (non-zero, with the message).
 */
export function registerWebCommands(program: Command): void {
  program
    .command('web')
    .description('serve the web UI and API over the database without running the pool')
    .option('--port <port>', 'override [web] port')
    .action(async (opts: { port?: string }) => {
      const config = configFromProgram(program);
      const log = createLogger({ level: config.app.loglevel as 'info', name: 'prosper-web' });
      const section: Record<string, unknown> = { ...config.web };
      if (opts.port !== undefined) section.port = opts.port;
      // Listened for before anything starts: a signal during start-up (the figures' first read
      // can take a while) stops the command once it is up, instead of killing it mid-way.
      const stopRequested = new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      let store: Store | undefined;
      try {
        const db = await openConfiguredDatabase(config.database);
        store = await storeOver(db);
        const web = await startPoolWeb({
          section, secretDir: expandPath('$HOME/.prosper'), store, auth: createAuthService({ store, now: Date.now }),
          metrics: createPoolMetrics({ processMetrics: true }), log,
          payouts: payoutSettingsFromConfig(config.pool, config.accounting),
          figures: { windowSeconds: config.accounting.hashratewindow, everyMs: config.accounting.figuresinterval * 1000 },
          site: { siteDb: db, info: siteInfoFromConfig(config) },
        });
        if (!web) {
          await store.close();
          return;
        }
        await stopRequested;
        web.server.close();
        await store.close().catch(() => undefined);
        // Prometheus' process metrics keep a timer: the command is over once the server is.
        process.exit(0);
      } catch (err) {
        await store?.close().catch(() => undefined);
        throw err;
      }
    });
}
