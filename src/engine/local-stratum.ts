import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { LxrTable } from '../lxr/index.js';
import type { PoolMetrics } from '../metrics/index.js';
import type { PoolConfig } from '../config/index.js';
import { StratumServer, type ShareSink, type StratumAuthorizer, type StratumConfigInput } from '../stratum/index.js';
import { createShareValidator, type ShareValidatorEngine } from '../validation/index.js';
import type { EngineContext } from './context.js';
import { timedValidator } from '../metrics/metrics-feed.js';

/**
 * The miners' side of a pool process (standalone or edge): the validation engine on worker
 * threads sharing the table, and the Stratum server that owns the sockets. Where accepted
 * shares go (`sink`) and who authorizes miners differ by role.
 */
export async function startLocalStratum(
  ctx: EngineContext,
  o: { table: LxrTable; sink: ShareSink; authorizer: StratumAuthorizer; latency?: PoolMetrics['validationLatency'] },
): Promise<{ validator: ShareValidatorEngine; stratum: StratumServer; port: number }> {
  const { config: c, logger, clock } = ctx;
  const validator = createShareValidator({
    table: o.table,
    softmax: c.submit.softmax,
    workers: c.validation.workers || Math.max(1, availableParallelism() - 1),
    kernel: c.validation.kernel,
    batchSize: c.validation.batchsize,
    batchDelayMs: c.validation.batchdelay,
    maxPending: c.validation.maxpending,
    sampleOneIn: c.stratum.validateallshares ? 1 : c.validation.sampling,
    logger: logger.child({ module: 'validation' }),
  });
  ctx.onStop('validation', () => validator.close());
  const stratum = new StratumServer(
    stratumConfigOf(c),
    {
      validator: o.latency ? timedValidator(validator, o.latency) : validator,
      authorizer: o.authorizer, sink: o.sink, logger: logger.child({ module: 'stratum' }), clock, randomBytes: (n) => randomBytes(n),
    },
  );
  const { port } = await stratum.listen(ctx.stratumListener);
  ctx.onStop('stratum', () => stratum.close());
  return { validator, stratum, port };
}

/** The Stratum server's settings from `[stratum]` (the rest keep the server's defaults). */
export function stratumConfigOf(c: PoolConfig): StratumConfigInput {
  const s = c.stratum;
  return {
    host: s.host, port: s.stratumport, welcomeMessage: s.welcomemessage, staleGraceMs: s.stalegrace * 1000,
    maxConnections: s.maxconnections, maxConnectionsPerIp: s.maxconnectionsperip,
    vardiff: { enabled: s.vardiff, shareSeconds: s.sharetime },
  };
}
