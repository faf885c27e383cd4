import { userIdOf } from '../domain/index.js';
import { logFields } from '../errors.js';
import type { PoolMetrics } from '../metrics/index.js';
import type { PoolBus } from '../pool/index.js';
import type { NotifyStore } from '../store/index.js';
import type { EngineContext } from '../engine/context.js';
import type { NotifySettings } from './config.js';
import { HealthBoard } from './health.js';
import { Notifier, type NotifyCounters } from './notifier.js';
import { MinerPresence, type MinerRef } from './presence.js';

/** How often the store is asked for payouts recorded by `prosper-pool db record` (another process). */
export const PAYOUT_POLL_MS = 10_000;

export interface NotifySources {
  bus: PoolBus;
  store: NotifyStore;
  /** The last Entry Credit balance read by the entry writer (no extra factomd call). */
  ecBalance: () => Promise<bigint>;
  metrics?: PoolMetrics;
}

export function notifyCounters(m: PoolMetrics): NotifyCounters {
  return {
    outcome: (o) => m.notifyDeliveries.inc({ outcome: o }),
    dropped: (reason) => m.notifyDropped.inc({ reason }),
    queued: (n) => m.notifyQueued.set(n),
  };
}

/**
 * Subscribes the notifier to the pool: the bus for blocks won, settlements, accepted shares
 * (miner presence), submissions (the EC balance) and outages; the store for recorded payouts.
 * Every subscriber only queues (durably, off the socket path) and returns.
 */
export function startNotifications(ctx: EngineContext, settings: NotifySettings, src: NotifySources): Notifier {
  const { clock } = ctx;
  const logger = ctx.logger.child({ module: 'notify' });
  const notifier = new Notifier({ settings, clock, logger, store: src.store, counters: src.metrics ? notifyCounters(src.metrics) : undefined });
  const { bus } = src;
  const emit: Notifier['emit'] = (...args) => notifier.emit(...args);

  bus.on('BlockWon', ({ height, winning, reward }) => emit('block.won', { height, winning, reward }));
  bus.on('JobSettled', ({ record, created, winning, graded }) => {
    if (!created) return; // settled by an earlier run: announced then
    return emit('job.settled', {
      // Ids and amounts go out as decimal strings (webhookJson); the job id is a number inside.
      jobId: String(record.jobId), reward: record.reward, fee: record.fee, totalCredit: record.totalCredit, winning, graded,
      payouts: record.payouts.map((p) => ({ userId: p.userId, credit: p.credit, amount: p.amount })),
    });
  });

  // The share's wire id names the user whose own webhook also gets the event (none if it is not a users id).
  const owner = (m: MinerRef) => {
    const userId = userIdOf(m.userId);
    return userId === undefined ? undefined : { userId };
  };
  const presence = new MinerPresence({
    clock, offlineAfterMs: settings.offlineAfterMs,
    onOffline: (m, silentMs) => void emit('miner.offline', { ...m, silentSeconds: Math.floor(silentMs / 1000) }, owner(m)),
    onOnline: (m, silentMs) => void emit('miner.online', { ...m, silentSeconds: Math.floor(silentMs / 1000) }, owner(m)),
  });
  bus.on('ShareAccepted', ({ share }) => presence.seen({ userId: share.userId, username: share.username, miner: share.minerId }));
  presence.start();
  ctx.onStop('miner presence', () => presence.stop());

  let ecLow = false;
  bus.on('SubmissionWritten', async () => {
    // The writer's cached balance; when factomd cannot give one, the next submission asks again.
    const balance = await src.ecBalance().catch(() => undefined);
    if (balance === undefined) return;
    const low = balance < settings.ecLow;
    if (low && !ecLow) await emit('ec.low', { balance, threshold: settings.ecLow });
    ecLow = low;
  });

  const health = new HealthBoard((change) => void emit(change.kind === 'degraded' ? 'pool.degraded' : 'pool.recovered', { ...change }), () => clock.now());
  bus.on('ServiceHealth', ({ service, up, reason }) => health.report(service, up, reason));

  // Payouts are recorded by another process: found in the store, announced, then marked (a
  // crash in between announces the batch again: at least once, as every delivery).
  let polling = false;
  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      for (const p of await src.store.unannouncedPayouts(100)) {
        const data = { batchId: p.batchId, entryHash: p.entryHash, recordedAt: p.recordedAt.toISOString(), items: p.items };
        await emit('payout.recorded', data);
        for (const item of p.items) {
          await emit('payout.recorded', {}, { userId: item.userId, userOnly: true, userData: { batchId: p.batchId, entryHash: p.entryHash, recordedAt: data.recordedAt, address: item.address, amount: item.amount } });
        }
        await src.store.markAnnounced(p.batchId, new Date(clock.now()));
      }
    } catch (err) {
      logger.warn({ ...logFields(err) }, 'recorded payouts could not be read for webhooks; trying again');
    } finally {
      polling = false;
    }
  };
  const payoutTimer = clock.setInterval(() => void poll(), PAYOUT_POLL_MS).unref();
  ctx.onStop('payout announcements', () => clock.clearInterval(payoutTimer));
  ctx.onStop('webhooks', () => notifier.stop());
  notifier.start();
  void poll();
  return notifier;
}
