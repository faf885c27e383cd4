import type { Command } from 'commander';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expandPath } from '../config/index.js';
import { demoAccounts, DemoMiners } from '../engine/demo-miners.js';
import { PoolEngine } from '../engine/engine.js';
import { handOver, releaseSuccessor, RESTART_SIGNAL } from '../engine/handover.js';
import { takeOver } from '../engine/handover-successor.js';
import { removePidFile, writePidFile } from '../engine/pid-file.js';
import { logFields } from '../errors.js';
import { createLogger } from '../log.js';
import { configFromProgram } from './global-options.js';

/** How long a graceful stop may take before the process exits anyway. */
const STOP_TIMEOUT_MS = 15_000;
/** Local miners `--demo` runs. */
const DEMO_MINERS = 2;

/**
 * `prosper-pool` with no subcommand: runs the pool until SIGINT or SIGTERM; RESTART_SIGNAL
 * restarts it in place (src/engine/handover.ts).
 */
export function registerRunPool(program: Command): void {
  program.option('--demo', 'also run local miners against the pool, to see it work end to end');
  program.action(async () => {
    const config = configFromProgram(program);
    const logger = createLogger({ level: config.app.loglevel as 'info', name: 'prosper-pool' });
    const demoMode = program.opts().demo === true;
    const pidFile = expandPath(config.app.pidfile);
    // The signal's default action ends the process: until the pool runs, it is only logged.
    const tooEarly = () => logger.warn(`${RESTART_SIGNAL} ignored: the pool is still starting`);
    process.on(RESTART_SIGNAL, tooEarly);
    // Started by a restart in place: the old process's listener, once it has let go of the store.
    const takeover = await takeOver(pidFile, logger);
    // --demo registers its own users: no first invite code for a miner of the user's.
    const engine = await PoolEngine.start({ config, logger, firstInvite: !demoMode, stratumListeners: takeover?.listeners });
    takeover?.serveQueued();
    writePidFile(pidFile);
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
      let stopping = false;
      const stop = (signal: string, successor?: ChildProcess) => {
        if (stopping) return;
        stopping = true;
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
          // The store is closed and its lock released: the successor may open it now.
          .then(() => successor && releaseSuccessor(successor))
          .then(() => removePidFile(pidFile))
          .then(resolve, resolve);
      };
      let restarting = false;
      const restart = () => {
        if (restarting || stopping) return void logger.warn('a restart or stop is already under way');
        restarting = true;
        handOver({ stratum: engine.stratumIfAny, spreadMs: config.stratum.reconnectspread * 1000, logger })
          .then((successor) => stop(RESTART_SIGNAL, successor))
          .catch((err) => {
            restarting = false;
            logger.error(logFields(err), 'restart in place failed');
          });
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.off(RESTART_SIGNAL, tooEarly).on(RESTART_SIGNAL, restart);
    });
  });
}
