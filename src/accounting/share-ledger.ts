import { randomUUID } from 'node:crypto';
import { ProsperError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { ShareCredit, Store } from '../store/index.js';
import type { CreditedShare } from '../domain/index.js';
import { creditForTarget } from './credit.js';
import type { ShareSpool } from './spool.js';

/** A proven share as the ledger credits it (the domain's CreditedShare). */
export type { CreditedShare } from '../domain/index.js';

export interface ShareLedgerOptions {
  store: Pick<Store, 'creditShares'>;
  now: () => number;
  /** Longest a share waits for its batch: the extra ack latency. Default 20 ms. */
  flushIntervalMs?: number;
  /** A batch is written at once when it reaches this many shares. Default 500. */
  maxBatch?: number;
  /** Where batches go while the database is down; without one, an outage fails the credit. */
  spool?: ShareSpool;
  /** How often to retry the spool while it holds batches. Default 5 s. */
  replayIntervalMs?: number;
  newBatchId?: () => string;
  log?: Logger;
}

/**
 * Group commit for share credit. credit() resolves only once the share's batch is durable
 * (committed to the database, or fsynced to the spool during an outage), so the Stratum
 * server acknowledges a share only after it can no longer be lost.
 */
export interface ShareLedger {
  credit(share: CreditedShare): Promise<void>;
  /** Writes whatever is buffered now; resolves when it is durable. */
  flush(): Promise<void>;
  /** Replays the spool once now (also done on a timer while it is not empty). */
  replaySpool(): Promise<number>;
  close(): Promise<void>;
  /** Shares buffered and not yet durable. */
  readonly buffered: number;
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export function createShareLedger(opts: ShareLedgerOptions): ShareLedger {
  const log = opts.log ?? silentLogger();
  const flushIntervalMs = opts.flushIntervalMs ?? 20;
  const maxBatch = opts.maxBatch ?? 500;
  const newBatchId = opts.newBatchId ?? randomUUID;
  let buffer: ShareCredit[] = [];
  let waiters: Waiter[] = [];
  let timer: NodeJS.Timeout | undefined;
  let replayTimer: NodeJS.Timeout | undefined;
  let replaying: Promise<number> | undefined;
  let closed = false;
  const inFlight = new Set<Promise<void>>();

  async function writeBatch(batch: ShareCredit[], batchWaiters: Waiter[]): Promise<void> {
    const batchId = newBatchId();
    try {
      await opts.store.creditShares(batchId, batch);
    } catch (dbErr) {
      if (!opts.spool) {
        log.error({ err: dbErr, shares: batch.length }, 'share batch not stored');
        for (const w of batchWaiters) w.reject(new ProsperError('PROSPER_E_ACCOUNTING_STORE', 'share credit could not be stored', { cause: dbErr }));
        return;
      }
      try {
        opts.spool.write(batchId, batch);
        log.warn({ err: dbErr, batchId, shares: batch.length }, 'database unavailable; share batch spooled to disk');
        scheduleReplay();
      } catch (spoolErr) {
        log.error({ err: spoolErr, shares: batch.length }, 'share batch neither stored nor spooled');
        for (const w of batchWaiters) w.reject(spoolErr);
        return;
      }
    }
    for (const w of batchWaiters) w.resolve();
  }

  function startFlush(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (buffer.length === 0) return Promise.resolve();
    const batch = buffer;
    const batchWaiters = waiters;
    buffer = [];
    waiters = [];
    const p = writeBatch(batch, batchWaiters).finally(() => inFlight.delete(p));
    inFlight.add(p);
    return p;
  }

  function scheduleReplay(): void {
    if (replayTimer || closed || !opts.spool) return;
    replayTimer = setTimeout(() => {
      replayTimer = undefined;
      void replaySpool().catch(() => undefined);
    }, opts.replayIntervalMs ?? 5000);
    replayTimer.unref();
  }

  function replaySpool(): Promise<number> {
    const spool = opts.spool;
    if (!spool) return Promise.resolve(0);
    replaying ??= spool
      .replay(opts.store)
      .then((n) => {
        if (n) log.info({ batches: n }, 'spooled share batches replayed');
        return n;
      })
      .catch((err) => {
        log.warn({ err }, 'spool replay failed; will retry');
        throw err;
      })
      .finally(() => {
        replaying = undefined;
        if (spool.count() > 0) scheduleReplay();
      });
    return replaying;
  }

  return {
    credit(share) {
      if (closed) return Promise.reject(new ProsperError('PROSPER_E_ACCOUNTING_CLOSED', 'share ledger is closed'));
      let credit: bigint;
      try {
        credit = creditForTarget(share.assignedTarget);
      } catch (err) {
        return Promise.reject(err);
      }
      const p = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
      buffer.push({ jobId: share.jobId, userId: share.userId, miner: share.miner, target: share.assignedTarget, credit, receivedAt: new Date(opts.now()), ...(share.shareId === undefined ? {} : { shareId: share.shareId }) });
      if (buffer.length >= maxBatch) void startFlush();
      else if (!timer) timer = setTimeout(() => void startFlush(), flushIntervalMs);
      return p;
    },
    async flush() {
      await startFlush();
      await Promise.all([...inFlight]);
    },
    replaySpool,
    async close() {
      closed = true;
      await startFlush();
      await Promise.all([...inFlight]);
      if (replayTimer) clearTimeout(replayTimer);
      replayTimer = undefined;
    },
    get buffered() {
      return buffer.length;
    },
  };
}
