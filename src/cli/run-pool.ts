import type { Command } from 'commander';
import { join } from 'node:path';
import { expandPath } from '../config/index.js';
import { demoAccounts, DemoMiners } from '../engine/demo-miners.js';
import { PoolEngine } from '../engine/engine.js';
import { createLogger } from '../log.js';
import { configFromProgram } from './global-options.js';

/** How long a graceful stop may take before the process exits anyway. */
const STOP_TIMEOUT_MS = 15_000;
/** Local miners `--demo` runs. */
const DEMO_MINERS = 2;

/** `prosper-pool` with no subcommand: runs the pool until SIGINT or SIGTERM. */
export function registerRunPool(program: Command): void {
  program.option('--demo', 'also run local miners against the pool, to see it work end to end');
  program.action(async () => {
    const config = configFromProgram(program);
    const logger = createLogger({ level: config.app.loglevel as 'info', name: 'prosper-pool' });
    const demoMode = program.opts().demo === true;
    // --demo registers its own users: no first invite code for a miner of the user's.
    const engine = await PoolEngine.start({ config, logger, firstInvite: !demoMode });
    const { role, stratumPort, factomdUrl, embeddedDevnet } = engine.info;
    if (role === 'standalone') {
      // With no user yet the engine has just printed the registering command.
      logger.info(
        { stratum: `stratum+tcp://127.0.0.1:${stratumPort}`, factomd: factomdUrl },
        !embeddedDevnet ? 'pool running'
          : engine.info.inviteCode ? 'pool running on an embedded devnet'
            : `pool running on an embedded devnet: point a registered user's miner at it with  ${engine.minerCommand()}`,
      );
    }

    let demo: DemoMiners | undefined;
    if (demoMode && role === 'standalone') {
      // Registered without prompts: the pool's own invite codes (reused over restarts), or open registration.
      const dir = join(expandPath('$HOME/.prosper'), 'demo');
      const accounts = config.stratum.requireauth ? await demoAccounts(engine, dir, DEMO_MINERS) : undefined;
      demo = new DemoMiners({
        poolHost: `127.0.0.1:${stratumPort}`,
        bits: engine.info.lxrBits,
        count: DEMO_MINERS,
        accounts,
        dir,
        logger: logger.child({ module: 'demo' }),
      });
      demo.start();
    }

    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info({ signal }, 'gracefully closing');
        const timer = setTimeout(() => {
          logger.error('took too long to close');
          process.exit(1);
        }, STOP_TIMEOUT_MS);
        timer.unref();
        // The demo miners go first, so the pool does not log their reconnect attempts.
        (demo?.stop() ?? Promise.resolve())
          .then(() => engine.stop())
          .then(() => logger.info('pool stopped'))
          .then(resolve, resolve);
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
  });
}
