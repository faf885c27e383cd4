/** Compares our grading of a testdata block with the reference's recorded output. */
import assert from 'node:assert/strict';
import { gradeBlock, parseBlockFile, type DifficultyComputer, type GradedBlock, type RejectedEntry } from '../../src/pegnet/index.js';
import { hex } from './helpers.js';

export interface ReferenceOutput {
  Winners: string[];
  AddErrors?: Record<string, string>;
  Graded?: { position: number; entryhash: string; difficulty: string; grade: number | string; payout: number }[];
  Count?: number;
  GradedCount?: number;
}

export async function gradeFile(text: string, computer: DifficultyComputer): Promise<GradedBlock & { rejected: readonly RejectedEntry[] }> {
  const b = parseBlockFile(text);
  return gradeBlock({ version: b.version, height: b.height, previousWinners: b.previousWinners, entries: b.entries, computer });
}

export function assertMatchesReference(g: GradedBlock & { rejected: readonly RejectedEntry[] }, ref: ReferenceOutput): void {
  assert.deepEqual([...g.winnersShortHashes], ref.Winners, 'winners in graded order');
  if (ref.AddErrors) {
    const ours = Object.fromEntries(g.rejected.map((r) => [r.entryHash, r.reason]));
    assert.deepEqual(ours, ref.AddErrors, 'rejected entries and their reasons');
  }
  if (ref.Count !== undefined) assert.equal(g.count, ref.Count, 'accepted entries');
  if (ref.GradedCount !== undefined) assert.equal(g.graded.length, ref.GradedCount, 'graded entries');
  if (ref.Graded) {
    const ours = g.graded.map((o) => ({
      position: o.position,
      entryhash: hex(o.entryHash),
      difficulty: o.selfReportedDifficulty.toString(),
      grade: o.grade,
      payout: o.payout,
    }));
    const theirs = ref.Graded.map((r) => ({
      position: r.position,
      entryhash: r.entryhash,
      difficulty: r.difficulty,
      // Grades are Go's shortest float text (or a JSON number): both parse to the exact double.
      grade: Number(r.grade),
      payout: BigInt(r.payout),
    }));
    assert.deepEqual(ours, theirs, 'graded order, difficulty, grade and payout');
  }
}
