import { accruingFee, FiguresFeed, storeFigures, type PayoutSettings } from '../accounting/index.js';
import type { AuthService, LoginGuard } from '../auth/index.js';
import type { Logger } from '../log.js';
import type { PoolMetrics } from '../metrics/index.js';
import type { Store } from '../store/index.js';
import { parseWebConfig } from './config.js';
import { webSessionSecret } from './session-secret.js';
import { LiveState } from './live-state.js';
import { createPayoutWebData } from './payout-data.js';
import type { WebCreditData } from './routes-credit.js';
import type { WebNotifyData } from './routes-notify.js';
import { startWebServer, type WebServer } from './server.js';
import { createStoreWebData, type StoreWebDataOptions } from './store-data.js';

export interface PoolWebOptions {
  /** The `[web]` config section (port 0 means: no web server, as the config schema documents). */
  section: Record<string, unknown>;
  /** Where the kept session key lives when neither `[web] sessionsecret` nor PROSPER_WEB_SECRET gives one. */
  secretDir: string;
  store: Store;
  auth: AuthService;
  /** The pool's login guard, shared with Stratum authorize (absent: the web gets its own). */
  loginGuard?: LoginGuard;
  /** The engine's live state; a fresh empty one when the web runs alone. */
  live?: LiveState;
  metrics?: PoolMetrics;
  log: Logger;
  now?: () => number;
  env?: NodeJS.ProcessEnv;
  /** The pool's history from its tables (see createStoreWebData). */
  history?: StoreWebDataOptions['history'];
  /**
   * The web alone (`prosper-pool web`): take the hashrate figures from the store itself, with this
   * window and interval (`[accounting]`). A pool process feeds its own snapshots instead.
   */
  figures?: { windowSeconds: number; everyMs: number };
  /** The site's blocks, payments and network pages (the pool's database) and the pool's terms. */
  site?: Pick<StoreWebDataOptions, 'siteDb' | 'info'>;
  /** Verifiable accounting: credit roots, proofs and credit keys. */
  credit?: WebCreditData;
  /** Webhooks: the delivery log and users' own URLs. */
  notify?: WebNotifyData;
  /** The payout scheme settings: the admin's PPS reserve panel, users' payout thresholds, payout metrics. */
  payouts?: PayoutSettings;
}

/** How the engine (and `prosper-pool web`) starts the web: config, store adapter, server. */
export async function startPoolWeb(opts: PoolWebOptions): Promise<{ server: WebServer; live: LiveState } | null> {
  const env = opts.env ?? process.env;
  const configured = opts.section.sessionsecret;
  // A non-string secret is left for parseWebConfig to refuse.
  const section = typeof configured === 'string' || configured === undefined
    ? { ...opts.section, sessionsecret: webSessionSecret(configured ?? '', opts.secretDir, env) }
    : opts.section;
  const config = parseWebConfig(section, env);
  if (config.port === 0) {
    opts.log.info('web server disabled ([web] port = 0)');
    return null;
  }
  const now = opts.now ?? Date.now;
  const live = opts.live ?? new LiveState({ now, hashrateWindowSeconds: opts.figures?.windowSeconds });
  const ports = {
    ...createStoreWebData({ store: opts.store, auth: opts.auth, live, now, history: opts.history, hashrateWindowSeconds: opts.figures?.windowSeconds, accruingFeeE8: opts.payouts ? accruingFee(opts.payouts) : null, ...opts.site }),
    credit: opts.credit,
    notify: opts.notify,
    payouts: opts.payouts && createPayoutWebData(opts.store, opts.payouts, opts.metrics),
  };
  const server = await startWebServer({ config, ports, metrics: opts.metrics, now, log: opts.log.child({ area: 'web' }), loginGuard: opts.loginGuard });
  if (opts.figures) {
    // The web alone over the pool's database: the same figures, from the shares the pool stores.
    const figures = new FiguresFeed({
      accountant: storeFigures(opts.store, now),
      windowSeconds: opts.figures.windowSeconds, everyMs: opts.figures.everyMs,
      logger: opts.log.child({ module: 'figures' }), now,
    });
    figures.onHistory((rates) => live.recordHistory(rates));
    figures.onSample((rates) => live.recordShareWindow({ accepted: 0, rejected: 0, rates }));
    await figures.start();
    const close = server.close.bind(server);
    server.close = () => {
      figures.stop();
      close();
    };
  }
  return { server, live };
}
