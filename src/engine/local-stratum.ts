import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { LxrTable } from '../lxr/index.js';
import type { PoolMetrics } from '../metrics/index.js';
import { expandPath, type PoolConfig } from '../config/index.js';
import { ProsperError } from '../errors.js';
import { StratumServer, type ShareSink, type StratumAuthorizer, type StratumConfigInput } from '../stratum/index.js';
import { loadTlsFiles, trustList, type ProxyMode, type StratumServerConfig } from '../stratum/index.js';
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
): Promise<{ validator: ShareValidatorEngine; stratum: StratumServer; port: number; tlsPort?: number }> {
  const { config: c, logger, clock } = ctx;
  // First: bad TLS files or proxy settings stop the start before any worker thread exists.
  const stratumConfig = stratumConfigOf(c);
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
    stratumConfig,
    {
      validator: o.latency ? timedValidator(validator, o.latency) : validator,
      authorizer: o.authorizer, sink: o.sink, logger: logger.child({ module: 'stratum' }), clock, randomBytes: (n) => randomBytes(n),
    },
  );
  const { port, tlsPort } = await stratum.listen(ctx.stratumListeners);
  ctx.onStop('stratum', () => stratum.close());
  return { validator, stratum, port, tlsPort };
}

/**
 * The Stratum server's settings from `[stratum]` (the rest keep the server's defaults). Reads
 * the TLS files, so a missing or bad certificate is a coded error before anything listens.
 */
export function stratumConfigOf(c: PoolConfig): StratumConfigInput {
  const s = c.stratum;
  return {
    ...stratumListenersOf(c), welcomeMessage: s.welcomemessage, staleGraceMs: s.stalegrace * 1000,
    maxConnections: s.maxconnections, maxConnectionsPerIp: s.maxconnectionsperip,
    vardiff: { enabled: s.vardiff, shareSeconds: s.sharetime },
  };
}

/** Where and how the Stratum server listens: address, ports, TLS files, PROXY header policy. */
export function stratumListenersOf(c: PoolConfig): StratumConfigInput {
  const s = c.stratum;
  const base: StratumConfigInput = { host: s.host, port: s.stratumport, proxyProtocol: s.proxyprotocol as ProxyMode, trustedProxies: trustedProxiesOf(s) };
  const tls = tlsOf(s);
  return tls ? { ...base, tls } : base;
}

function trustedProxiesOf(s: PoolConfig['stratum']): string[] {
  const list = s.trustedproxies.split(',').map((x) => x.trim()).filter((x) => x !== '');
  trustList(list);
  if (s.proxyprotocol !== 'off' && list.length === 0) {
    throw new ProsperError('PROSPER_E_CONFIG', `[stratum] proxyprotocol = "${s.proxyprotocol}" needs [stratum] trustedproxies (the proxies' addresses)`);
  }
  return list;
}

function tlsOf(s: PoolConfig['stratum']): StratumServerConfig['tls'] {
  if (s.tlscert === '' && s.tlskey === '') return undefined;
  if (s.tlscert === '' || s.tlskey === '') throw new ProsperError('PROSPER_E_STRATUM_TLS_CERT', '[stratum] tlscert and tlskey must be set together');
  const certFile = expandPath(s.tlscert);
  const keyFile = expandPath(s.tlskey);
  const { pair } = loadTlsFiles(certFile, keyFile);
  return { port: s.tlsport, ...pair, certFile, keyFile };
}
