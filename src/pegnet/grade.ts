/**
 * The block grader: the reference's NewGrader / AddOPR / GradeCustom(50), step by step
 * (docs/pegnet.md section 5): validate in entry-block order, dedupe on
 * nonce||oprhash, stable sort by claimed difficulty, keep the first `cutoff` whose LXR
 * difficulty matches the claim, then the per-version elimination loop.
 */
import { ProsperError } from '../errors.js';
import { winnerCount, type OprVersion } from './activation.js';
import type { DifficultyComputer } from './difficulty-computer.js';
import type { GradingOpr } from './grading-opr.js';
import { shortHash } from './opr-hash.js';
import { payoutForPosition } from './rewards.js';
import { validateOprEntry, winnerFormatOk, type RejectKind } from './validate.js';

export const GRADE_CUTOFF = 50;
const BAND = 0.01;

export interface GradedBlock {
  readonly version: OprVersion;
  readonly height: number;
  readonly previousWinners: readonly string[];
  /** Entries AddOPR accepted. */
  readonly count: number;
  /** The honest top-`cutoff` by difficulty, in final position order (unpositioned if too few). */
  readonly graded: readonly GradingOpr[];
  /** The paid winners in place order; empty when too few OPRs survived. */
  readonly winners: readonly GradingOpr[];
  /** What the next block's OPRs must carry: the winners' short hashes, or the previous ones carried over. */
  readonly winnersShortHashes: readonly string[];
}

export interface RejectedEntry {
  readonly entryHash: string;
  readonly kind: RejectKind;
  readonly reason: string;
}

const byDifficultyDesc = (a: GradingOpr, b: GradingOpr): number =>
  a.selfReportedDifficulty > b.selfReportedDifficulty ? -1 : a.selfReportedDifficulty < b.selfReportedDifficulty ? 1 : 0;
const byGradeAsc = (a: GradingOpr, b: GradingOpr): number => (a.grade < b.grade ? -1 : a.grade > b.grade ? 1 : 0);

/** V1..V4: the mean of absolute prices over the set, summed in list order. */
function meanAbs(oprs: readonly GradingOpr[]): number[] {
  const n = oprs[0]!.prices.length;
  const avg = new Array<number>(n).fill(0);
  for (const o of oprs) {
    for (let i = 0; i < n; i++) {
      const v = o.prices[i]!;
      avg[i] = v >= 0 ? avg[i]! + v : avg[i]! - v;
    }
  }
  for (let i = 0; i < n; i++) avg[i] = avg[i]! / oprs.length;
  return avg;
}

/** V5: per asset, drop floor(0.1 n) + 1 from each end of the sorted values and average the rest. */
function trimmedMeans(oprs: readonly GradingOpr[]): number[] {
  const n = oprs[0]!.prices.length;
  const avg = new Array<number>(n);
  const data = new Float64Array(oprs.length);
  const p = Math.trunc(oprs.length * 0.1) + 1;
  for (let i = 0; i < n; i++) {
    oprs.forEach((o, j) => (data[j] = o.prices[i]!));
    data.sort();
    const len = data.length;
    if (len <= 3) {
      avg[i] = data[Math.trunc(len / 2)]!;
      continue;
    }
    let sum = 0;
    for (let k = p; k < len - p; k++) sum += data[k]!;
    avg[i] = sum / (len - 2 * p);
  }
  return avg;
}

function gradeV1(avg: readonly number[], o: GradingOpr): void {
  let g = 0;
  for (let i = 0; i < avg.length; i++) {
    const a = avg[i]!;
    if (a > 0) {
      const d = (o.prices[i]! - a) / a;
      g += d * d * d * d;
    }
  }
  o.grade = g;
}

function gradeBanded(avg: readonly number[], o: GradingOpr, band: number): void {
  let g = 0;
  for (let i = 0; i < avg.length; i++) {
    const a = avg[i]!;
    if (a > 0) {
      let d = Math.abs((o.prices[i]! - a) / a);
      d = d <= band ? 0 : d - band;
      g += d * d * d * d;
    }
  }
  o.grade = g;
}

function stableSortPrefix(list: GradingOpr[], i: number, cmp: (a: GradingOpr, b: GradingOpr) => number): void {
  const head = list.slice(0, i).sort(cmp); // Array.prototype.sort is stable
  for (let k = 0; k < i; k++) list[k] = head[k]!;
}

/** The elimination loop on the verified top list (mutates order, grades, positions, payouts); the payout simulator grades its simulated blocks with it too. */
export function gradeList(version: OprVersion, list: GradingOpr[], cutoff: number): void {
  const n = winnerCount(version);
  if (list.length < n) return;
  const start = Math.min(cutoff, list.length);
  const stop = version === 1 ? 10 : 1;
  for (let i = start; i >= stop; i--) {
    const set = list.slice(0, i);
    if (version === 1) {
      const avg = meanAbs(set);
      for (const o of set) gradeV1(avg, o);
    } else {
      const avg = version === 5 ? trimmedMeans(set) : meanAbs(set);
      const band = i >= 25 ? BAND : 0;
      for (const o of set) gradeBanded(avg, o, band);
    }
    stableSortPrefix(list, i, byDifficultyDesc);
    stableSortPrefix(list, i, byGradeAsc);
  }
  list.forEach((o, i) => {
    o.position = i;
    o.payout = payoutForPosition(version, i);
  });
}

/** How many LXR hashes to ask for at once while looking for the honest top list. */
const VERIFY_BATCH = 64;

export class BlockGrader {
  readonly version: OprVersion;
  readonly height: number;
  readonly previousWinners: readonly string[];
  private readonly oprs: GradingOpr[] = [];
  readonly rejected: RejectedEntry[] = [];

  /** `previousWinners` empty -> the bootstrap list of empty strings, as the reference. */
  constructor(version: OprVersion, height: number, previousWinners: readonly string[] = []) {
    if (!Number.isInteger(height) || height < 0 || height > 0x7fffffff) {
      throw new ProsperError('PROSPER_E_PEGNET_HEIGHT', `height must be an int32 >= 0, got ${height}`);
    }
    const n = winnerCount(version);
    let prev = [...previousWinners];
    if (prev.length === 0) prev = new Array<string>(n).fill('');
    else {
      const ok = version === 2 ? winnerFormatOk(prev, 10) || winnerFormatOk(prev, 25) : winnerFormatOk(prev, n);
      if (!ok) throw new ProsperError('PROSPER_E_PEGNET_PREV_WINNERS', `invalid previous winners for a V${version} block`);
    }
    this.version = version;
    this.height = height;
    this.previousWinners = Object.freeze(prev);
  }

  /** AddOPR: returns the reason when the entry is refused (the reference ignores it). */
  addOpr(entryHash: Uint8Array, extIds: readonly Uint8Array[], content: Uint8Array): RejectedEntry | undefined {
    const r = validateOprEntry(this.version, this.height, this.previousWinners, entryHash, extIds, content);
    if (r.ok) {
      this.oprs.push(r.opr);
      return undefined;
    }
    const rej = { entryHash: Buffer.from(entryHash).toString('hex'), kind: r.kind, reason: r.reason };
    this.rejected.push(rej);
    return rej;
  }

  get count(): number {
    return this.oprs.length;
  }

  async grade(computer: DifficultyComputer, cutoff = GRADE_CUTOFF): Promise<GradedBlock> {
    // Fresh copies: grading mutates grade/position/payout, and grade() may run again.
    const copies = this.oprs.map((o) => ({ ...o, grade: 0, position: 0, payout: 0n }));
    const seen = new Set<string>();
    const unique = copies.filter((o) => {
      const key = Buffer.from(o.nonce).toString('hex') + ':' + Buffer.from(o.oprHash).toString('hex');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    unique.sort(byDifficultyDesc);
    const top: GradingOpr[] = [];
    for (let at = 0; at < unique.length && top.length < cutoff; at += VERIFY_BATCH) {
      const chunk = unique.slice(at, at + VERIFY_BATCH);
      const targets = await computer.computeTargets(chunk);
      for (let k = 0; k < chunk.length && top.length < cutoff; k++) {
        if (targets[k] === chunk[k]!.selfReportedDifficulty) top.push(chunk[k]!);
      }
    }
    gradeList(this.version, top, cutoff);
    const n = winnerCount(this.version);
    const full = top.length >= n;
    return {
      version: this.version,
      height: this.height,
      previousWinners: this.previousWinners,
      count: this.oprs.length,
      graded: top,
      winners: full ? top.slice(0, n) : [],
      winnersShortHashes: full ? top.slice(0, n).map((o) => shortHash(o.entryHash)) : this.previousWinners,
    };
  }
}

/** One entry as read from the OPR chain. */
export interface OprEntryInput {
  readonly entryHash: Uint8Array;
  readonly extIds: readonly Uint8Array[];
  readonly content: Uint8Array;
}

/** Grades a whole entry block in one call. */
export async function gradeBlock(opts: {
  version: OprVersion;
  height: number;
  previousWinners: readonly string[];
  entries: readonly OprEntryInput[];
  computer: DifficultyComputer;
  cutoff?: number;
}): Promise<GradedBlock & { rejected: readonly RejectedEntry[] }> {
  const g = new BlockGrader(opts.version, opts.height, opts.previousWinners);
  for (const e of opts.entries) g.addOpr(e.entryHash, e.extIds, e.content);
  const block = await g.grade(opts.computer, opts.cutoff);
  return { ...block, rejected: g.rejected };
}
