// The pure parts of drag to zoom and of the time axis: which span a drag selects, when a press is only a
// click, the shared zoom and its reset, and tick labels that stay readable from 5 minutes to 7 days.
import { describe, expect, it } from 'vitest';
import { MIN_DRAG_PX, dragPixels, dragSpan, timeAtPixel, type AxisGeometry } from '../../renderer/src/charts/drag-zoom.js';
import { TimeZoom } from '../../renderer/src/state/time-zoom.svelte.js';
import { dayLabel, spanLabel, tickLabel, tickStep, timeTicks } from '../../renderer/src/charts/time-axis.js';

// 500 px of plot from x=50 to x=550 showing 10:00:00–10:05:00 (local time): 600 ms per pixel.
const t0 = new Date(2026, 11, 5, 10, 0, 0).getTime();
const g: AxisGeometry = { left: 50, right: 550, min: t0, max: t0 + 300_000 };

describe('drag to zoom: the span of a drag', () => {
  it('maps pixels to times linearly along the plot, clamped to it', () => {
    expect(timeAtPixel(50, g)).toBe(t0);
    expect(timeAtPixel(550, g)).toBe(t0 + 300_000);
    expect(timeAtPixel(300, g)).toBe(t0 + 150_000);
    expect(timeAtPixel(0, g)).toBe(t0);
    expect(timeAtPixel(9999, g)).toBe(t0 + 300_000);
  });

  it('selects the dragged span in either direction', () => {
    expect(dragSpan(100, 200, g)).toEqual({ from: t0 + 30_000, to: t0 + 90_000 });
    expect(dragSpan(200, 100, g)).toEqual({ from: t0 + 30_000, to: t0 + 90_000 });
  });

  it('clips a drag that leaves the plot to its edges', () => {
    expect(dragPixels(500, 700, g)).toEqual({ left: 500, right: 550 });
    expect(dragSpan(500, 700, g)).toEqual({ from: t0 + 270_000, to: t0 + 300_000 });
    expect(dragSpan(-20, 60, g)).toEqual({ from: t0, to: t0 + 6_000 });
  });

  it('treats a press that moved less than MIN_DRAG_PX as a click: no zoom', () => {
    expect(MIN_DRAG_PX).toBeGreaterThanOrEqual(3);
    expect(dragSpan(100, 100, g)).toBeNull();
    expect(dragSpan(100, 100 + MIN_DRAG_PX - 0.5, g)).toBeNull();
    expect(dragSpan(100, 100 + MIN_DRAG_PX, g)).not.toBeNull();
    // outside the plot, what is left inside counts
    expect(dragSpan(547, 600, g)).toBeNull();
  });

  it('selects nothing on an empty plot', () => {
    expect(dragSpan(10, 400, { left: 50, right: 50, min: t0, max: t0 })).toBeNull();
  });
});

describe('TimeZoom: the zoom shared by every chart of the page', () => {
  it('holds the span, tells every subscriber, and resets to live', () => {
    const zoom = new TimeZoom();
    const seen: (string | null)[] = [];
    const a = zoom.onChange(() => seen.push(zoom.span ? `a ${zoom.span.from}-${zoom.span.to}` : 'a live'));
    zoom.onChange(() => seen.push(zoom.span ? 'b zoomed' : 'b live'));
    expect(zoom.span).toBeNull();
    zoom.zoomTo({ from: 1000, to: 2000 });
    expect(zoom.span).toEqual({ from: 1000, to: 2000 });
    zoom.reset();
    expect(zoom.span).toBeNull();
    expect(seen).toEqual(['a 1000-2000', 'b zoomed', 'a live', 'b live']);
    // a reset when already live tells nobody; an unsubscribed chart hears nothing more
    zoom.reset();
    a();
    zoom.zoomTo({ from: 5, to: 6 });
    expect(seen.slice(4)).toEqual(['b zoomed']);
  });

  it('ignores an empty, reversed or infinite span', () => {
    const zoom = new TimeZoom();
    zoom.zoomTo({ from: 2000, to: 2000 });
    zoom.zoomTo({ from: 3000, to: 2000 });
    zoom.zoomTo({ from: 0, to: Infinity });
    expect(zoom.span).toBeNull();
  });
});

describe('time axis from 5 minutes to 7 days', () => {
  const H = 3_600_000;
  const D = 24 * H;

  it('puts at most 7 ticks on round local times', () => {
    const five = timeTicks(t0 + 7_000, t0 + 307_000, 7);
    expect(five.length).toBeLessThanOrEqual(7);
    expect(five.every((t) => new Date(t).getSeconds() === 0)).toBe(true);
    const week = timeTicks(t0 - 7 * D, t0, 7);
    expect(week.length).toBeGreaterThanOrEqual(3);
    expect(week.length).toBeLessThanOrEqual(7);
    expect(week.every((t) => new Date(t).getHours() === 0 && new Date(t).getMinutes() === 0)).toBe(true);
    const day = timeTicks(t0 - D, t0, 7);
    expect(day.every((t) => new Date(t).getHours() % 6 === 0 && new Date(t).getMinutes() === 0)).toBe(true);
  });

  it('chooses seconds, minutes, hours or days as steps', () => {
    expect(tickStep(0, 90_000, 7)).toBe(15_000);
    expect(tickStep(0, 300_000, 7)).toBe(60_000);
    expect(tickStep(0, D, 7)).toBe(6 * H);
    expect(tickStep(0, 7 * D, 7)).toBe(2 * D);
  });

  it('labels clocks on short spans and days on long ones', () => {
    expect(tickLabel(t0 + 15_000, 15_000)).toBe('10:00:15');
    expect(tickLabel(t0, 60_000)).toBe('10:00');
    const midnight = new Date(2026, 11, 5).getTime();
    expect(tickLabel(midnight, 6 * H)).toBe('Sat 5 Dec');
    expect(tickLabel(midnight + 6 * H, 6 * H)).toBe('06:00');
    expect(tickLabel(midnight, 2 * D)).toBe('Sat 5 Dec');
    expect(dayLabel(new Date(2026, 0, 1).getTime())).toBe('Thu 1 Jan');
  });

  it('labels a zoomed span with seconds when short, with the day when not today', () => {
    expect(spanLabel(t0 + 70_000, t0 + 160_000, t0 + 200_000)).toBe('10:01:10–10:02:40');
    expect(spanLabel(t0 - 3 * D, t0 - 3 * D + 2 * H, t0)).toBe('Wed 2 Dec 10:00–12:00');
    expect(spanLabel(t0 - 2 * D, t0, t0)).toBe('Thu 3 Dec 10:00–Sat 5 Dec 10:00');
  });
});
