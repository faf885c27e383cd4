import { randomBytes as nodeRandomBytes, timingSafeEqual } from 'node:crypto';
import uWS from 'uWebSockets.js';
import type { HttpRequest, HttpResponse, us_listen_socket } from 'uWebSockets.js';
import { LoginGuard } from '../auth/index.js';
import { isProsperError, ProsperError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { createPoolMetrics, type PoolMetrics } from '../metrics/index.js';
import type { WebConfig } from './config.js';
import type { RouteTable, WebContext } from './context.js';
import { htmlErrorReply, wantsHtmlPage } from './error-page.js';
import { errorReply, readBody, readRequestHead, sendReply, type WebReply, type WebRequest } from './http.js';
import { jsonRpcRoutes } from './json-rpc.js';
import { attachLiveFeed } from './live-feed.js';
import type { WebPorts } from './ports.js';
import { accountRoutes } from './routes-account.js';
import { adminRoutes } from './routes-admin.js';
import { notifyRoutes } from './routes-notify.js';
import { payoutRoutes } from './routes-payouts.js';
import { creditRoute, CREDIT_ROUTE_LABEL, identityRoute } from './routes-credit.js';
import { BLOCK_ROUTE_LABEL, pagePrefixRoute, pageRoutes } from './routes-pages.js';
import { poolRoutes } from './routes-pool.js';
import { minerRoute, MINER_ROUTE_LABEL, siteRoutes } from './routes-site.js';
import { SessionStore } from './sessions.js';
import { defaultAssetsDir, StaticAssets } from './static-assets.js';

/** Request bodies are small JSON objects. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface WebServerOptions {
  config: WebConfig;
  ports: WebPorts;
  metrics?: PoolMetrics;
  now?: () => number;
  randomBytes?: (n: number) => Buffer;
  log?: Logger;
  /** The pool's guard, shared with Stratum authorize; a web server of its own gets one from its config. */
  loginGuard?: LoginGuard;
}

export interface WebServer {
  readonly port: number;
  /** Every exact route, "METHOD /path" (docs/web.md lists each; prefix routes are matched apart). */
  readonly routes: readonly string[];
  /** Stops listening, closes WebSockets and stops following pool events. */
  close(): void;
}

function routeLabel(routes: RouteTable, key: string): string {
  if (routes.has(key)) return key;
  if (key.startsWith('GET /api/pool/credit/')) return CREDIT_ROUTE_LABEL;
  if (key.startsWith('GET /api/blocks/')) return BLOCK_ROUTE_LABEL;
  return key.startsWith('GET /api/miner/') ? MINER_ROUTE_LABEL : 'other';
}

/** Builds every route and starts listening on config.host:config.port (0 picks a free port). */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? silentLogger();
  const metrics = opts.metrics ?? createPoolMetrics();
  const { config } = opts;
  const ctx: WebContext = {
    ports: opts.ports,
    config,
    metrics,
    now,
    log,
    sessions: new SessionStore({ secret: config.sessionSecret, ttlSeconds: config.sessionTtlSeconds, now, randomBytes: opts.randomBytes ?? nodeRandomBytes }),
    loginGuard: opts.loginGuard ?? new LoginGuard(config.loginLimits, now),
  };
  const assets = new StaticAssets(config.assetsDir ?? defaultAssetsDir());

  const routes: RouteTable = new Map();
  poolRoutes(ctx, routes);
  accountRoutes(ctx, routes);
  adminRoutes(ctx, routes);
  notifyRoutes(ctx, routes);
  payoutRoutes(ctx, routes);
  jsonRpcRoutes(ctx, routes);
  siteRoutes(ctx, routes);
  routes.set('GET /api/pool/identity', () => identityRoute(ctx));

  routes.set('GET /metrics', async (req) => {
    if (!metricsAuthorized(req.headers.get('authorization') ?? undefined, config.metricsToken)) throw new ProsperError('PROSPER_E_WEB_METRICS_AUTH', 'metrics need the bearer token');
    return { status: 200, headers: { 'Content-Type': metrics.contentType }, body: await metrics.render() };
  });
  pageRoutes(ctx, routes, assets);

  const knownPaths = new Set([...routes.keys()].map((k) => k.slice(k.indexOf(' ') + 1)));

  async function dispatch(req: WebRequest): Promise<WebReply> {
    const handler = routes.get(`${req.method} ${req.path}`);
    if (handler) return handler(req);
    const credit = await creditRoute(ctx, req);
    if (credit) return credit;
    const miner = (await minerRoute(ctx, req)) ?? (await pagePrefixRoute(ctx, req, assets));
    if (miner) return miner;
    if (req.method === 'GET' && req.path.startsWith('/assets/')) return assets.reply(req.path.slice('/assets/'.length));
    if (knownPaths.has(req.path)) throw new ProsperError('PROSPER_E_WEB_METHOD', `${req.method} is not allowed on ${req.path}`);
    throw new ProsperError('PROSPER_E_WEB_NOT_FOUND', 'no such page or API');
  }

  const app = uWS.App();
  const stopFeed = attachLiveFeed(app, ctx);

  app.any('/*', (res: HttpResponse, req: HttpRequest) => {
    const state = { aborted: false };
    res.onAborted(() => {
      state.aborted = true;
    });
    const head = readRequestHead(res, req, config.trustProxy);
    const hasBody = head.method !== 'GET' && head.method !== 'HEAD';
    const bodyPromise = hasBody ? readBody(res, MAX_BODY_BYTES) : Promise.resolve(Buffer.alloc(0));
    void (async () => {
      let reply: WebReply;
      try {
        const body = await bodyPromise;
        if (body === null) throw new ProsperError('PROSPER_E_WEB_BODY_TOO_LARGE', `request body over ${MAX_BODY_BYTES} bytes`);
        reply = await dispatch({ ...head, body });
      } catch (err) {
        if (!isProsperError(err)) log.error({ err, path: head.path }, 'web handler failed');
        const retry = (err as { retryAfter?: number }).retryAfter;
        const headers = retry ? { 'Retry-After': String(retry) } : undefined;
        reply = wantsHtmlPage(head) ? htmlErrorReply(err, head, headers) : errorReply(err, headers);
      }
      metrics.webRequests.inc({ route: routeLabel(routes, `${head.method} ${head.path}`), status: String(reply.status) });
      sendReply(res, state, reply);
    })();
  });

  const listenSocket = await new Promise<us_listen_socket>((resolve, reject) => {
    app.listen(config.host, config.port, (s) => {
      if (s) resolve(s);
      else reject(new ProsperError('PROSPER_E_WEB_LISTEN', `cannot listen on ${config.host}:${config.port}`));
    });
  });
  const port = uWS.us_socket_local_port(listenSocket);
  log.info({ host: config.host, port }, 'web server listening');

  return {
    port,
    routes: [...routes.keys()],
    close() {
      stopFeed();
      uWS.us_listen_socket_close(listenSocket);
      // uWS keeps established connections (keep-alive, WebSockets) open after the listen socket closes.
      (app as unknown as { close?: () => void }).close?.();
    },
  };
}

/** `[web] metricstoken`: without one /metrics is open; with one it needs `Authorization: Bearer <token>` (compared in constant time). */
export function metricsAuthorized(authorization: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const given = Buffer.from(authorization ?? '');
  const want = Buffer.from(`Bearer ${token}`);
  return given.length === want.length && timingSafeEqual(given, want);
}
