/**
 * Fetches what the pool published for a job and checks it against the journals: the pool key
 * pinned on first use, the signed root, the proof of this user's leaf.
 */
import type { JobId } from '../domain/index.js';
import { readVerifySettings, writeVerifySettings } from './miner-settings.js';
import { checkJobCredit, type CheckResult } from './proof-check.js';
import { getJson, parseIdentityReply, parseProofReply, parseRootReply } from './pool-reply.js';
import { journalCredit, type JournalEntry } from './journal.js';
import { formatPeg } from '../accounting/index.js';

export interface PinOptions {
  poolWeb: string;
  settingsPath: string;
  print: (line: string) => void;
  /** Replace a pinned key that changed (after checking with the operator). */
  trustNewKey?: boolean;
}

/** The pool key to verify with: pinned on first use; a changed key is warned about loudly and not trusted. */
export async function pinnedPoolKey(o: PinOptions): Promise<string> {
  const current = parseIdentityReply(await getJson(`${o.poolWeb}/api/pool/identity`));
  const settings = readVerifySettings(o.settingsPath);
  const pinned = settings.pins[o.poolWeb];
  if (pinned === current) return pinned;
  if (pinned === undefined || o.trustNewKey) {
    if (pinned !== undefined) o.print(`WARNING: replacing the pinned pool key ${pinned} of ${o.poolWeb} by ${current} (--trust-new-key)`);
    else o.print(`Pinned the pool key of ${o.poolWeb}: ${current} (trust on first use)`);
    writeVerifySettings(o.settingsPath, { ...settings, pins: { ...settings.pins, [o.poolWeb]: current } });
    return current;
  }
  o.print([
    '',
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    `WARNING: THE POOL'S SIGNING KEY CHANGED for ${o.poolWeb}`,
    `  pinned:  ${pinned}`,
    `  now:     ${current}`,
    'Credit statements are checked against the pinned key and will fail. Ask the operator;',
    'run `prosper-miner verify --trust-new-key ...` only if the change is genuine.',
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    '',
  ].join('\n'));
  return pinned;
}

export type JobVerdict =
  | { status: 'unpublished' }
  | { status: 'checked'; result: CheckResult; expected: bigint; shares: number };

export async function verifyJob(o: { poolWeb: string; creditKey: string; publicKey: string; jobId: JobId; entries: readonly JournalEntry[] }): Promise<JobVerdict> {
  const rootBody = await getJson(`${o.poolWeb}/api/pool/credit/${o.jobId}`);
  if (rootBody === null) return { status: 'unpublished' };
  const root = parseRootReply(rootBody);
  const proofBody = await getJson(`${o.poolWeb}/api/pool/credit/${o.jobId}/proof/${o.creditKey}`);
  const proof = proofBody === null ? null : parseProofReply(proofBody);
  const { credit, shares } = journalCredit(o.entries, o.jobId);
  const result = checkJobCredit({ jobId: o.jobId, creditKey: o.creditKey, publicKey: o.publicKey, expectedCredit: credit, root, proof });
  return { status: 'checked', result, expected: credit, shares };
}

/** One line for OK, or the discrepancies. */
export function formatVerdict(jobId: JobId, v: JobVerdict): string {
  if (v.status === 'unpublished') return `credit check job ${jobId}: no signed credit root published (yet)`;
  const { result, shares } = v;
  if (result.ok && result.amount === null) {
    return `credit check job ${jobId}: OK - credit ${result.credit} for ${shares} acknowledged shares, in the signed root; paid by PPLNS over a window of earlier jobs, so the per-job pay check (PROP and PPS jobs) does not apply`;
  }
  if (result.ok) return `credit check job ${jobId}: OK - credit ${result.credit} for ${shares} acknowledged shares, in the signed root; your share ${formatPeg(result.amount ?? 0n)} PEG`;
  return [`credit check job ${jobId}: DISCREPANCY`, ...result.problems.map((p) => `  - ${p}`)].join('\n');
}
