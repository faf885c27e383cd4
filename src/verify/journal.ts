/**
 * The miner's journal of acknowledged shares: one JSON line per share the pool said it
 * accepted, {"job":H,"target":"<assigned target, hex>","nonce":"<hex>"}, appended as the
 * acknowledgements arrive. From it the miner knows to the unit what each job owes it, with the
 * pool's own credit formula.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { creditForTarget } from '../accounting/index.js';
import { ProsperError } from '../errors.js';

export interface JournalEntry {
  job: number;
  /** The target the pool assigned for the job (what the credit is computed from). */
  target: bigint;
  nonce: string;
}

export function journalLine(e: JournalEntry): string {
  return JSON.stringify({ job: e.job, target: e.target.toString(16).padStart(16, '0'), nonce: e.nonce }) + '\n';
}

/** One line, or null when it is not a journal entry (a line cut short by a crash). */
export function parseJournalLine(line: string): JournalEntry | null {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof o !== 'object' || o === null) return null;
  const { job, target, nonce } = o as Record<string, unknown>;
  if (!Number.isSafeInteger(job) || (job as number) < 0) return null;
  if (typeof target !== 'string' || !/^[0-9a-f]{1,16}$/.test(target)) return null;
  if (typeof nonce !== 'string' || !/^[0-9a-f]{2,128}$/.test(nonce)) return null;
  return { job: job as number, target: BigInt(`0x${target}`), nonce };
}

export class ShareJournal {
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  /** Appended synchronously: an acknowledged share is on disk before the next is handled. */
  append(e: JournalEntry): void {
    appendFileSync(this.path, journalLine(e), { mode: 0o600 });
  }
}

export interface JournalRead {
  entries: JournalEntry[];
  /** Lines that were not entries (skipped). */
  skipped: number;
}

export function readJournal(path: string): JournalRead {
  if (!existsSync(path)) throw new ProsperError('PROSPER_E_VERIFY_JOURNAL', `no journal at ${path}`);
  const entries: JournalEntry[] = [];
  let skipped = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const e = parseJournalLine(line);
    if (e) entries.push(e);
    else skipped += 1;
  }
  return { entries, skipped };
}

/** What a job owes by the journals: the sum of creditForTarget over its distinct shares. */
export function journalCredit(entries: readonly JournalEntry[], job: number): { credit: bigint; shares: number } {
  const seen = new Set<string>();
  let credit = 0n;
  for (const e of entries) {
    if (e.job !== job || seen.has(e.nonce)) continue;
    seen.add(e.nonce);
    credit += creditForTarget(e.target);
  }
  return { credit, shares: seen.size };
}
