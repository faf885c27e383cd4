import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PoolMetrics } from '../metrics/index.js';
import { metricsAuthorized } from '../web/index.js';
import type { EngineContext } from './context.js';
import { MetricsFeed, type MetricsFeedOptions } from '../metrics/metrics-feed.js';

/**
 * An edge's own /metrics on `[web] port` (an edge has no web UI: the coordinator's shows the
 * pool): its sessions, shares by result, validation queue, latency and utilisation, and the
 * process series, so each edge can be scraped where it runs. Returns the port, or undefined
 * when `[web] port` is 0.
 */
export async function startEdgeMetrics(ctx: EngineContext, metrics: PoolMetrics, activity: Pick<MetricsFeedOptions, 'stratum' | 'validator'>): Promise<number | undefined> {
  const { web } = ctx.config;
  if (web.port === 0) return undefined;
  const feed = new MetricsFeed({ metrics, ...activity });
  feed.start();
  ctx.onStop('edge metrics feed', () => feed.stop());
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('only /metrics is served by an edge\n');
      return;
    }
    if (!metricsAuthorized(req.headers.authorization, web.metricstoken)) {
      res.writeHead(401, { 'Content-Type': 'text/plain' }).end('metrics need the bearer token\n');
      return;
    }
    void feed.sample().then(() => metrics.render()).then(
      (text) => res.writeHead(200, { 'Content-Type': metrics.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  // Scrapers do not hold connections long; an edge is not a web server for the public.
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(web.port, web.host, () => resolve());
  });
  ctx.onStop('edge metrics', () => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}
