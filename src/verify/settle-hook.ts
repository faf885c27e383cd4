import type { Accountant } from '../accounting/index.js';
import type { Logger } from '../log.js';
import type { CreditRoots } from './credit-roots.js';

/**
 * The accountant, with each settled job's credit root published right after its split. A
 * failure to publish is logged and retried by the next start's publishOutstanding.
 */
export function publishingCreditRoots(accountant: Accountant, roots: Pick<CreditRoots, 'publish'>, log: Logger): Accountant {
  return {
    ...accountant,
    async settleJob(jobId, reward) {
      const out = await accountant.settleJob(jobId, reward);
      try {
        await roots.publish(jobId);
      } catch (err) {
        log.error({ jobId: jobId.toString(), err: (err as Error).message }, 'publishing the credit root failed; it is published at the next start');
      }
      return out;
    },
  };
}
