import { errorMessage } from '../errors.js';
import { PegnetSync, workerDifficultyComputer } from '../pegnet/index.js';
import type { EngineContext } from './context.js';
import type { PoolCore } from './pool-core.js';

/**
 * Starts the PegNet sync, which drives the pool: every synced block goes to the block handler
 * (EMA, settlement, next job), which announces what it did on the bus. Grading hashes on its
 * own worker thread so a block (or a long catch-up) never holds the main thread. Stops first.
 */
export function startPegnetSync(ctx: EngineContext, core: Pick<PoolCore, 'table' | 'factomd' | 'syncStore' | 'activations' | 'oprChainId' | 'handler' | 'bus'>): void {
  const { config: c, logger, clock } = ctx;
  const gradingComputer = workerDifficultyComputer(core.table, { threads: 1, kernel: c.validation.kernel });
  ctx.onStop('grading worker', () => gradingComputer.close());
  const sync = new PegnetSync({
    factomd: core.factomd,
    store: core.syncStore,
    computer: gradingComputer,
    activations: core.activations,
    oprChainId: core.oprChainId,
    pool: { identity: c.pool.opridentity, coinbase: c.pool.oprcoinbase },
    logger: logger.child({ module: 'sync' }),
    pollMs: c.pegnet.pollingperiod * 1000,
    retryMs: c.pegnet.retryperiod * 1000,
    now: () => clock.now(),
    onBlock: (e) => core.handler.onBlock(e),
    // The sync is the pool's factomd outage tracker.
    onError: (err) => core.bus.publish('ServiceHealth', { service: 'factomd', up: false, reason: errorMessage(err) }),
    onRecovered: () => core.bus.publish('ServiceHealth', { service: 'factomd', up: true }),
  });
  sync.start();
  ctx.onStop('pegnet sync', () => sync.stop());
}
