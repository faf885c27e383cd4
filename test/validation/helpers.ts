import { createHasher, targetOfHash, type LxrTable } from '../../src/lxr/index.js';
import type { ShareToValidate } from '../../src/validation/index.js';


/** Shares with random nonces and their true targets, computed here on the test thread. */
export function randomShares(table: LxrTable, jobId: number, count: number, rnd: () => number, nonceLen = 8): ShareToValidate[] {
  const hasher = createHasher(table);
  const oprHash = new Uint8Array(32).map((_, i) => (i * 7 + jobId) & 0xff);
  const shares: ShareToValidate[] = [];
  for (let i = 0; i < count; i++) {
    const nonce = new Uint8Array(nonceLen).map(() => Math.floor(rnd() * 256));
    const input = new Uint8Array(32 + nonceLen);
    input.set(oprHash);
    input.set(nonce, 32);
    shares.push({ jobId, oprHash, nonce, claimedTarget: targetOfHash(hasher.hash(input)), minTarget: 0n });
  }
  return shares;
}

export const hexBytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

export const desc = (a: bigint, b: bigint) => (a > b ? -1 : a < b ? 1 : 0);

/**
 * Checks a job's verdicts against its SoftMaxLimit: each submitted share displaced a value
 * then in the list (a free place or an earlier admitted target) and smaller than itself, each
 * value left at most once, and what is left is exactly `survivors`; each proven share not
 * submitted failed to beat a K-th best that was really in the list.
 */
export function checkAdmissions(verdicts: readonly { valid: boolean; target?: bigint; submit?: boolean; displaced?: bigint; kthBest?: bigint }[], survivors: bigint[], k: number): { submitted: number; blocked: number } {
  const valid = verdicts.filter((v) => v.valid);
  const submitted = valid.filter((v) => v.submit);
  const blocked = valid.filter((v) => !v.submit);
  const inList = new Map<bigint, number>([[0n, k]]);
  for (const v of submitted) inList.set(v.target!, (inList.get(v.target!) ?? 0) + 1);
  for (const v of submitted) {
    if (v.displaced === undefined || !(v.displaced < v.target!)) throw new Error(`submitted ${v.target} displaced ${v.displaced}`);
    const left = inList.get(v.displaced) ?? 0;
    if (left <= 0) throw new Error(`displaced ${v.displaced} twice, or it was never in the list`);
    inList.set(v.displaced, left - 1);
  }
  const kept = [...inList].flatMap(([t, n]) => new Array<bigint>(n).fill(t)).sort(desc);
  if (kept.join() !== survivors.join()) throw new Error(`admissions leave ${kept.join()} but the list holds ${survivors.join()}`);
  const admitted = new Set(submitted.map((v) => v.target!));
  for (const v of blocked) {
    if (v.kthBest === undefined) continue; // at or below the job threshold
    if (!(v.target! <= v.kthBest)) throw new Error(`blocked ${v.target} beat the K-th best ${v.kthBest}`);
    if (v.kthBest !== 0n && !admitted.has(v.kthBest)) throw new Error(`K-th best ${v.kthBest} was never admitted`);
  }
  return { submitted: submitted.length, blocked: blocked.length };
}
