import { describe, expect, it } from 'vitest';
import { connectionsHash, parseConnectionsHash } from '../../renderer/src/state/connections-route.js';
import { parseHash } from '../../renderer/src/state/navigation.svelte.js';
import { MAX_SCROLL_PX, firstRow, scrollAreaPx, visibleRowCount } from '../../renderer/src/virtual-rows.js';

describe('the connection list in the URL', () => {
  it('round-trips every filter field, IPv6 destinations and namespaces with brackets included', () => {
    const f = { destination: '[2001:db8::1]:443', localAddress: '10.0.0.1', namespace: 'net:[4026531840]', pid: 3121, port: 8080, state: 'TIME-WAIT' as const, text: 'a b&c', address: '10.', process: 'ngi' };
    const h = connectionsHash(f);
    expect(parseHash(h)).toEqual({ view: 'connections', filter: f });
    expect(connectionsHash()).toBe('#connections');
    expect(parseHash('#connections')).toEqual({ view: 'connections', filter: {} });
  });

  it('leaves out malformed fields instead of failing', () => {
    expect(parseConnectionsHash('connections?port=70000&pid=-1&state=ESTAB&text=' + 'x'.repeat(201))).toEqual({});
    expect(parseConnectionsHash('connectionsX')).toBeNull();
    expect(parseHash('#connections?port=abc')).toEqual({ view: 'connections', filter: {} });
  });
});

describe('virtual rows', () => {
  it('maps the scroll range onto every row, the end onto the last rows, even past the height browsers allow', () => {
    const rows = 1_000_000;
    const view = 600;
    const visible = visibleRowCount(view, 32, 28);
    expect(visible).toBe(20);
    const area = scrollAreaPx(rows, 28, view);
    expect(area).toBe(MAX_SCROLL_PX);
    expect(firstRow(0, rows, visible, 28, view)).toBe(0);
    expect(firstRow(area - view, rows, visible, 28, view)).toBe(rows - visible);
    expect(firstRow((area - view) / 2, rows, visible, 28, view)).toBe(Math.round((rows - visible) / 2));
    // Small lists scroll by whole rows; fewer rows than fit start at 0.
    expect(firstRow(28 * 10 + 5, 100, visible, 28, view)).toBe(10);
    expect(firstRow(10_000, 100, visible, 28, view)).toBe(100 - visible);
    expect(firstRow(50, 5, visible, 28, view)).toBe(0);
  });
});
