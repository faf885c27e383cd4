import { randomBytes } from 'node:crypto';
import type { NotifyStore } from '../store/index.js';
import type { WebNotifyData } from '../web/index.js';
import { USER_EVENTS } from './config.js';
import type { Notifier } from './notifier.js';
import { parseWebhookUrl } from './url.js';

/** Bytes of a user's webhook secret (64 hex characters). */
export const USER_SECRET_BYTES = 32;

/** The web's view of webhooks: the notifier's delivery log, users' URLs in the store. */
export function notifyWebData(notifier: Notifier, store: Pick<NotifyStore, 'userWebhook' | 'setUserWebhook'>, now: () => number): WebNotifyData {
  return {
    recent: (limit) => notifier.recent(limit),
    get queued() {
      return notifier.queued;
    },
    userEvents: USER_EVENTS,
    async userWebhook(userId) {
      const hook = await store.userWebhook(userId);
      return hook ? { url: hook.url } : null;
    },
    async setUserWebhook(userId, url) {
      if (url === null) {
        await store.setUserWebhook(userId, null, new Date(now()));
        return null;
      }
      const hook = { url: parseWebhookUrl(url), secret: randomBytes(USER_SECRET_BYTES).toString('hex') };
      await store.setUserWebhook(userId, hook, new Date(now()));
      return hook;
    },
  };
}
