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
import { createSqlStore, migrate, openConfiguredDatabase, type SqlDatabase, type Store } from '../store/index.js';
import type { StratumAuthorizer } from '../stratum/index.js';
import { loginLimitsFromSection } from '../web/index.js';
import { EntryWriter, JobSoftMax, MinuteGuard, SubmissionGate, type SubmissionRecord } from '../submit/index.js';
import { BlockHandler, type BlockHandlerOptions } from './block-handler.js';
import { tableBits, type EngineContext } from './context.js';
import { createSqlPoolRecords, POOL_RECORDS_MIGRATIONS } from './records-sql.js';
import { ShareRouter } from './share-router.js';
import { createCreditRoots, loadOrCreatePoolIdentity, publishingCreditRoots, type CreditRoots } from '../verify/index.js';

/** Where a new job goes: the local Stratum server, or the edges through NATS. */
export type JobTarget = BlockHandlerOptions['stratum'];

/** Hooks the outputs (metrics, web) attach after the core is up. */
export interface CoreListeners {
  onSubmission?: (r: SubmissionRecord) => void;
}

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
  gate: SubmissionGate;
  writer: EntryWriter;
  minuteGuard: MinuteGuard | undefined;
  handler: BlockHandler;
  router: ShareRouter;
  listeners: CoreListeners;
  /** Signed credit roots of settled jobs, proofs and credit keys. */
  credit: CreditRoots;
  /** The payout scheme and its settings (`[pool] poolfeerate`, `[accounting]`). */
  payouts: PayoutSettings;
}

export async function startPoolCore(ctx: EngineContext, jobs: JobTarget, opts: Pick<BlockHandlerOptions, 'settleReady'> = {}): Promise<PoolCore> {
  const { config: c, logger, now } = ctx;
  const embedded = c.factom.factomdlocation === '';

  // The database: PostgreSQL when a host is configured, else the embedded PGlite.
  const db = await openConfiguredDatabase(c.database);
  ctx.onStop('database', () => db.close());
  const store = await createSqlStore(db);
  await migrate(db, POOL_RECORDS_MIGRATIONS, 'engine');
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
  const auth = createAuthService({ store, now, openRegistration: !c.stratum.requireauth, guard: loginGuard, log: logger });
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
  const accountant = publishingCreditRoots(
    createAccountant({ store, ledger, feeRateE8: payouts.feeRateE8, payouts, now, shareRetentionMs: c.accounting.shareretention * 1000, log: logger.child({ module: 'accounting' }) }),
    credit, logger.child({ module: 'credit-roots' }),
  );
  const pruner = setInterval(() => {
    accountant.prune().catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'pruning shares failed'));
  }, 3600_000);
  pruner.unref();
  ctx.onStop('share pruning', () => clearInterval(pruner));

  // Prices and jobs.
  const metrics = createPoolMetrics({ processMetrics: true });
  const oracle = new PriceOracle(embedded ? withDevnetDefault(oracleConfig) : oracleConfig, {
    now, logger: logger.child({ module: 'oracle' }), versions: [5], onSourceError: (source) => metrics.datasourceErrors.inc({ source }),
  });
  const builder = new JobBuilder({ prices: oracle, identity: c.pool.opridentity, coinbase: c.pool.oprcoinbase, activations, logger: logger.child({ module: 'jobs' }), now });

  // Submission: every entry is recorded in the store, and shown on the web once it is up.
  const minuteGuard = c.submit.minuteguard ? new MinuteGuard() : undefined;
  const gate = new SubmissionGate({ emaN: c.submit['ema-n'], cutoff: c.submit.submissioncutoff, minuteGuard, initialEma: await records.lastEma() });
  const listeners: CoreListeners = {};
  // The block handler (made below) knows each job's OPR hash, which the submission rows keep.
  let handlerRef: BlockHandler | undefined;
  const handlerOf = () => handlerRef;
  const writer = new EntryWriter({
    client: factomd, esAddress: c.pool.esaddress, ecWarn: c.pool.ecwarn, logger: logger.child({ module: 'submit' }),
    log: {
      record: async (r: SubmissionRecord) => {
        await records.record(r, handlerOf()?.jobOf(r.jobId)?.oprHash);
        listeners.onSubmission?.(r);
      },
    },
  });
  ctx.onStop('entry writer', () => writer.drain());
  if (minuteGuard) {
    const poll = setInterval(() => {
      factomd.currentMinute().then((m) => minuteGuard.onReading(m), () => minuteGuard.onError());
    }, 2000);
    poll.unref();
    ctx.onStop('minute guard', () => clearInterval(poll));
  }

  // Jobs and settlement. Registered before Stratum so that, stopping in reverse order, Stratum
  // is closed (no more late shares) before the jobs waiting out their stale window settle.
  const staleGraceMs = c.stratum.stalegrace * 1000;
  const handler = new BlockHandler({
    gate, records, accountant, builder, stratum: jobs,
    emaN: c.submit['ema-n'], cutoff: c.submit.submissioncutoff, retryMs: c.pegnet.retryperiod * 1000,
    settleDelayMs: staleGraceMs + 2000, settleReady: opts.settleReady,
    logger: logger.child({ module: 'blocks' }), now,
  });
  handlerRef = handler;
  ctx.onStop('block handler', () => handler.stop());
  // Work credited by an earlier run whose job was never settled (a stop inside a stale window).
  await handler.settleOutstanding();
  await credit.publishOutstanding();

  const router = new ShareRouter({
    ledger, gate, writer, jobOf: (id) => handler.jobOf(id), priorSubmissions: (id) => handler.priorSubmissions(id),
    cutoff: c.submit.submissioncutoff, oprChainId: Buffer.from(chains.opr, 'hex'), logger: logger.child({ module: 'router' }),
    // Candidates from several edges meet one SoftMaxLimit per job here, as on a single machine.
    ...(c.cluster.role === 'coordinator' ? { candidates: new JobSoftMax(c.submit.softmax, () => gate.threshold()) } : {}),
  });
  ctx.onStop('share router', () => router.drain());

  return {
    db, backend: db.backend, store, syncStore, table, lxrBits, embedded, devnet, factomd, factomdUrl, activations, oprChainId: chains.opr,
    auth, loginGuard, authorizer, accountant, metrics, gate, writer, minuteGuard, handler, router, listeners, credit, payouts,
  };
}
