/**
 * The miner's check of one job: the proof reaches the signed root under the pinned pool key,
 * the leaf's credit is what the miner's own acknowledged shares earn, and the reward split adds
 * up. Every discrepancy is reported exactly.
 */
import type { JobId } from '../domain/index.js';
import { rootFromPath } from './credit-tree.js';
import type { ProofReply, RootReply } from './pool-reply.js';
import { RATE_ONE } from '../accounting/pps.js';
import { statementSignedBy } from './statement.js';

export interface CheckInput {
  jobId: JobId;
  creditKey: string;
  /** The pinned pool key (raw, hex). */
  publicKey: string;
  /** What the journals say the job owes. */
  expectedCredit: bigint;
  root: RootReply;
  /** null when the published root has no leaf for this credit key. */
  proof: ProofReply | null;
}

export interface CheckResult {
  ok: boolean;
  problems: string[];
  /** The leaf's credit (0 without a leaf). */
  credit: bigint;
  /**
   * This user's pay for the job by the published figures (1e-8 PEG); null for a PPLNS job,
   * whose pay depends on earlier jobs' credit too and is not checked per job.
   */
  amount: bigint | null;
}

/** A decimal string ("0.05") as the exact fraction num / den. */
export function decimalFraction(text: string): { num: bigint; den: bigint } {
  const [whole, frac = ''] = text.split('.');
  return { num: BigInt(whole! + frac), den: 10n ** BigInt(frac.length) };
}

export function checkJobCredit(c: CheckInput): CheckResult {
  const problems: string[] = [];
  const { root } = c;
  if (root.jobId !== c.jobId) problems.push(`the root is for job ${root.jobId}, not ${c.jobId}`);
  if (!statementSignedBy({ jobId: c.jobId, root: root.root, total: root.total, leaves: root.leaves }, root.signature, c.publicKey)) {
    problems.push(`the root's signature does not verify under the pinned pool key ${c.publicKey}`);
  }
  const proof = c.proof;
  let credit = 0n;
  if (!proof) {
    problems.push(`the signed root has no leaf for your credit key: credited 0, your acknowledged shares earn ${c.expectedCredit}`);
  } else {
    credit = proof.credit;
    if (proof.creditKey !== c.creditKey) problems.push(`the proof is for credit key ${proof.creditKey}, not yours`);
    if (proof.jobId !== c.jobId || proof.root !== root.root || proof.total !== root.total || proof.leaves !== root.leaves || proof.signature !== root.signature) {
      problems.push('the proof names a different root than the one published for the job');
    }
    const reached = rootFromPath({ creditKey: proof.creditKey, credit: proof.credit }, proof.path);
    if (reached.hash.toString('hex') !== root.root) problems.push(`the proof path reaches root ${reached.hash.toString('hex')}, not the signed ${root.root}`);
    if (reached.sum !== root.total) problems.push(`the proof path sums to ${reached.sum}, not the signed total ${root.total}`);
    if (proof.credit !== c.expectedCredit) {
      const diff = proof.credit - c.expectedCredit;
      problems.push(`credited ${proof.credit}, your acknowledged shares earn ${c.expectedCredit} (${diff < 0n ? `under-credited by ${-diff}` : `over-credited by ${diff}`})`);
    }
  }
  // The fee, as the split computes it: floor(reward x feeRate) for PROP and PPLNS; under PPS the
  // fee rate is the ppsfee already taken in the published rate, and the job's fee is 0.
  const { num, den } = decimalFraction(root.feeRate);
  if (num > den) problems.push(`the fee rate ${root.feeRate} is above 1`);
  const fee = root.scheme === 'pps' ? 0n : (root.reward * num) / den;
  if (root.poolFee !== fee) {
    const diff = root.poolFee - fee;
    const rule = root.scheme === 'pps' ? 'a PPS job takes no fee from its reward (the rate already carries it), so it is 0' : `floor(reward ${root.reward} x fee rate ${root.feeRate}) is ${fee}`;
    problems.push(`pool fee ${root.poolFee}, but ${rule} (${diff > 0n ? `over by ${diff}` : `under by ${-diff}`})`);
  }
  // PPLNS pays over a window of earlier jobs' credit: only the credit and the fee are checked here.
  if (root.scheme === 'pplns') return { ok: problems.length === 0, problems, credit, amount: null };
  // PROP: amount = floor((reward - fee) * credit / total). PPS: amount = floor(credit * rate / 1e18),
  // whatever the pool won. Either way dust is what flooring leaves, less than one unit per leaf.
  const remaining = root.reward - root.poolFee;
  if (remaining < 0n) problems.push(`the pool fee ${root.poolFee} exceeds the reward ${root.reward}`);
  if (root.dust < 0n || root.dust >= BigInt(Math.max(root.leaves, 1)) || (root.scheme === 'prop' && root.dust > remaining)) {
    problems.push(`dust ${root.dust} is not below the number of leaves (${root.leaves})`);
  }
  if (root.scheme === 'pps' && root.ppsRateE18 === null) problems.push('the job was paid by PPS but the pool published no rate');
  const amount = root.scheme === 'pps'
    ? (credit * (root.ppsRateE18 ?? 0n)) / RATE_ONE
    : remaining > 0n && root.total > 0n ? (remaining * credit) / root.total : 0n;
  return { ok: problems.length === 0, problems, credit, amount };
}
