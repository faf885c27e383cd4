import type { Logger } from '../log.js';
import type { PoolBus } from '../pool/events.js';
import type { CreditRoots } from './credit-roots.js';

/**
 * Publishes each settled job's credit root right after its split (a subscriber of JobSettled).
 * A failure to publish is logged and retried by the next start's publishOutstanding. Returns
 * the unsubscribe.
 */
export function publishRootsOnSettle(bus: Pick<PoolBus, 'on'>, roots: Pick<CreditRoots, 'publish'>, log: Logger): () => void {
  return bus.on('JobSettled', async ({ record }) => {
    try {
      await roots.publish(record.jobId);
    } catch (err) {
      log.error({ jobId: record.jobId.toString(), err: (err as Error).message }, 'publishing the credit root failed; it is published at the next start');
    }
  });
}
