import { ProsperError } from '../errors.js';
import type { RouteTable, WebContext } from './context.js';
import { requireAdmin, requireCsrf, requireJson, requireUser } from './guards.js';
import { jsonReply } from './http.js';
import { intParam, parseJsonObject } from './validate.js';

/** One delivery attempt to one endpoint, as the admin page lists it (kept by notify/delivery-log.ts). */
export interface WebDeliveryAttempt {
  /** Wall-clock ms. */
  at: number;
  eventId: string;
  event: string;
  /** The endpoint without its query string. */
  url: string;
  /** Whose webhook: a user id, or null for the operator's URLs. */
  userId: string | null;
  attempt: number;
  outcome: 'sent' | 'failed' | 'dropped';
  /** The endpoint's HTTP status, when it answered. */
  status: number | null;
  error: string | null;
  ms: number;
}

/** Webhooks as the web sees them: the delivery log, and each user's own webhook. */
export interface WebNotifyData {
  recent(limit: number): WebDeliveryAttempt[];
  readonly queued: number;
  /** The events a user's own webhook receives. */
  readonly userEvents: readonly string[];
  userWebhook(userId: bigint): Promise<{ url: string } | null>;
  /** Checks and stores the URL with a fresh secret, which is returned (shown once); null removes. */
  setUserWebhook(userId: bigint, url: string | null): Promise<{ url: string; secret: string } | null>;
}

export const MAX_DELIVERY_LOG_ROWS = 1000;
export const NOTIFY_ADMIN_ROUTES = ['GET /api/admin/webhooks'] as const;

/** The webhook APIs: the delivery log for admins, and a user's own webhook URL. */
export function notifyRoutes(ctx: WebContext, routes: RouteTable): void {
  const notify = ctx.ports.notify;
  if (!notify) return;
  const { accounts } = ctx.ports;

  routes.set('GET /api/admin/webhooks', async (req) => {
    await requireAdmin(req, ctx.sessions, accounts);
    const limit = intParam(req.query.get('limit'), 'limit', 100, MAX_DELIVERY_LOG_ROWS);
    return jsonReply(200, { queued: notify.queued, deliveries: notify.recent(limit) });
  });

  routes.set('GET /api/me/webhook', async (req) => {
    const { user } = await requireUser(req, ctx.sessions, accounts);
    const hook = await notify.userWebhook(user.id);
    return jsonReply(200, { url: hook?.url ?? null, events: notify.userEvents });
  });

  routes.set('POST /api/me/webhook', async (req) => {
    const caller = await requireUser(req, ctx.sessions, accounts);
    requireCsrf(req, caller);
    requireJson(req);
    const url = parseJsonObject(req.body).url;
    if (url !== null && typeof url !== 'string') throw new ProsperError('PROSPER_E_WEB_PARAM', 'url must be a string, or null to remove the webhook');
    const set = await notify.setUserWebhook(caller.user.id, url === '' ? null : url);
    ctx.log.info({ email: caller.user.email, removed: set === null }, 'user webhook set');
    // The secret is in this reply only: the user keeps it to verify the signatures.
    return jsonReply(200, set ? { url: set.url, secret: set.secret, events: notify.userEvents } : { url: null, secret: null, events: notify.userEvents });
  });
}
