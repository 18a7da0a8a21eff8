// Sorting and filtering of table rows. Pure.

/** A sort order: which column, which way. */
export interface SortOrder<K extends string> {
  key: K;
  dir: 'asc' | 'desc';
}

/** Rows sorted by the value `get` reads for the order's key (stable; nulls last). */
export function sortRows<T, K extends string>(rows: readonly T[], order: SortOrder<K>, get: (row: T, key: K) => number | string | null): T[] {
  const sign = order.dir === 'asc' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i, v: get(row, order.key) }))
    .sort((a, b) => {
      if (a.v === null && b.v === null) return a.i - b.i;
      if (a.v === null) return 1;
      if (b.v === null) return -1;
      const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v), 'en', { numeric: true });
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((x) => x.row);
}

/** Next order after clicking a column: same column flips, a new column starts with `firstDir`. */
export function nextOrder<K extends string>(current: SortOrder<K>, key: K, firstDir: 'asc' | 'desc' = 'desc'): SortOrder<K> {
  return current.key === key ? { key, dir: current.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: firstDir };
}

/** True when every word of the filter appears in one of the texts (case-insensitive). */
export function matchesFilter(filter: string, texts: readonly string[]): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = texts.join(' ').toLowerCase();
  return words.every((w) => hay.includes(w));
}
