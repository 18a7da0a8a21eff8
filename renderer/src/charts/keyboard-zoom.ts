// Zooming the time charts from the keyboard, for everyone who cannot or will not drag (WCAG 2.1.1: what
// the mouse can do, the keyboard can too). With a chart focused: + zooms in to the middle half of what
// is shown, − out to twice as much, ← and → move by a quarter of it, Escape goes back to the live
// window. The same shared zoom as a drag, so every time chart follows.
import type { TimeSpan } from '../state/time-zoom.svelte.js';

/** The narrowest span + zooms to (a few samples still show). */
export const MIN_KEY_SPAN_MS = 10_000;

/** What a key asks of the shared zoom: a span, the live window again, or nothing (not a zoom key). */
export type KeyZoom = { kind: 'zoom'; span: TimeSpan } | { kind: 'reset' } | null;

/** What the charts show when the key is pressed. */
export interface ShownTime {
  /** The span on the x axis (the zoom, or the live window as drawn). */
  span: TimeSpan;
  /** True when a zoom is in force (false: the live window). */
  zoomed: boolean;
  /** The live window's length (ms): zooming out to it or past it is the live window. */
  liveMs: number;
  /** Now (epoch ms): nothing moves past it. */
  now: number;
}

/** The zoom for a key (KeyboardEvent.key), or null when the key is not one of ours or changes nothing. */
export function zoomForKey(key: string, shown: ShownTime): KeyZoom {
  const { span, zoomed, liveMs, now } = shown;
  const width = span.to - span.from;
  if (!(width > 0) || !Number.isFinite(width)) return null;
  const centre = span.from + width / 2;
  switch (key) {
    case '+':
    case '=': {
      const half = Math.max(width / 2, MIN_KEY_SPAN_MS);
      if (half >= width) return null;
      return { kind: 'zoom', span: { from: centre - half / 2, to: centre + half / 2 } };
    }
    case '-':
    case '_': {
      if (!zoomed) return null; // the live window is as wide as this view goes: the window picker widens it
      const double = width * 2;
      if (double >= liveMs) return { kind: 'reset' };
      return { kind: 'zoom', span: notPastNow({ from: centre - double / 2, to: centre + double / 2 }, now) };
    }
    case 'ArrowLeft':
      return { kind: 'zoom', span: { from: span.from - width / 4, to: span.to - width / 4 } };
    case 'ArrowRight': {
      if (!zoomed) return null; // live already ends now
      const moved = notPastNow({ from: span.from + width / 4, to: span.to + width / 4 }, now);
      return moved.from === span.from ? null : { kind: 'zoom', span: moved };
    }
    case 'Escape':
      return zoomed ? { kind: 'reset' } : null;
    default:
      return null;
  }
}

/** The span moved back so that it ends no later than now, its length kept. */
function notPastNow(span: TimeSpan, now: number): TimeSpan {
  if (span.to <= now) return span;
  return { from: span.from - (span.to - now), to: now };
}
