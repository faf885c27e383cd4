import type { ShareCredit, Store } from '../store/index.js';
import { createFileSpool } from '../util/spool.js';

/**
 * A bounded on-disk spool for share batches the database could not take (an outage), on the
 * one indexed spool (util/spool.ts): each batch is one fsynced JSON file; replay credits it
 * under its original batch id, so a batch that reached the database before a crash is not
 * credited twice.
 */
export interface ShareSpool {
  write(batchId: string, shares: readonly ShareCredit[]): void;
  /** Replays spooled batches oldest first; stops at the first failure. Returns batches replayed. */
  replay(store: Pick<Store, 'creditShares'>): Promise<number>;
  /** Batches waiting. */
  count(): number;
  bytes(): number;
}

interface SpoolFile {
  batchId: string;
  shares: { jobId: string; userId: string; miner: string; target: string; credit: string; receivedAt: number; shareId?: string }[];
}

export function createDiskSpool(opts: { dir: string; maxBytes: number; now: () => number }): ShareSpool {
  const spool = createFileSpool({ ...opts, ext: '.json', fullCode: 'PROSPER_E_ACCOUNTING_SPOOL_FULL', label: 'share spool' });
  return {
    write(batchId, shares) {
      const body: SpoolFile = {
        batchId,
        shares: shares.map((s) => ({ jobId: s.jobId.toString(), userId: s.userId.toString(), miner: s.miner, target: s.target.toString(), credit: s.credit.toString(), receivedAt: s.receivedAt.getTime(), ...(s.shareId === undefined ? {} : { shareId: s.shareId }) })),
      };
      spool.write(JSON.stringify(body), `-${batchId}`);
    },

    async replay(store) {
      let done = 0;
      for (const name of spool.entries()) {
        const body = JSON.parse(Buffer.from(spool.read(name)).toString('utf8')) as SpoolFile;
        await store.creditShares(body.batchId, body.shares.map((s) => ({
          jobId: Number(s.jobId), userId: BigInt(s.userId), miner: s.miner, target: BigInt(s.target), credit: BigInt(s.credit), receivedAt: new Date(s.receivedAt),
          ...(s.shareId === undefined ? {} : { shareId: s.shareId }),
        })));
        spool.remove(name);
        done++;
      }
      if (done) spool.syncRemovals();
      return done;
    },

    count: () => spool.count,
    bytes: () => spool.bytes,
  };
}
