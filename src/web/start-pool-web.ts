import type { AuthService } from '../auth/index.js';
import type { Logger } from '../log.js';
import type { PoolMetrics } from '../metrics/index.js';
import type { Store } from '../store/index.js';
import { parseWebConfig } from './config.js';
import { MemoryWebData } from './memory-data.js';
import type { WebCreditData } from './routes-credit.js';
import { startWebServer, type WebServer } from './server.js';
import { createStoreWebData, type StoreWebDataOptions } from './store-data.js';

export interface PoolWebOptions {
  /** The `[web]` config section (port 0 means: no web server, as the config schema documents). */
  section: Record<string, unknown>;
  store: Store;
  auth: AuthService;
  /** The engine's live state; a fresh empty one when the web runs alone. */
  live?: MemoryWebData;
  metrics?: PoolMetrics;
  log: Logger;
  now?: () => number;
  env?: NodeJS.ProcessEnv;
  /** The pool's history from its tables (see createStoreWebData). */
  history?: StoreWebDataOptions['history'];
  /** Verifiable accounting: credit roots, proofs and credit keys. */
  credit?: WebCreditData;
}

/** How the engine (and `prosper-pool web`) starts the web: config, store adapter, server. */
export async function startPoolWeb(opts: PoolWebOptions): Promise<{ server: WebServer; live: MemoryWebData } | null> {
  const config = parseWebConfig(opts.section, opts.env);
  if (config.port === 0) {
    opts.log.info('web server disabled ([web] port = 0)');
    return null;
  }
  const now = opts.now ?? Date.now;
  const live = opts.live ?? new MemoryWebData({ now });
  const ports = { ...createStoreWebData({ store: opts.store, auth: opts.auth, live, now, history: opts.history }), credit: opts.credit };
  const server = await startWebServer({ config, ports, metrics: opts.metrics, now, log: opts.log.child({ area: 'web' }) });
  return { server, live };
}
