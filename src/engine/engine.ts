import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { createAccountant, createDiskSpool, createShareLedger, parseFeeRate, type ShareLedger } from '../accounting/index.js';
import { createAuthService, type AuthService } from '../auth/index.js';
import { expandPath, type PoolConfig } from '../config/index.js';
import { Devnet } from '../devnet/index.js';
import { CompetitorMiners } from '../devnet/competitors.js';
import { FactomdClient } from '../factom/index.js';
import { JobBuilder } from '../jobs/index.js';
import type { Logger } from '../log.js';
import { createHasher, loadOrCreateTable, mapBitsFromEnv, type LxrTable } from '../lxr/index.js';
import { devnetPrice, PriceOracle, oracleConfigFromSections, withDevnetDefault } from '../oracle/index.js';
import {
  activationsFromFlags, chainsForNetwork, createSqlSyncStore, PegnetSync, workerDifficultyComputer, testingActivations,
  type ActivationHeights,
} from '../pegnet/index.js';
import { createSqlStore, migrate, openDatabase, storeConfigFromDatabaseSection, type Store } from '../store/index.js';
import { resolveStratumConfig, StratumServer, type StratumAuthorizer } from '../stratum/index.js';
import { EntryWriter, MinuteGuard, SubmissionGate, type SubmissionRecord } from '../submit/index.js';
import { createShareValidator, type ShareValidatorEngine } from '../validation/index.js';
import { startPoolWeb } from '../web/start-pool-web.js';
import { createPoolMetrics } from '../metrics/index.js';
import { BlockHandler } from './block-handler.js';
import { WebFeed } from './web-feed.js';
import { createSqlWebHistory } from './web-history-sql.js';
import { MetricsFeed, timedValidator } from './metrics-feed.js';
import { webSessionSecret } from './web-secret.js';
import { createSqlPoolRecords, POOL_RECORDS_SQL } from './records-sql.js';
import { ShareRouter } from './share-router.js';

export interface EngineOptions {
  config: PoolConfig;
  logger: Logger;
  now?: () => number;
}

export interface EngineInfo {
  factomdUrl: string;
  embeddedDevnet: boolean;
  stratumPort: number;
  webPort: number | undefined;
  lxrBits: number;
  database: 'postgres' | 'pglite';
  /** The invite code made at start when the embedded pool had no users (see firstInvite). */
  inviteCode?: string;
}

type Closer = { name: string; close: () => Promise<void> | void };

/**
 * Builds the pool from config and runs it: store, factomd (or an embedded devnet), the
 * LXRHash table and validation engine, users and accounting, prices and jobs, submission,
 * Stratum and the PegNet sync. Stops in reverse order of start.
 */
export class PoolEngine {
  private readonly closers: Closer[] = [];
  private stopped = false;
  info!: EngineInfo;
  store!: Store;
  auth!: AuthService;
  validator!: ShareValidatorEngine;
  stratum!: StratumServer;
  handler!: BlockHandler;
  router!: ShareRouter;
  devnet: Devnet | undefined;
  private table!: LxrTable;

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

  private onStop(name: string, close: Closer['close']): void {
    this.closers.push({ name, close });
  }

  private async build(): Promise<void> {
    const { config: c, logger } = this.o;
    const now = this.o.now ?? Date.now;
    const embedded = c.factom.factomdlocation === '';

    // The database: PostgreSQL when a host is configured, else the embedded PGlite.
    const storeConfig = storeConfigFromDatabaseSection(c.database, c.database.schema);
    const db = await openDatabase(storeConfig);
    this.onStop('database', () => db.close());
    this.store = await createSqlStore(db);
    await migrate(db, [{ version: 1, name: 'submission EMA and entry submissions', sql: POOL_RECORDS_SQL }], 'engine');
    const records = createSqlPoolRecords(db);
    const syncStore = await createSqlSyncStore(db);

    // The network: testing heights on the embedded devnet, whose chains start at 0.
    const activations: ActivationHeights = embedded && !c.pegnet.testing ? testingActivations(0) : activationsFromFlags({ testing: c.pegnet.testing, act: c.pegnet.act });
    const chains = chainsForNetwork(c.pegnet.network);
    const bits = process.env.LXRBITSIZE !== undefined ? mapBitsFromEnv() : embedded ? c.devnet.lxrbits : 30;
    this.table = await loadOrCreateTable({ bits, logger });

    const oracleConfig = oracleConfigFromSections(c);
    let factomdUrl = c.factom.factomdlocation;
    if (embedded) {
      // The simulated competitors quote the same devnet price feed as the pool's oracle (with
      // their own jitter): with unrelated prices the pool's OPRs were always graded out.
      const { seed, stepMs } = oracleConfig.devnet;
      const competitors = new CompetitorMiners({
        price: (asset) => devnetPrice(seed, asset, Math.floor(now() / stepMs)) * 1e8,
        hasher: createHasher(this.table),
        oprChainId: chains.opr,
        activations,
        count: c.devnet.competitors,
        random: Math.random,
        logger: logger.child({ module: 'competitors' }),
      });
      this.devnet = new Devnet({ port: c.devnet.port, blockTimeSeconds: c.devnet.blocktime, dataDir: c.devnet.datadir, contributors: [competitors], logger: logger.child({ module: 'devnet' }) });
      const port = await this.devnet.start();
      this.onStop('devnet', () => this.devnet!.stop());
      factomdUrl = `http://127.0.0.1:${port}/v2`;
    }
    const factomd = new FactomdClient({ url: factomdUrl, timeoutMs: c.factom.timeout * 1000 });

    // Validation engine on worker threads sharing the table.
    this.validator = createShareValidator({
      table: this.table,
      softmax: c.submit.softmax,
      workers: c.validation.workers || Math.max(1, availableParallelism() - 1),
      kernel: c.validation.kernel,
      batchSize: c.validation.batchsize,
      batchDelayMs: c.validation.batchdelay,
      maxPending: c.validation.maxpending,
      sampleOneIn: c.stratum.validateallshares ? 1 : c.validation.sampling,
      logger: logger.child({ module: 'validation' }),
    });
    this.onStop('validation', () => this.validator.close());

    // Users, credit and accounting.
    this.auth = createAuthService({ store: this.store, now, openRegistration: !c.stratum.requireauth });
    const spool = c.accounting.spooldir ? createDiskSpool({ dir: c.accounting.spooldir, maxBytes: c.accounting.spoolmaxbytes, now }) : undefined;
    const ledger: ShareLedger = createShareLedger({ store: this.store, now, spool, flushIntervalMs: c.accounting.flushinterval, log: logger.child({ module: 'ledger' }) });
    this.onStop('share ledger', () => ledger.close());
    // Credit that waited on disk through an outage before the last stop goes in first.
    const replayed = await ledger.replaySpool();
    if (replayed > 0) logger.info({ batches: replayed }, 'replayed spooled share credit');
    const accountant = createAccountant({ store: this.store, ledger, feeRateE8: parseFeeRate(c.pool.poolfeerate), now, shareRetentionMs: c.accounting.shareretention * 1000, log: logger.child({ module: 'accounting' }) });
    const pruner = setInterval(() => {
      accountant.prune().catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'pruning shares failed'));
    }, 3600_000);
    pruner.unref();
    this.onStop('share pruning', () => clearInterval(pruner));

    // Prices and jobs.
    const metrics = createPoolMetrics({ processMetrics: true });
    const oracle = new PriceOracle(embedded ? withDevnetDefault(oracleConfig) : oracleConfig, {
      now, logger: logger.child({ module: 'oracle' }), versions: [5], onSourceError: (source) => metrics.datasourceErrors.inc({ source }),
    });
    const builder = new JobBuilder({ prices: oracle, identity: c.pool.opridentity, coinbase: c.pool.oprcoinbase, activations, logger: logger.child({ module: 'jobs' }), now });

    // Submission.
    const minuteGuard = c.submit.minuteguard ? new MinuteGuard() : undefined;
    const gate = new SubmissionGate({ emaN: c.submit['ema-n'], cutoff: c.submit.submissioncutoff, minuteGuard, initialEma: await records.lastEma() });
    // Every submission is recorded in the store, and shown on the web once it is up.
    let feed: WebFeed | undefined;
    let metricsFeed: MetricsFeed | undefined;
    const submissionLog = {
      record: async (r: SubmissionRecord) => {
        await records.record(r);
        metricsFeed?.onSubmission(r);
        const job = this.handler?.jobOf(r.jobId);
        if (job) feed?.onSubmission(r, job.oprHash);
      },
    };
    const writer = new EntryWriter({ client: factomd, esAddress: c.pool.esaddress, log: submissionLog, logger: logger.child({ module: 'submit' }), ecWarn: c.pool.ecwarn });
    this.onStop('entry writer', () => writer.drain());
    if (minuteGuard) {
      const poll = setInterval(() => {
        factomd.currentMinute().then((m) => minuteGuard.onReading(m), () => minuteGuard.onError());
      }, 2000);
      poll.unref();
      this.onStop('minute guard', () => clearInterval(poll));
    }

    // Jobs and settlement. Registered before Stratum so that, stopping in reverse order, Stratum
    // is closed (no more late shares) before the jobs waiting out their stale window settle.
    const staleGraceMs = resolveStratumConfig({}).staleGraceMs;
    this.handler = new BlockHandler({
      gate, records, accountant, builder,
      stratum: { setJob: (j) => this.stratum.setJob(j), stopMining: () => this.stratum.stopMining() },
      emaN: c.submit['ema-n'], cutoff: c.submit.submissioncutoff, retryMs: c.pegnet.retryperiod * 1000,
      settleDelayMs: staleGraceMs + 2000,
      logger: logger.child({ module: 'blocks' }), now,
    });
    this.onStop('block handler', () => this.handler.stop());
    // Work credited by an earlier run whose job was never settled (a stop inside a stale window).
    await this.handler.settleOutstanding();

    // Stratum.
    const authorizer: StratumAuthorizer = {
      authorize: async (req) => {
        const r = await this.auth.authorizeMiner({ username: req.username, minerId: req.minerId, password: req.password, inviteCode: req.inviteCode, payoutAddress: req.payoutAddress });
        return r.ok ? { ok: true, userId: r.userId.toString() } : { ok: false, reason: r.reason };
      },
    };
    this.router = new ShareRouter({ ledger, gate, writer, jobOf: (id) => this.handler.jobOf(id),
      priorSubmissions: (id) => this.handler.priorSubmissions(id), cutoff: c.submit.submissioncutoff, oprChainId: Buffer.from(chains.opr, 'hex'), logger: logger.child({ module: 'router' }) });
    this.onStop('share router', () => this.router.drain());
    this.stratum = new StratumServer(
      { host: c.stratum.host, port: c.stratum.stratumport, welcomeMessage: c.stratum.welcomemessage },
      { validator: timedValidator(this.validator, metrics.validationLatency), authorizer, sink: this.router, logger: logger.child({ module: 'stratum' }), now, randomBytes: (n) => randomBytes(n) },
    );
    const { port: stratumPort } = await this.stratum.listen();
    this.onStop('stratum', () => this.stratum.close());


    // PegNet sync drives everything above. Grading hashes on its own worker thread so a block
    // (or a long catch-up) never holds the main thread.
    const gradingComputer = workerDifficultyComputer(this.table, { threads: 1, kernel: c.validation.kernel });
    this.onStop('grading worker', () => gradingComputer.close());
    const sync = new PegnetSync({
      factomd,
      store: syncStore,
      computer: gradingComputer,
      activations,
      oprChainId: chains.opr,
      pool: { identity: c.pool.opridentity, coinbase: c.pool.oprcoinbase },
      logger: logger.child({ module: 'sync' }),
      pollMs: c.pegnet.pollingperiod * 1000,
      retryMs: c.pegnet.retryperiod * 1000,
      now,
      onBlock: async (e) => {
        await this.handler.onBlock(e);
        metricsFeed?.onBlock(e);
        feed?.onBlock(e, gate.threshold());
      },
    });
    sync.start();
    this.onStop('pegnet sync', () => sync.stop());

    // Web UI, API, live feed and /metrics.
    metricsFeed = new MetricsFeed({
      metrics, stratum: this.stratum, validator: this.validator, ecBalance: () => writer.ecBalance(),
      factomdHeight: async () => (await factomd.heights()).directoryBlockHeight,
    });
    metricsFeed.start();
    const mf = metricsFeed;
    this.onStop('metrics', () => mf.stop());
    const web = await startPoolWeb({
      section: { ...c.web, assetsdir: c.web.assetsdir || undefined, sessionsecret: webSessionSecret(c.web.sessionsecret, expandPath('$HOME/.prosper')) },
      store: this.store,
      auth: this.auth,
      metrics,
      log: logger,
      now,
      history: createSqlWebHistory(db),
    });
    if (web) {
      this.onStop('web', () => web.server.close());
      const live = web.live;
      feed = new WebFeed({ live, accountant, stratum: this.stratum, feeRate: c.pool.poolfeerate, ecBalance: () => writer.ecBalance(), minuteGuard, logger: logger.child({ module: 'web-feed' }), now });
      feed.start();
      const webFeed = feed;
      this.onStop('web feed', () => webFeed.stop());
      this.handler.onJob = (job) => live.setJob({ jobId: BigInt(job.jobId), height: job.jobId, startedAt: new Date(job.createdAt) });
      this.handler.onSettled = (record, winning, graded) => webFeed.onSettled(record, winning, graded);
      if (this.handler.current) this.handler.onJob(this.handler.current);
    }

    this.info = { factomdUrl, embeddedDevnet: embedded, stratumPort, webPort: web?.server.port, lxrBits: bits, database: storeConfig.backend };
    logger.info(this.info, 'pool running');
    if (embedded && c.stratum.requireauth) await this.firstInvite();
  }

  /**
   * The embedded pool's database (PGlite) cannot be opened by `prosper-pool db` while the pool
   * runs, so with no users yet the pool makes one invite code itself and prints the exact
   * command that registers a miner with it.
   */
  private async firstInvite(): Promise<void> {
    if ((await this.auth.listUsers()).length > 0) return;
    const [code] = await this.auth.createInviteCodes(1);
    this.info.inviteCode = code;
    this.o.logger.info({ inviteCode: code }, `no users yet; register the first miner with:  ${this.minerCommand(code)}`);
  }

  /** The prosper-miner command line for this pool (with an invite code: registration). */
  minerCommand(inviteCode?: string): string {
    const host = ['0.0.0.0', '::', ''].includes(this.o.config.stratum.host) ? '127.0.0.1' : this.o.config.stratum.host;
    const bits = this.info.lxrBits === 30 ? '' : ` --bits ${this.info.lxrBits}`;
    const register = inviteCode ? ` -i ${inviteCode} -a FA... -p` : ' -m rig1';
    return `prosper-miner -s ${host}:${this.info.stratumPort} -u you@example.com${register}${bits}`;
  }

  /** Stops accepting, flushes credit, closes sockets and the store, in reverse order of start. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const c of this.closers.reverse()) {
      try {
        await c.close();
      } catch (err) {
        this.o.logger.warn({ module: c.name, err: (err as Error).message }, 'error while stopping');
      }
    }
  }
}
