import { mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir, writeFileDurably } from '../util/durable-file.js';
import { ProsperError } from '../errors.js';
import type { ShareCredit, Store } from '../store/index.js';

/**
 * A bounded on-disk spool for share batches the database could not take (an outage). Each
 * batch is one fsynced file; replay credits it under its original batch id, so a batch that
 * reached the database before a crash is not credited twice.
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
  mkdirSync(opts.dir, { recursive: true });
  let seq = 0;
  const files = () => readdirSync(opts.dir).filter((f) => f.endsWith('.json')).sort();
  const bytes = () => files().reduce((s, f) => s + statSync(join(opts.dir, f)).size, 0);

  return {
    write(batchId, shares) {
      const body: SpoolFile = {
        batchId,
        shares: shares.map((s) => ({ jobId: s.jobId.toString(), userId: s.userId.toString(), miner: s.miner, target: s.target.toString(), credit: s.credit.toString(), receivedAt: s.receivedAt.getTime(), ...(s.shareId === undefined ? {} : { shareId: s.shareId }) })),
      };
      const text = JSON.stringify(body);
      if (bytes() + text.length > opts.maxBytes) {
        throw new ProsperError('PROSPER_E_ACCOUNTING_SPOOL_FULL', `share spool ${opts.dir} is full (${opts.maxBytes} bytes)`);
      }
      // Sortable name: time, then a counter for batches in the same millisecond.
      const name = `${String(opts.now()).padStart(15, '0')}-${String(seq++).padStart(6, '0')}-${batchId}.json`;
      writeFileDurably(opts.dir, name, text);
    },

    async replay(store) {
      let done = 0;
      for (const f of files()) {
        const path = join(opts.dir, f);
        const body = JSON.parse(readFileSync(path, 'utf8')) as SpoolFile;
        await store.creditShares(body.batchId, body.shares.map((s) => ({
          jobId: BigInt(s.jobId), userId: BigInt(s.userId), miner: s.miner, target: BigInt(s.target), credit: BigInt(s.credit), receivedAt: new Date(s.receivedAt),
          ...(s.shareId === undefined ? {} : { shareId: s.shareId }),
        })));
        unlinkSync(path);
        done++;
      }
      if (done) fsyncDir(opts.dir);
      return done;
    },

    count: () => files().length,
    bytes,
  };
}
