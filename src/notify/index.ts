export { MIN_SECRET_LENGTH, NOTIFY_EVENTS, USER_EVENTS, parseNotifySettings, type NotifyEventName, type NotifySettings } from './config.js';
export type { DeliveryAttempt } from './delivery-log.js';
export { Notifier, webhookJson, type WebhookEnvelope } from './notifier.js';
export { DEFAULT_REPLAY_WINDOW_SECONDS, EVENT_HEADER, EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook, verifyWebhook } from './sign.js';
export { startNotifications } from './start.js';
export { displayUrl, parseWebhookUrl } from './url.js';
export { notifyWebData } from './web-data.js';
