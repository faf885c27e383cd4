import { logFields, ProsperError } from '../errors.js';
import { randomFactoidKey } from '../factom/index.js';
import type { PoolConfig } from '../config/index.js';
import type { Devnet } from '../devnet/index.js';
import type { Logger } from '../log.js';
import type { AuthService } from '../auth/index.js';
import type { Store } from '../store/index.js';
import type { InheritedListeners, StratumServer } from '../stratum/index.js';
import type { ShareValidatorEngine } from '../validation/index.js';
import type { BlockHandler, ShareRouter } from '../pool/index.js';
import type { Notifier } from '../notify/index.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { EngineContext } from './context.js';
import { startCoordinator, type Coordinator } from './coordinator.js';
import { startEdge, type Edge } from './edge.js';
import type { FiguresFeed } from '../accounting/index.js';
import { startLocalStratum } from './local-stratum.js';
import { startPoolCore, type PoolCore } from './pool-core.js';
import { startPoolOutputs } from './pool-outputs.js';

export interface EngineOptions {
  config: PoolConfig;
  logger: Logger;
  /** The process's time (default: the system clock); tests pass a ManualClock. */
  clock?: Clock;
  /** Make and print an invite code when the embedded pool has no user (default true; `--demo` registers its own). */
  firstInvite?: boolean;
  /** The listening Stratum sockets handed over at a restart in place (see handover.ts). */
  stratumListeners?: InheritedListeners;
}

export type EngineRole = 'standalone' | 'coordinator' | 'edge';

export interface EngineInfo {
  role: EngineRole;
  factomdUrl: string | undefined;
  embeddedDevnet: boolean;
  /** The Stratum port (standalone and edge). */
  stratumPort: number | undefined;
  /** The Stratum over TLS port, when [stratum] tlscert and tlskey are set. */
  stratumTlsPort?: number;
  webPort: number | undefined;
  lxrBits: number;
  database: 'postgres' | 'pglite' | undefined;
  edgeId?: string;
  /** The invite code made at start when the embedded pool had no users (see firstInvite). */
  inviteCode?: string;
}

type Closer = { name: string; close: () => Promise<void> | void };

/**
 * Builds a pool process from config and runs it, in one of three roles made of the same parts:
 * standalone (everything), coordinator (the pool core, with Stratum on edges over NATS) and edge
 * (Stratum and validation, relaying to the coordinator). Stops in reverse order of start.
 */
export class PoolEngine {
  private readonly closers: Closer[] = [];
  private stopped = false;
  info!: EngineInfo;
  private core: PoolCore | undefined;
  private local: { stratum: StratumServer; validator: ShareValidatorEngine } | undefined;
  coordinator: Coordinator | undefined;
  edge: Edge | undefined;
  /** The hashrate figures every surface shows (standalone and coordinator). */
  figures: FiguresFeed | undefined;

  private constructor(private readonly o: EngineOptions) {}

  static async start(o: EngineOptions): Promise<PoolEngine> {
    const engine = new PoolEngine(o);
    try {
      await engine.build();
    } catch (err) {
      await engine.stop();
      throw err;
    }
    return engine;
  }

  private need<T>(part: T | undefined, what: string): T {
    if (part === undefined) throw new ProsperError('PROSPER_E_ENGINE_ROLE', `a ${this.info?.role ?? 'starting'} pool process has no ${what}`);
    return part;
  }

  get store(): Store {
    return this.need(this.core, 'store').store;
  }
  get auth(): AuthService {
    return this.need(this.core, 'user store').auth;
  }
  get handler(): BlockHandler {
    return this.need(this.core, 'block handler').handler;
  }
  get router(): ShareRouter {
    return this.need(this.core, 'share router').router;
  }
  get notifier(): Notifier {
    return this.need(this.core, 'notifier').notifier;
  }
  get devnet(): Devnet | undefined {
    return this.core?.devnet;
  }
  get stratum(): StratumServer {
    return this.need(this.local, 'Stratum server').stratum;
  }
  /** The Stratum server, if this role runs one (a coordinator does not). */
  get stratumIfAny(): StratumServer | undefined {
    return this.local?.stratum;
  }
  get validator(): ShareValidatorEngine {
    return this.need(this.local, 'validation engine').validator;
  }

  private context(): EngineContext {
    return {
      config: this.o.config,
      logger: this.o.logger,
      clock: this.o.clock ?? systemClock,
      onStop: (name, close) => void this.closers.push({ name, close }),
      stratumListeners: this.o.stratumListeners,
    };
  }

  private async build(): Promise<void> {
    const ctx = this.context();
    const role = ctx.config.cluster.role as EngineRole;
    if (role === 'edge') {
      const edge = await startEdge(ctx);
      this.edge = edge;
      this.local = edge;
      this.info = { role, factomdUrl: undefined, embeddedDevnet: false, stratumPort: edge.stratumPort, stratumTlsPort: edge.stratumTlsPort, webPort: edge.metricsPort, lxrBits: edge.lxrBits, database: undefined, edgeId: edge.edgeId };
      this.o.logger.info(this.info, 'edge running');
      return;
    }
    if (role === 'coordinator') {
      const coordinator = await startCoordinator(ctx);
      this.coordinator = coordinator;
      this.core = coordinator.core;
      const { webPort, figures } = await startPoolOutputs(ctx, coordinator.core, coordinator.activity);
      this.figures = figures;
      this.info = this.coreInfo(role, coordinator.core, undefined, webPort);
      coordinator.core.start();
      this.o.logger.info(this.info, 'coordinator running');
      if (this.wantsFirstInvite(coordinator.core)) await this.firstInvite();
      return;
    }
    // Standalone: the core's jobs go straight to the local Stratum server, its shares to the router.
    const core = await startPoolCore(ctx);
    this.core = core;
    const local = await startLocalStratum(ctx, { table: core.table, sink: core.router, authorizer: core.authorizer, latency: core.metrics.validationLatency });
    this.local = local;
    core.bus.on('JobOpened', ({ job, submitThreshold }) => void local.stratum.setJob({ jobId: job.jobId, oprHash: job.oprHash, submitThreshold }));
    core.bus.on('MiningStopped', () => void local.stratum.stopMining());
    const { webPort, figures } = await startPoolOutputs(ctx, core, { stratum: local.stratum, validator: local.validator, sessions: local.stratum });
    this.figures = figures;
    this.info = { ...this.coreInfo(role, core, local.port, webPort), stratumTlsPort: local.tlsPort };
    core.start();
    this.o.logger.info(this.info, 'pool running');
    if (this.wantsFirstInvite(core)) await this.firstInvite();
  }

  private coreInfo(role: EngineRole, core: PoolCore, stratumPort: number | undefined, webPort: number | undefined): EngineInfo {
    return { role, factomdUrl: core.factomdUrl, embeddedDevnet: core.embedded, stratumPort, webPort, lxrBits: core.lxrBits, database: core.backend };
  }

  private wantsFirstInvite(core: PoolCore): boolean {
    return core.embedded && this.o.config.stratum.requireauth && this.o.firstInvite !== false;
  }

  /**
   * The embedded pool's database (PGlite) cannot be opened by `prosper-pool db` while the pool
   * runs, so with no users yet the pool hands out an invite code itself (the one an earlier start
   * made, if still unused: restarts do not pile up codes) and prints the exact command that
   * registers a miner with it, paying to a fresh devnet address whose secret it logs beside it.
   */
  private async firstInvite(): Promise<void> {
    if ((await this.auth.listUsers()).length > 0) return;
    const unused = (await this.store.listInviteCodes()).find((c) => c.claimedBy === null);
    const code = unused?.code ?? (await this.auth.createInviteCodes(1))[0]!;
    const payout = randomFactoidKey();
    this.info.inviteCode = code;
    this.o.logger.info(
      { inviteCode: code, payoutAddress: payout.address, payoutSecret: payout.secret },
      `no users yet; from the repository folder, register the first miner with:  ${this.minerCommand(code, payout.address)}`,
    );
  }

  /**
   * The prosper-miner command line for this pool, as run from the repository (npx finds the
   * package's own bin). With an invite code it registers a user paid at `payoutAddress`.
   */
  minerCommand(inviteCode?: string, payoutAddress = 'FA...'): string {
    const host = ['0.0.0.0', '::', ''].includes(this.o.config.stratum.host) ? '127.0.0.1' : this.o.config.stratum.host;
    const bits = this.info.lxrBits === 30 ? '' : ` --bits ${this.info.lxrBits}`;
    const register = inviteCode ? ` -i ${inviteCode} -a ${payoutAddress} -p` : ' -m rig1';
    // A coordinator has no Stratum port: miners go to an edge.
    const pool = this.info.role === 'coordinator' ? `EDGE-HOST:${this.o.config.stratum.stratumport}` : `${host}:${this.info.stratumPort ?? this.o.config.stratum.stratumport}`;
    return `npx prosper-miner -s ${pool} -u you@example.com${register}${bits}`;
  }

  /** Stops accepting, flushes credit, closes sockets and the store, in reverse order of start. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const c of this.closers.reverse()) {
      try {
        await c.close();
      } catch (err) {
        this.o.logger.warn({ module: c.name, ...logFields(err) }, 'error while stopping');
      }
    }
  }
}
