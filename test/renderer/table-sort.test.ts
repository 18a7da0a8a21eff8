import { describe, expect, it } from 'vitest';
import { matchesFilter, nextOrder, sortRows } from '../../renderer/src/table-sort.js';

describe('table sorting', () => {
  const rows = [
    { n: 'b', v: 2 },
    { n: 'a', v: null },
    { n: 'c', v: 9 },
  ];
  it('sorts numbers both ways and keeps unknown values last', () => {
    expect(sortRows(rows, { key: 'v', dir: 'desc' }, (r) => r.v).map((r) => r.n)).toEqual(['c', 'b', 'a']);
    expect(sortRows(rows, { key: 'v', dir: 'asc' }, (r) => r.v).map((r) => r.n)).toEqual(['b', 'c', 'a']);
  });
  it('flips the direction when the same column is chosen again', () => {
    expect(nextOrder({ key: 'v', dir: 'desc' }, 'v')).toEqual({ key: 'v', dir: 'asc' });
    expect(nextOrder({ key: 'v', dir: 'asc' }, 'n', 'asc')).toEqual({ key: 'n', dir: 'asc' });
  });
  it('filters on every word, case-insensitively', () => {
    expect(matchesFilter('NGINX 443', ['10.0.0.1:443', 'nginx (12)'])).toBe(true);
    expect(matchesFilter('nginx 80', ['10.0.0.1:443', 'nginx (12)'])).toBe(false);
    expect(matchesFilter('  ', ['x'])).toBe(true);
  });
});
