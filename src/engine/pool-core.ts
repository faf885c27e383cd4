import { logFields } from '../errors.js';
import { createAccountant, createDiskSpool, createShareLedger, payoutSettingsFromConfig, type Accountant, type PayoutSettings } from '../accounting/index.js';
import { createAuthService, LoginGuard, stratumAuthorizer, type AuthService } from '../auth/index.js';
import { Devnet } from '../devnet/index.js';
import { CompetitorMiners } from '../devnet/competitors.js';
import { FactomdClient } from '../factom/index.js';
import { JobBuilder } from '../jobs/index.js';
import { createHasher, loadOrCreateTable, type LxrTable } from '../lxr/index.js';
import { createPoolMetrics, type PoolMetrics } from '../metrics/index.js';
import { devnetPrice, PriceOracle, oracleConfigFromSections, withDevnetDefault } from '../oracle/index.js';
import {
  activationsFromFlags, chainsForNetwork, createSqlSyncStore, testingActivations, type ActivationHeights, type SyncStore,
} from '../pegnet/index.js';
import { createSqlNotifyStore, createSqlPoolRecords, createSqlStore, openConfiguredDatabase, type SqlDatabase, type Store } from '../store/index.js';
import type { StratumAuthorizer } from '../stratum/index.js';
import { loginLimitsFromSection } from '../web/index.js';
import { EntryWriter, JobSoftMax, MinuteGuard, SubmissionGate, type SubmissionRecord } from '../submit/index.js';
import { BlockHandler, createPoolBus, ShareRouter, type BlockHandlerOptions, type PoolBus } from '../pool/index.js';
import { tableBits, type EngineContext } from './context.js';
import { startPegnetSync } from './pegnet-sync.js';
import { parseNotifySettings, startNotifications, type Notifier } from '../notify/index.js';
import { createCreditRoots, loadOrCreatePoolIdentity, publishRootsOnSettle, type CreditRoots } from '../verify/index.js';

/**
 * The pool's one brain, the same in a standalone pool and a coordinator: the store, factomd (or
 * an embedded devnet), the table for grading, users and credit, prices and jobs, the
 * submission gate and entry writer, the block handler and the share router. Only where jobs go
 * and where shares come from differ by role.
 */
export interface PoolCore {
  db: SqlDatabase;
  backend: 'postgres' | 'pglite';
  store: Store;
  syncStore: SyncStore;
  table: LxrTable;
  lxrBits: number;
  embedded: boolean;
  devnet: Devnet | undefined;
  factomd: FactomdClient;
  factomdUrl: string;
  activations: ActivationHeights;
  oprChainId: string;
  auth: AuthService;
  /** The failed-login limits and password-hash bounds the web login and Stratum authorize share. */
  loginGuard: LoginGuard;
  /** The store-backed authorizer Stratum (or the relay for edges) asks. */
  authorizer: StratumAuthorizer;
  accountant: Accountant;
  metrics: PoolMetrics;
  /** The price oracle (its sources' health feeds the /network page). */
  oracle: PriceOracle;
  gate: SubmissionGate;
  writer: EntryWriter;
  minuteGuard: MinuteGuard | undefined;
  handler: BlockHandler;
  router: ShareRouter;
  /** Where the pool's events go (see pool/events.ts); subscribers attach before start(). */
  bus: PoolBus;
  /** Signed credit roots of settled jobs, proofs and credit keys. */
  credit: CreditRoots;
  /** Webhooks: the operator's URLs and users' own (src/notify/). */
  notifier: Notifier;
  /** The payout scheme and its settings (`[pool] poolfeerate`, `[accounting]`). */
  payouts: PayoutSettings;
  /** Starts the PegNet sync, which drives jobs and settlement (once every subscriber is on the bus). */
  start(): void;
}

export async function startPoolCore(ctx: EngineContext, opts: Pick<BlockHandlerOptions, 'settleReady'> = {}): Promise<PoolCore> {
  const { config: c, logger, clock } = ctx;
  const now = () => clock.now();
  const embedded = c.factom.factomdlocation === '';
  // Checked first: a bad webhook URL stops the start before anything opens.
  const notifySettings = parseNotifySettings(c.notify);

  // The database: PostgreSQL when a host is configured, else the embedded PGlite.
  const db = await openConfiguredDatabase(c.database);
  ctx.onStop('database', () => db.close());
  const store = await createSqlStore(db);
  const records = createSqlPoolRecords(db);
  const syncStore = await createSqlSyncStore(db);

  // The network: testing heights on the embedded devnet, whose chains start at 0.
  const activations: ActivationHeights = embedded && !c.pegnet.testing ? testingActivations(0) : activationsFromFlags({ testing: c.pegnet.testing, act: c.pegnet.act });
  const chains = chainsForNetwork(c.pegnet.network);
  const lxrBits = tableBits(c, embedded);
  const table = await loadOrCreateTable({ bits: lxrBits, logger });

  const oracleConfig = oracleConfigFromSections(c);
  let factomdUrl = c.factom.factomdlocation;
  let devnet: Devnet | undefined;
  if (embedded) {
    // The simulated competitors quote the same devnet price feed as the pool's oracle (with
    // their own jitter): with unrelated prices the pool's OPRs were always graded out.
    const { seed, stepMs } = oracleConfig.devnet;
    const competitors = new CompetitorMiners({
      price: (asset) => devnetPrice(seed, asset, Math.floor(now() / stepMs)) * 1e8,
      hasher: createHasher(table),
      oprChainId: chains.opr,
      activations,
      count: c.devnet.competitors,
      random: Math.random,
      logger: logger.child({ module: 'competitors' }),
    });
    const dn = new Devnet({ port: c.devnet.port, blockTimeSeconds: c.devnet.blocktime, dataDir: c.devnet.datadir, contributors: [competitors], logger: logger.child({ module: 'devnet' }) });
    devnet = dn;
    const port = await dn.start();
    ctx.onStop('devnet', () => dn.stop());
    factomdUrl = `http://127.0.0.1:${port}/v2`;
  }
  const factomd = new FactomdClient({ url: factomdUrl, timeoutMs: c.factom.timeout * 1000 });

  // Users, credit and accounting.
  // One failed-login count and one bound on password hashes for both doors (web and Stratum).
  const loginGuard = new LoginGuard(loginLimitsFromSection(c.web), now);
  // The bus comes first so the user store's outage tracker can report to it.
  const bus = createPoolBus(logger);
  const auth = createAuthService({
    store, now, openRegistration: !c.stratum.requireauth, guard: loginGuard, log: logger,
    onStoreHealth: (up, reason) => bus.publish('ServiceHealth', { service: 'database', up, reason }),
  });
  const authorizer = stratumAuthorizer(auth);
  const spool = c.accounting.spooldir ? createDiskSpool({ dir: c.accounting.spooldir, maxBytes: c.accounting.spoolmaxbytes, now }) : undefined;
  const ledger = createShareLedger({ store, now, spool, flushIntervalMs: c.accounting.flushinterval, log: logger.child({ module: 'ledger' }) });
  ctx.onStop('share ledger', () => ledger.close());
  // Credit that waited on disk through an outage before the last stop goes in first.
  const replayed = await ledger.replaySpool();
  if (replayed > 0) logger.info({ batches: replayed }, 'replayed spooled share credit');
  // Every settled job's credit root is signed and published (verifiable accounting).
  const credit = await createCreditRoots(db, loadOrCreatePoolIdentity(c.pool.identitykey), { now, log: logger.child({ module: 'credit-roots' }) });
  const payouts = payoutSettingsFromConfig(c.pool, c.accounting);
  const accountant = createAccountant({ store, ledger, feeRateE8: payouts.feeRateE8, payouts, now, shareRetentionMs: c.accounting.shareretention * 1000, log: logger.child({ module: 'accounting' }) });
  // The pool's events. Stopped after the block handler: what its subscribers started (a credit
  // root being published) finishes before the ledger and the database close.
  ctx.onStop('event subscribers', () => bus.drain());
  publishRootsOnSettle(bus, credit, logger.child({ module: 'credit-roots' }));
  const pruner = clock.setInterval(() => {
    accountant.prune().catch((err: unknown) => logger.warn({ ...logFields(err) }, 'pruning shares failed'));
  }, 3600_000).unref();
  ctx.onStop('share pruning', () => clock.clearInterval(pruner));

  // Prices and jobs.
  const metrics = createPoolMetrics({ processMetrics: true });
  const oracle = new PriceOracle(embedded ? withDevnetDefault(oracleConfig) : oracleConfig, {
    now, logger: logger.child({ module: 'oracle' }), versions: [5], onSourceError: (source) => metrics.datasourceErrors.inc({ source }),
  });
  const builder = new JobBuilder({ prices: oracle, identity: c.pool.opridentity, coinbase: c.pool.oprcoinbase, activations, logger: logger.child({ module: 'jobs' }), now });

  // The submission gate: the EMA threshold and the per-job cutoff.
  const minuteGuard = c.submit.minuteguard ? new MinuteGuard() : undefined;
  const gate = new SubmissionGate({ emaN: c.submit['ema-n'], cutoff: c.submit.submissioncutoff, minuteGuard, initialEma: await records.lastEma() });
  if (minuteGuard) {
    const poll = clock.setInterval(() => {
      factomd.currentMinute().then((m) => minuteGuard.onReading(m), () => minuteGuard.onError());
    }, 2000).unref();
    ctx.onStop('minute guard', () => clock.clearInterval(poll));
  }

  // Jobs and settlement. Registered before Stratum so that, stopping in reverse order, Stratum
  // is closed (no more late shares) before the jobs waiting out their stale window settle.
  const staleGraceMs = c.stratum.stalegrace * 1000;
  const handler = new BlockHandler({
    gate, records, accountant, builder, bus, retryMs: c.pegnet.retryperiod * 1000,
    settleDelayMs: staleGraceMs + 2000, settleReady: opts.settleReady,
    logger: logger.child({ module: 'blocks' }), clock,
  });
  ctx.onStop('block handler', () => handler.stop());
  // Work credited by an earlier run whose job was never settled (a stop inside a stale window).
  await handler.settleOutstanding();
  await credit.publishOutstanding();

  // Submission: every entry is recorded in the store with its job's OPR hash, and announced.
  const writer = new EntryWriter({
    client: factomd, esAddress: c.pool.esaddress, ecWarn: c.pool.ecwarn, logger: logger.child({ module: 'submit' }),
    log: {
      record: async (r: SubmissionRecord) => {
        const oprHash = handler.jobOf(r.jobId)?.oprHash;
        await records.record(r, oprHash);
        bus.publish('SubmissionWritten', { record: r, oprHash });
      },
    },
  });
  ctx.onStop('entry writer', () => writer.drain());
  const notifier = startNotifications(ctx, notifySettings, { bus, store: createSqlNotifyStore(db), ecBalance: () => writer.ecBalance(), metrics });

  const router = new ShareRouter({
    ledger, gate, writer, bus, jobOf: (id) => handler.jobOf(id),
    oprChainId: Buffer.from(chains.opr, 'hex'), logger: logger.child({ module: 'router' }),
    // Candidates from several edges meet one SoftMaxLimit per job here, as on a single machine.
    ...(c.cluster.role === 'coordinator' ? { candidates: new JobSoftMax(c.submit.softmax, () => gate.threshold()) } : {}),
  });
  ctx.onStop('share router', () => router.drain());

  const core: PoolCore = {
    db, backend: db.backend, store, syncStore, table, lxrBits, embedded, devnet, factomd, factomdUrl, activations, oprChainId: chains.opr,
    auth, loginGuard, authorizer, accountant, metrics, oracle, gate, writer, minuteGuard, handler, router, bus, credit, payouts, notifier,
    start: () => startPegnetSync(ctx, core),
  };
  return core;
}
