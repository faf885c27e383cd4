/**
 * Work in many windows from one pass over the shares: the shares are summed once per
 * (segment between window edges, user, miner), and each window adds up its segments. A window is
 * closed at both ends like workSince(since, until), so a share exactly on an edge is kept apart
 * (onEdge) and counted by every window that has that edge, exactly as workSince would.
 */
import type { WorkWindowRow } from './types.js';

/** Shares of one (segment, user, miner): segment i runs from edge i (included) to edge i + 1 (excluded), 1-based. */
export interface SegmentWork extends WorkWindowRow {
  segment: number;
  /** All these shares sit exactly on edge `segment`. */
  onEdge: boolean;
}

/** The windows' distinct edges (since and until), ascending: the thresholds of the segments. */
export function windowEdges(windows: readonly { since: Date; until: Date }[]): Date[] {
  const ms = new Set<number>();
  for (const w of windows) {
    ms.add(w.since.getTime());
    ms.add(w.until.getTime());
  }
  return [...ms].sort((a, b) => a - b).map((t) => new Date(t));
}

/**
 * Each window's rows (one per user and miner with work in it), from the segments' work in the
 * order the query listed its (user, miner) keys.
 */
export function sumWindows(windows: readonly { since: Date; until: Date }[], edges: readonly Date[], work: readonly SegmentWork[]): WorkWindowRow[][] {
  const edgeIndex = new Map(edges.map((d, i) => [d.getTime(), i + 1]));
  const rank = new Map<string, number>();
  const bySegment = new Map<number, SegmentWork[]>();
  for (const w of work) {
    const key = `${w.userId}/${w.miner}`;
    if (!rank.has(key)) rank.set(key, rank.size);
    const list = bySegment.get(w.segment);
    if (list) list.push(w);
    else bySegment.set(w.segment, [w]);
  }
  return windows.map((win) => {
    const first = edgeIndex.get(win.since.getTime())!;
    const last = edgeIndex.get(win.until.getTime())!;
    const rows = new Map<string, WorkWindowRow>();
    const add = (w: SegmentWork) => {
      const key = `${w.userId}/${w.miner}`;
      const row = rows.get(key);
      if (!row) rows.set(key, { userId: w.userId, miner: w.miner, credit: w.credit, shares: w.shares, lastShare: w.lastShare });
      else {
        row.credit += w.credit;
        row.shares += w.shares;
        if (w.lastShare > row.lastShare) row.lastShare = w.lastShare;
      }
    };
    for (let s = first; s < last; s++) for (const w of bySegment.get(s) ?? []) add(w);
    for (const w of bySegment.get(last) ?? []) if (w.onEdge) add(w);
    return [...rows].sort(([a], [b]) => rank.get(a)! - rank.get(b)!).map(([, r]) => r);
  });
}
