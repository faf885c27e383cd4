import type { Logger } from '../log.js';
import type { PoolMetrics } from '../metrics/index.js';
import type { WebConfig } from './config.js';
import type { WebReply, WebRequest } from './http.js';
import type { WebPorts } from './ports.js';
import type { LoginGuard } from '../auth/index.js';
import type { SessionStore } from './sessions.js';

/** What every route handler is given. */
export interface WebContext {
  ports: WebPorts;
  config: WebConfig;
  sessions: SessionStore;
  /** Failed-login counts and password-hash bounds, shared with Stratum authorize in a pool. */
  loginGuard: LoginGuard;
  metrics: PoolMetrics;
  now: () => number;
  log: Logger;
}

export type RouteHandler = (req: WebRequest) => Promise<WebReply>;

/** `METHOD /path` to handler. Paths are exact; there are no patterns to get wrong. */
export type RouteTable = Map<string, RouteHandler>;
