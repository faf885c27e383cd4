import type { HttpRequest, HttpResponse, TemplatedApp, us_socket_context_t } from 'uWebSockets.js';
import type { WebContext } from './context.js';
import { findCaller, requireSameOrigin } from './guards.js';
import { errorReply, readRequestHead, sendReply } from './http.js';
import { idleHashrate } from '../accounting/index.js';
import type { HashrateFigure, PoolEvent } from './ports.js';
import type { WireUserId } from '../domain/index.js';

export const POOL_TOPIC = 'pool';
/** A signed-in user's topic, named by the id as live events carry it (decimal text). */
export const userTopic = (userId: WireUserId) => `user:${userId}`;

interface LiveSocketData {
  userId: WireUserId | null;
}

/**
 * GET /ws: a WebSocket of pool events as JSON lines. Everyone gets `job`, `block` and the
 * pool's share rates; a logged-in user also gets the hashrate of their own miners (topic
 * user:<id>); other users' miners are never sent. The client only listens.
 */
export function attachLiveFeed(app: TemplatedApp, ctx: WebContext): () => void {
  app.ws<LiveSocketData>('/ws', {
    maxPayloadLength: 1024,
    idleTimeout: 120,
    sendPingsAutomatically: true,
    maxBackpressure: 256 * 1024,
    upgrade: (res: HttpResponse, req: HttpRequest, context: us_socket_context_t) => {
      const head = readRequestHead(res, req, ctx.config.trustProxy);
      const key = req.getHeader('sec-websocket-key');
      const protocol = req.getHeader('sec-websocket-protocol');
      const extensions = req.getHeader('sec-websocket-extensions');
      const state = { aborted: false };
      res.onAborted(() => {
        state.aborted = true;
      });
      void (async () => {
        try {
          // Cross-site WebSocket hijacking: a page elsewhere could open this with our cookie.
          requireSameOrigin({ ...head, body: Buffer.alloc(0) });
          const caller = await findCaller({ ...head, body: Buffer.alloc(0) }, ctx.sessions, ctx.ports.accounts);
          if (state.aborted) return;
          res.cork(() => res.upgrade<LiveSocketData>({ userId: caller ? caller.user.id.toString() : null }, key, protocol, extensions, context));
        } catch (err) {
          sendReply(res, state, errorReply(err));
        }
      })();
    },
    open: (ws) => {
      ws.subscribe(POOL_TOPIC);
      const { userId } = ws.getUserData();
      if (userId !== null) ws.subscribe(userTopic(userId));
      ctx.metrics.webSocketClients.inc();
      ws.send(JSON.stringify({ type: 'hello', loggedIn: userId !== null, at: ctx.now() }));
    },
    message: () => {
      // Listen-only feed: client messages are ignored.
    },
    close: () => {
      ctx.metrics.webSocketClients.dec();
    },
  });

  let mining = new Set<WireUserId>();
  return ctx.ports.events.subscribe((event: PoolEvent) => {
    if (event.type !== 'shares') {
      app.publish(POOL_TOPIC, JSON.stringify(event));
      return;
    }
    const { miners, users, ...pool } = event;
    app.publish(POOL_TOPIC, JSON.stringify(pool));
    const byUser = new Map<WireUserId, { miner: string; hashrate: HashrateFigure }[]>();
    for (const m of miners) {
      const list = byUser.get(m.userId) ?? [];
      list.push({ miner: m.miner, hashrate: m.hashrate });
      byUser.set(m.userId, list);
    }
    for (const u of users) {
      app.publish(userTopic(u.userId), JSON.stringify({ type: 'my-miners', at: event.at, hashrate: u.hashrate, miners: byUser.get(u.userId) ?? [] }));
    }
    // A user whose miners went quiet hears it once (an idle figure), not silence.
    const now = new Set(users.map((u) => u.userId));
    for (const userId of mining) {
      if (!now.has(userId)) app.publish(userTopic(userId), JSON.stringify({ type: 'my-miners', at: event.at, hashrate: idleHashrate(event.hashrate.windowSeconds), miners: [] }));
    }
    mining = now;
  });
}
