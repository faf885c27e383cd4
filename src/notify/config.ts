import type { PoolConfig } from '../config/index.js';
import { ProsperError } from '../errors.js';
import { parseWebhookUrl } from './url.js';

/** Every event a webhook can carry (docs/webhooks.md describes each payload). */
export const NOTIFY_EVENTS = [
  'block.won', 'job.settled', 'payout.recorded', 'miner.offline', 'miner.online', 'ec.low', 'pool.degraded', 'pool.recovered',
] as const;
export type NotifyEventName = (typeof NOTIFY_EVENTS)[number];
/** What a user's own webhook may receive: about their own miners and payouts only. */
export const USER_EVENTS: readonly NotifyEventName[] = ['miner.offline', 'miner.online', 'payout.recorded'];

export const MIN_SECRET_LENGTH = 16;

/** The `[notify]` section, checked, in the units the notifier uses. */
export interface NotifySettings {
  urls: string[];
  secret: string;
  events: ReadonlySet<NotifyEventName>;
  retries: number;
  backoffMs: number;
  backoffCapMs: number;
  timeoutMs: number;
  concurrency: number;
  queueMaxBytes: number;
  spoolDir: string;
  logSize: number;
  offlineAfterMs: number;
  ecLow: bigint;
}

function isEventName(name: string): name is NotifyEventName {
  return (NOTIFY_EVENTS as readonly string[]).includes(name);
}

/**
 * Reads `[notify]`: every URL must be a usable http(s) URL (PROSPER_E_NOTIFY_URL or _URL_TEXT,
 * naming the key, so a typo stops the start instead of losing every event), every event name
 * known, and a secret long enough when there is anywhere to send to.
 */
export function parseNotifySettings(section: PoolConfig['notify'], env: NodeJS.ProcessEnv = process.env): NotifySettings {
  const urls = section.urls.split(',').map((u) => u.trim()).filter((u) => u !== '').map((u) => {
    try {
      return parseWebhookUrl(u);
    } catch (err) {
      if (err instanceof ProsperError) throw new ProsperError(err.code, `[notify] urls: ${err.message}`, { cause: err });
      throw err;
    }
  });
  const events = new Set<NotifyEventName>();
  for (const name of section.events.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    if (!isEventName(name)) throw new ProsperError('PROSPER_E_NOTIFY_CONFIG', `[notify] events: unknown event "${name}" (known: ${NOTIFY_EVENTS.join(', ')})`);
    events.add(name);
  }
  const secret = section.secret || env.PROSPER_NOTIFY_SECRET || '';
  if (urls.length > 0 && secret.length < MIN_SECRET_LENGTH) {
    throw new ProsperError('PROSPER_E_NOTIFY_CONFIG', `[notify] secret must have at least ${MIN_SECRET_LENGTH} characters when urls is set`);
  }
  if (section.backoffcap < section.backoff) throw new ProsperError('PROSPER_E_NOTIFY_CONFIG', '[notify] backoffcap must not be shorter than backoff');
  return {
    urls, secret, events,
    retries: section.retries,
    backoffMs: section.backoff * 1000,
    backoffCapMs: section.backoffcap * 1000,
    timeoutMs: section.timeout * 1000,
    concurrency: section.concurrency,
    queueMaxBytes: section.queuemaxbytes,
    spoolDir: section.spooldir,
    logSize: section.logsize,
    offlineAfterMs: section.offlineafter * 1000,
    ecLow: BigInt(section.eclow),
  };
}
