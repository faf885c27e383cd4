import { hostname } from 'node:os';
import { clusterNames, NatsLink, type ClusterNames } from '../cluster/index.js';
import type { PoolConfig } from '../config/index.js';
import { ProsperError } from '../errors.js';
import type { EngineContext } from './context.js';

/** The NATS servers of `[cluster] nats`: comma-separated URLs. */
export function natsServers(c: PoolConfig): string[] {
  const servers = c.cluster.nats.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (servers.length === 0) throw new ProsperError('PROSPER_E_CONFIG', `[cluster] nats names no server; a ${c.cluster.role} needs NATS (e.g. "nats://127.0.0.1:4222")`);
  return servers;
}

/** `[cluster] edgeid`, or the host name made into a subject token. */
export function edgeIdOf(c: PoolConfig): string {
  if (c.cluster.edgeid !== '') return c.cluster.edgeid;
  return hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64) || 'edge';
}

/** Opens the role's NATS link (it keeps retrying in the background) and closes it last. */
export function openClusterLink(ctx: EngineContext, name: string): { link: NatsLink; names: ClusterNames } {
  const c = ctx.config;
  const link = new NatsLink({ servers: natsServers(c), name, log: ctx.logger.child({ module: 'nats' }) });
  ctx.onStop('nats link', () => link.close());
  return { link, names: clusterNames(c.cluster.prefix) };
}
