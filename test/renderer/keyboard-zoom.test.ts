import { describe, expect, it } from 'vitest';
import { MIN_KEY_SPAN_MS, zoomForKey, type ShownTime } from '../../renderer/src/charts/keyboard-zoom.js';

const NOW = 1_000_000_000;
const LIVE = 300_000;
/** The live 5 min window, ending now. */
const live: ShownTime = { span: { from: NOW - LIVE, to: NOW }, zoomed: false, liveMs: LIVE, now: NOW };
const zoomedTo = (from: number, to: number): ShownTime => ({ span: { from, to }, zoomed: true, liveMs: LIVE, now: NOW });

describe('zooming the time charts from the keyboard', () => {
  it('+ (or =) zooms in to the middle half of what is shown, live or zoomed, down to 10 s', () => {
    expect(zoomForKey('+', live)).toEqual({ kind: 'zoom', span: { from: NOW - 225_000, to: NOW - 75_000 } });
    expect(zoomForKey('=', zoomedTo(NOW - 200_000, NOW - 100_000))).toEqual({ kind: 'zoom', span: { from: NOW - 175_000, to: NOW - 125_000 } });
    expect(zoomForKey('+', zoomedTo(NOW - 40_000, NOW - 25_000))).toEqual({ kind: 'zoom', span: { from: NOW - 37_500, to: NOW - 27_500 } });
    expect(zoomForKey('+', zoomedTo(NOW - 40_000, NOW - 40_000 + MIN_KEY_SPAN_MS))).toBeNull();
  });

  it('− (or _) zooms out to twice as much about the same middle, never past now, and to live once that is as wide', () => {
    expect(zoomForKey('-', zoomedTo(NOW - 200_000, NOW - 150_000))).toEqual({ kind: 'zoom', span: { from: NOW - 225_000, to: NOW - 125_000 } });
    // about the middle it would end 20 s from now: moved back, its length kept
    expect(zoomForKey('_', zoomedTo(NOW - 60_000, NOW - 20_000))).toEqual({ kind: 'zoom', span: { from: NOW - 80_000, to: NOW } });
    expect(zoomForKey('-', zoomedTo(NOW - 200_000, NOW - 50_000))).toEqual({ kind: 'reset' });
    expect(zoomForKey('-', live)).toBeNull();
  });

  it('← and → move by a quarter of what is shown; → stops at now, and live cannot move later', () => {
    expect(zoomForKey('ArrowLeft', live)).toEqual({ kind: 'zoom', span: { from: NOW - 375_000, to: NOW - 75_000 } });
    expect(zoomForKey('ArrowLeft', zoomedTo(NOW - 200_000, NOW - 100_000))).toEqual({ kind: 'zoom', span: { from: NOW - 225_000, to: NOW - 125_000 } });
    expect(zoomForKey('ArrowRight', zoomedTo(NOW - 200_000, NOW - 100_000))).toEqual({ kind: 'zoom', span: { from: NOW - 175_000, to: NOW - 75_000 } });
    expect(zoomForKey('ArrowRight', zoomedTo(NOW - 110_000, NOW - 10_000))).toEqual({ kind: 'zoom', span: { from: NOW - 100_000, to: NOW } });
    expect(zoomForKey('ArrowRight', zoomedTo(NOW - 100_000, NOW))).toBeNull();
    expect(zoomForKey('ArrowRight', live)).toBeNull();
  });

  it('Escape goes back to live when zoomed, and other keys do nothing', () => {
    expect(zoomForKey('Escape', zoomedTo(NOW - 200_000, NOW - 100_000))).toEqual({ kind: 'reset' });
    expect(zoomForKey('Escape', live)).toBeNull();
    for (const key of ['a', 'Enter', ' ', 'Tab', 'ArrowUp', 'Home']) expect(zoomForKey(key, live)).toBeNull();
  });

  it('does nothing with an empty or broken span', () => {
    expect(zoomForKey('+', zoomedTo(NOW, NOW))).toBeNull();
    expect(zoomForKey('ArrowLeft', zoomedTo(Number.NaN, NOW))).toBeNull();
  });
});
