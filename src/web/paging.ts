import type { Page, PageQuery } from './ports.js';

type SortKey = bigint | number | string | boolean | Date;

function compare(a: SortKey, b: SortKey): number {
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Sorts and slices in-memory rows for a validated page query. `keys` maps each allow-listed
 * column to the row's value; ties keep insertion order so pages are stable.
 */
export function pageOf<T, C extends string>(rows: readonly T[], q: PageQuery<C>, keys: Record<C, (row: T) => SortKey>): Page<T> {
  const key = keys[q.column];
  const sign = q.order === 'asc' ? 1 : -1;
  const sorted = rows.map((row, i) => ({ row, i })).sort((a, b) => sign * compare(key(a.row), key(b.row)) || a.i - b.i);
  return { data: sorted.slice(q.offset, q.offset + q.limit).map((s) => s.row), total: rows.length };
}
