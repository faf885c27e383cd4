/**
 * Publishes each settled job's signed credit root, once, and answers the web's questions
 * about them (roots, proofs, credit keys). The coordinator (or the standalone pool) is the only
 * signer: it settles.
 */
import type { JobId } from '../domain/index.js';
import { formatFeeRate } from '../accounting/fee-rate.js';
import { silentLogger, type Logger } from '../log.js';
import type { SqlDatabase } from '../store/index.js';
import type { CreditProofJson, CreditRootJson, WebCreditData } from '../web/routes-credit.js';
import { CreditTree } from './credit-tree.js';
import { openCreditRoots, type CreditRootsSql, type PublishedRoot, type RootWithSplit } from './credit-roots-sql.js';
import { requireIdentity, type MissingPoolIdentity, type PoolIdentity } from './pool-identity.js';
import { signStatement } from './statement.js';
import { ProsperError } from '../errors.js';

export interface CreditRoots {
  /** Builds, signs and records the root of a settled job; null when nobody had credit. */
  publish(jobId: JobId): Promise<PublishedRoot | null>;
  /** Publishes every settled job that has credit but no root yet; returns how many. */
  publishOutstanding(): Promise<number>;
  readonly web: WebCreditData;
  readonly sql: CreditRootsSql;
}

function rootJson(r: RootWithSplit): CreditRootJson {
  return {
    jobId: Number(r.jobId), root: r.root, total: r.total, leaves: r.leaves, signature: r.signature, reward: r.reward, feeRate: formatFeeRate(r.feeRateE8), poolFee: r.poolFee, dust: r.dust,
    scheme: r.scheme, ppsRateE18: r.ppsRateE18, pplnsWindow: r.pplnsWindow,
  };
}

/**
 * Over the store's database (migrates the component's tables). Without an identity (the web
 * alone, with no key file) nothing is signed: publishing and every root, proof and key answer
 * PROSPER_E_VERIFY_NO_IDENTITY, while users' credit keys still work.
 */
export async function createCreditRoots(db: SqlDatabase, identity: PoolIdentity | MissingPoolIdentity, opts: { now?: () => number; log?: Logger } = {}): Promise<CreditRoots> {
  const sql = await openCreditRoots(db);
  const now = opts.now ?? Date.now;
  const log = opts.log ?? silentLogger();

  /** The tree of a settled job as the store holds it now. */
  async function treeOf(jobId: JobId): Promise<CreditTree | null> {
    const leaves = await sql.settledLeaves(jobId);
    return leaves.length === 0 ? null : new CreditTree(leaves);
  }

  async function publish(jobId: JobId): Promise<PublishedRoot | null> {
    await sql.ensureKeys(await sql.settledUsers(jobId));
    const tree = await treeOf(jobId);
    if (!tree) return null;
    const statement = { jobId, root: tree.root.hash.toString('hex'), total: tree.root.sum, leaves: tree.size };
    const signer = requireIdentity(identity);
    const signature = signStatement(statement, signer.privateKey);
    const { root, created } = await sql.recordRoot({ ...statement, signature, publicKey: signer.publicKey }, new Date(now()));
    if (created) log.info({ jobId: jobId.toString(), root: root.root, total: root.total.toString(), leaves: root.leaves }, 'credit root published');
    else if (root.root !== statement.root || root.total !== statement.total || root.leaves !== statement.leaves) {
      // Never re-signed: the first published root stays, and the difference is loud.
      log.error({ jobId: jobId.toString(), published: root.root, now: statement.root }, 'job credit differs from its published root; the published root stays');
    }
    return root;
  }

  const web: WebCreditData = {
    publicKey: () => requireIdentity(identity).publicKey,
    creditKey: (userId) => sql.creditKey(userId),
    async root(jobId) {
      requireIdentity(identity);
      const r = await sql.rootWithSplit(jobId);
      return r ? rootJson(r) : null;
    },
    async proof(jobId, creditKey): Promise<CreditProofJson | null | { leaf: false }> {
      requireIdentity(identity);
      const r = await sql.root(jobId);
      if (!r) return null;
      const tree = await treeOf(jobId);
      const proof = tree?.proof(creditKey);
      if (!tree || tree.root.hash.toString('hex') !== r.root || tree.root.sum !== r.total) {
        // The credit under a published root changed: answering would prove something unsigned.
        log.error({ jobId: jobId.toString() }, 'stored credit no longer matches the published root');
        throw new ProsperError('PROSPER_E_VERIFY_ROOT', `credit of job ${jobId} changed under its published root`);
      }
      if (!proof) return { leaf: false };
      return { jobId: Number(jobId), creditKey, credit: proof.leaf.credit, path: proof.path, root: r.root, total: r.total, leaves: r.leaves, signature: r.signature };
    },
    async roots(limit, offset) {
      requireIdentity(identity);
      return { data: (await sql.listRoots(limit, offset)).map(rootJson), total: await sql.countRoots() };
    },
  };

  return {
    publish,
    async publishOutstanding() {
      const jobs = await sql.unpublishedJobs();
      for (const j of jobs) await publish(j);
      return jobs.length;
    },
    web,
    sql,
  };
}
