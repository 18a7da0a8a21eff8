// Episodes drawn on a time chart's axis: one shaded band per episode in the severity colour of its peak,
// behind the lines, with a solid edge where it started. A burst that filled the range between two samples
// lasts a second or less, which a 5-minute or 24-hour axis would draw thinner than a pixel: every band is
// at least MIN_BAND_PX wide, so an episode is never a blip nobody sees.
import type { Plugin } from 'chart.js';
import type { Episode } from '../../../electron/common/episode.js';
import { resolveColor } from './line-chart.js';

/** The narrowest band drawn (CSS pixels). */
export const MIN_BAND_PX = 4;

/** One band in time (epoch ms), clipped to the window. */
export interface Band {
  id: string;
  from: number;
  to: number;
  severity: Episode['peakSeverity'];
  /** Still going on: drawn up to the window's end. */
  ongoing: boolean;
}

/** The episodes that overlap [x0, x1], clipped to it; an ongoing one runs to x1. */
export function bandsInWindow(episodes: readonly Episode[], x0: number, x1: number): Band[] {
  const out: Band[] = [];
  for (const e of episodes) {
    const end = e.end ?? x1;
    if (end < x0 || e.start > x1) continue;
    out.push({ id: e.id, from: Math.max(x0, e.start), to: Math.min(x1, Math.max(end, e.start)), severity: e.peakSeverity, ongoing: e.end === null });
  }
  return out;
}

/** Pixel span of a band: at least MIN_BAND_PX wide, kept inside [left, right]. */
export function bandPixels(fromPx: number, toPx: number, left: number, right: number): { x: number; width: number } {
  let a = Math.max(left, Math.min(fromPx, toPx));
  let b = Math.min(right, Math.max(fromPx, toPx));
  if (b - a < MIN_BAND_PX) {
    const mid = (a + b) / 2;
    a = Math.max(left, mid - MIN_BAND_PX / 2);
    b = Math.min(right, a + MIN_BAND_PX);
    a = Math.max(left, b - MIN_BAND_PX);
  }
  return { x: a, width: b - a };
}

/** Where the chart reads its episodes from (replaced whole when they change; the chart is then redrawn). */
export interface EpisodeSource {
  episodes: readonly Episode[];
}

/**
 * A Chart.js plugin drawing the source's episodes behind the datasets. It writes how many bands it drew,
 * and where the newest one is, on the canvas (data-episode-bands, data-episode-px) for tests and tools.
 */
export function episodeBandsPlugin(source: EpisodeSource): Plugin<'line'> {
  return {
    id: 'portwatchEpisodes',
    beforeDatasetsDraw(chart) {
      const x = chart.scales.x;
      const area = chart.chartArea;
      if (!x || !area) return;
      const bands = bandsInWindow(source.episodes, x.min, x.max);
      const ctx = chart.ctx;
      let newest = '';
      ctx.save();
      for (const b of bands) {
        const colour = resolveColor(chart.canvas, `var(--sev-${b.severity})`);
        const px = bandPixels(x.getPixelForValue(b.from), x.getPixelForValue(b.to), area.left, area.right);
        ctx.fillStyle = colour;
        ctx.globalAlpha = 0.2;
        ctx.fillRect(px.x, area.top, px.width, area.bottom - area.top);
        ctx.globalAlpha = 1;
        ctx.fillRect(px.x, area.top, 1.5, area.bottom - area.top);
        newest = `${Math.round(px.x)}-${Math.round(px.x + px.width)}`;
      }
      ctx.restore();
      chart.canvas.dataset.episodeBands = String(bands.length);
      chart.canvas.dataset.episodePx = newest;
    },
  };
}
