/**
 * Verifiable accounting inside a running prosper-miner: every acknowledged share goes to the
 * journal (with the target the pool assigned for its job), and once a job is over the miner
 * waits for its signed credit root, checks its proof and prints OK or the discrepancy.
 */
import type { JobId } from '../domain/index.js';
import type { EventEmitter } from 'node:events';
import type { Logger } from '../log.js';
import type { FoundShare } from '../miner/threads.js';
import { formatVerdict, pinnedPoolKey, verifyJob } from './job-verifier.js';
import { readJournal, ShareJournal } from './journal.js';
import { logFields } from '../errors.js';

/** What the hook needs of the Miner: its events and the target of the job being mined. */
export interface JournaledMiner extends EventEmitter {
  readonly currentJob: { jobId: JobId; target: bigint };
}

export interface MinerVerifyOptions {
  journalPath: string;
  settingsPath: string;
  /** Without both, only the journal is kept. */
  poolWeb?: string;
  creditKey?: string;
  print: (line: string) => void;
  log: Logger;
  /** How often an ended job's root is asked for (ms). */
  pollMs?: number;
  /** How long after a job ends its root is waited for (ms). */
  giveUpMs?: number;
  /** Told of every verdict (tests). */
  onVerdict?: (jobId: JobId, ok: boolean | null) => void;
}

export function attachCreditVerification(miner: JournaledMiner, o: MinerVerifyOptions): () => void {
  const journal = new ShareJournal(o.journalPath);
  const jobTargets = new Map<JobId, bigint>();
  /** Jobs with acknowledged shares whose check has not started. */
  const owed = new Set<number>();
  /** Jobs whose check has started (it reads the journal once the root is out, late acks included). */
  const started = new Set<number>();
  const timers = new Set<NodeJS.Timeout>();
  let publicKey: Promise<string> | undefined;
  let stopped = false;
  const pollMs = o.pollMs ?? 3000;
  const giveUpMs = o.giveUpMs ?? 15 * 60_000;
  const { poolWeb, creditKey } = o;
  if (!poolWeb || !creditKey) o.print('Credit checks are off: give --credit-key (shown on your account page) to verify your pay; acknowledged shares are journaled meanwhile.');

  const later = (fn: () => void, ms: number) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    t.unref();
    timers.add(t);
  };

  const check = (jobId: JobId, deadline: number, failures = 0): void => {
    if (stopped || !poolWeb || !creditKey) return;
    publicKey ??= pinnedPoolKey({ poolWeb, settingsPath: o.settingsPath, print: o.print });
    void (async () => {
      const key = await publicKey!;
      const verdict = await verifyJob({ poolWeb, creditKey, publicKey: key, jobId, entries: readJournal(o.journalPath).entries });
      if (verdict.status === 'unpublished' && Date.now() < deadline) {
        later(() => check(jobId, deadline, failures), pollMs);
        return;
      }
      o.print(formatVerdict(jobId, verdict));
      o.onVerdict?.(jobId, verdict.status === 'checked' ? verdict.result.ok : null);
    })().catch((err: unknown) => {
      publicKey = undefined; // asked again next time (the pool's web may have been down)
      // Once per job at warn: an unreachable pool web would otherwise repeat it every poll.
      o.log[failures === 0 ? 'warn' : 'debug']({ jobId, ...logFields(err) }, 'credit check failed; retrying');
      if (Date.now() < deadline) later(() => check(jobId, deadline, failures + 1), pollMs);
      else o.print(`credit check job ${jobId}: could not be done (${(err as Error).message})`);
    });
  };

  const onJob = (jobId: JobId) => {
    jobTargets.set(jobId, miner.currentJob.target);
    for (const j of jobTargets.keys()) if (j < jobId - 8) jobTargets.delete(j);
    for (const j of started) if (j < jobId - 8) started.delete(j);
    for (const j of [...owed]) {
      if (j >= jobId) continue;
      owed.delete(j);
      started.add(j);
      check(j, Date.now() + giveUpMs);
    }
  };
  const onAccepted = (share: FoundShare) => {
    const target = jobTargets.get(share.jobId) ?? miner.currentJob.target;
    journal.append({ job: share.jobId, target, nonce: Buffer.from(share.nonce).toString('hex') });
    if (!started.has(share.jobId)) owed.add(share.jobId);
  };
  miner.on('job', onJob);
  miner.on('share-accepted', onAccepted);
  return () => {
    stopped = true;
    miner.off('job', onJob);
    miner.off('share-accepted', onAccepted);
    for (const t of timers) clearTimeout(t);
  };
}
