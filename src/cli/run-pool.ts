import type { Command } from 'commander';
import { PoolEngine } from '../engine/engine.js';
import { createLogger } from '../log.js';
import { configFromProgram } from './global-options.js';

/** How long a graceful stop may take before the process exits anyway. */
const STOP_TIMEOUT_MS = 15_000;

/** `prosper-pool` with no subcommand: runs the pool until SIGINT or SIGTERM. */
export function registerRunPool(program: Command): void {
  program.option('--demo', 'also run local miners against the pool, to see it work end to end');
  program.action(async () => {
    const config = configFromProgram(program);
    const logger = createLogger({ level: config.app.loglevel as 'info', name: 'prosper-pool' });
    const engine = await PoolEngine.start({ config, logger });
    const { stratumPort, factomdUrl, embeddedDevnet } = engine.info;
    logger.info(
      { stratum: `stratum+tcp://127.0.0.1:${stratumPort}`, factomd: factomdUrl },
      embeddedDevnet
        ? `pool running on an embedded devnet: point a miner at it with  prosper-miner -s 127.0.0.1:${stratumPort} -u you@example.com -m rig1`
        : 'pool running',
    );
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info({ signal }, 'gracefully closing');
        const timer = setTimeout(() => {
          logger.error('took too long to close');
          process.exit(1);
        }, STOP_TIMEOUT_MS);
        timer.unref();
        engine.stop().then(resolve, resolve);
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
  });
}
