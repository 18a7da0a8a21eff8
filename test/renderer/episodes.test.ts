// Episodes on the dashboard: the list (EpisodesPanel), how events keep it current, and the bands on the
// charts' time axis (which episodes fall in the window, and that a one-second burst is still visible).
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import type { Episode } from '../../electron/common/episode.js';
import EpisodesPanel from '../../renderer/src/components/EpisodesPanel.svelte';
import { bandPixels, bandsInWindow, MIN_BAND_PX } from '../../renderer/src/charts/episode-bands.js';
import { mergeEpisodes, upsertEpisode } from '../../renderer/src/state/episode-list.js';

const T = 1_700_000_000_000;
const ep = (k: number, over: Partial<Episode> = {}): Episode => ({
  id: `${T + k * 60_000}-${k}`,
  start: T + k * 60_000,
  end: T + k * 60_000 + 30_000,
  lastSeen: T + k * 60_000 + 30_000,
  peakSeverity: 'warning',
  peakTime: T + k * 60_000 + 10_000,
  peakUtilization: 0.82,
  worstDestination: '10.0.0.9:443',
  cause: `cause ${k}`,
  ...over,
});

let mounted: Record<string, unknown>[] = [];
function render(props: { episodes: Episode[]; now: number }): HTMLElement {
  const target = document.createElement('div');
  document.body.appendChild(target);
  mounted.push(mount(EpisodesPanel as never, { target, props }) as Record<string, unknown>);
  flushSync();
  return target;
}
afterEach(() => {
  for (const m of mounted) unmount(m);
  mounted = [];
  document.body.innerHTML = '';
});

describe('EpisodesPanel', () => {
  it('lists episodes newest first with start, end or "ongoing", peak, worst destination, cause and severity', () => {
    const going = ep(2, { end: null, lastSeen: T + 150_000, peakSeverity: 'critical', peakUtilization: 1, worstDestination: '127.0.0.1:8080', cause: 'Exhausted 3 s ago toward 127.0.0.1:8080' });
    const el = render({ episodes: [ep(0), ep(1, { worstDestination: null }), going], now: T + 180_000 });
    const rows = [...el.querySelectorAll('tbody tr')];
    expect(rows.map((r) => r.getAttribute('data-episode'))).toEqual([going.id, ep(1).id, ep(0).id]);
    const cells = (r: Element) => [...r.querySelectorAll('td')].map((c) => c.textContent!.replace(/\s+/g, ' ').trim());
    const [sev, start, end, peak, worst, cause] = cells(rows[0]!);
    expect(sev).toBe('critical');
    expect(start).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(end).toBe('ongoing (60 s so far)');
    expect(peak).toMatch(/^100 % at \d\d:\d\d:\d\d$/);
    expect(worst).toBe('127.0.0.1:8080');
    expect(cause).toBe('Exhausted 3 s ago toward 127.0.0.1:8080');
    expect(rows[0]!.className).toContain('sev-critical');
    expect(cells(rows[1]!)[2]).toMatch(/^\d\d:\d\d:\d\d \(30 s\)$/);
    expect(cells(rows[1]!)[4]).toBe('the whole range (global)');
    expect(rows[1]!.querySelector('time')!.getAttribute('datetime')).toBe(new Date(ep(1).start).toISOString());
  });

  it('says so when there is none', () => {
    expect(render({ episodes: [], now: T }).querySelector('tbody')!.textContent).toMatch(/No episode recorded/);
  });
});

describe('the episode list kept by the dashboard', () => {
  it('adds a new episode and replaces the one of the same id (a new peak, its end), oldest first, bounded', () => {
    let list = upsertEpisode([], ep(1, { end: null, lastSeen: T + 61_000 }));
    list = upsertEpisode(list, ep(0));
    list = upsertEpisode(list, ep(1));
    expect(list.map((e) => [e.id, e.end])).toEqual([
      [ep(0).id, ep(0).end],
      [ep(1).id, ep(1).end],
    ]);
    expect(upsertEpisode(list, ep(2), 2).map((e) => e.id)).toEqual([ep(1).id, ep(2).id]);
  });

  it('never lets an older state overwrite a newer one (an answer that arrives after an event)', () => {
    const ended = ep(1);
    const older = { ...ep(1), end: null, lastSeen: ended.start + 1000 };
    expect(upsertEpisode([ended], older)).toEqual([ended]);
    expect(mergeEpisodes([older, ep(0)], [ended]).map((e) => e.end)).toEqual([ep(0).end, ended.end]);
  });
});

describe('episode bands on the time axis', () => {
  it('keeps the episodes that overlap the window, clipped to it; an ongoing one runs to its end', () => {
    const x0 = T + 20_000;
    const x1 = T + 200_000;
    const bands = bandsInWindow([ep(0), ep(1), ep(5), ep(3, { end: null, peakSeverity: 'exhausted' })], x0, x1);
    expect(bands).toEqual([
      { id: ep(0).id, from: x0, to: ep(0).end, severity: 'warning', ongoing: false },
      { id: ep(1).id, from: ep(1).start, to: ep(1).end, severity: 'warning', ongoing: false },
      { id: ep(3).id, from: ep(3).start, to: x1, severity: 'exhausted', ongoing: true },
    ]);
  });

  it('draws a burst shorter than a pixel as a band of MIN_BAND_PX, never outside the plot', () => {
    // a 0.4 s burst on a 24 h axis of 1,000 px is 0.005 px wide
    expect(bandPixels(500, 500.005, 40, 1040)).toEqual({ x: 500.0025 - MIN_BAND_PX / 2, width: MIN_BAND_PX });
    expect(bandPixels(1039.9, 1040, 40, 1040)).toEqual({ x: 1040 - MIN_BAND_PX, width: MIN_BAND_PX });
    expect(bandPixels(30, 40.5, 40, 1040)).toEqual({ x: 40, width: MIN_BAND_PX });
    expect(bandPixels(100, 300, 40, 1040)).toEqual({ x: 100, width: 200 });
  });
});
