// One live time chart as a Svelte attachment: Chart.js set up once from a spec (its series, its y axis, how
// each redraw fills the datasets), redrawn when its history track changes, torn down with the canvas. The
// legend beside the chart is built from the same series, so the two cannot drift apart.
import { untrack } from 'svelte';
import type { Attachment } from 'svelte/attachments';
import type { ChartDataset, ChartOptions, Plugin } from 'chart.js';
import type { BucketSeries } from '../../../electron/common/history-frame.js';
import type { HistoryModel } from '../state/history-model.js';
import type { TimeZoom } from '../state/time-zoom.svelte.js';
import { heldRange } from './drag-zoom.js';
import { Chart, baseOptions, chartColors, redraw, redrawScheduler, minRedrawIntervalMs, xRange } from './setup.js';

/** A plotted point; stacked charts add their own fields (e.g. the band's own value). */
export type Pt = { x: number; y: number | null };

/** One series: drawn on the chart and listed in its legend. */
export interface Series {
  label: string;
  /** A colour or a CSS variable ("var(--sev-warning)"), resolved against the page's theme. */
  color: string;
  dashed?: boolean;
  /** Area fill under the line (a translucent copy of the colour). */
  area?: boolean;
  width?: number;
}

/** What a redraw sees: the track's frame and the x range shown (the live window, or the zoomed span). */
export interface DrawContext {
  frame: BucketSeries;
  x0: number;
  x1: number;
}

/** Everything that differs between the dashboard's charts. */
export interface ChartSpec<P extends Pt = Pt> {
  /** Which history track feeds it. */
  track: 'sample' | 'tick';
  yTitle: string;
  series: Series[];
  /** Per-chart options on top of the shared ones (e.g. a 100 % axis, tooltip text). */
  configure?: (options: ChartOptions<'line'>) => void;
  /** Fills the datasets (one per series, same order) for this redraw. */
  fill: (datasets: ChartDataset<'line', P[]>[], ctx: DrawContext) => void;
}

/** Lets the legend hide and show series of the live chart. */
export class ChartHandle {
  chart: Chart<'line', Pt[]> | null = null;
  private readonly hidden = new Set<number>();

  /** Shows or hides series i. */
  setHidden(i: number, hide: boolean): void {
    if (hide) this.hidden.add(i);
    else this.hidden.delete(i);
    if (this.chart) {
      this.chart.setDatasetVisibility(i, !hide);
      this.chart.update('none');
      this.label();
    }
  }

  /** Re-applies the hidden series to a new chart (after a theme or window change re-created it). */
  apply(): void {
    for (const i of this.hidden) this.chart?.setDatasetVisibility(i, false);
    this.label();
  }

  /** Writes the labels of the series Chart.js hides on the canvas (data-hidden-series, "|"-separated), for tests and tools. */
  private label(): void {
    const c = this.chart;
    if (c) c.canvas.dataset.hiddenSeries = c.data.datasets.flatMap((d, i) => (c.isDatasetVisible(i) ? [] : [d.label ?? String(i)])).join('|');
  }
}

/** A CSS variable's value on el, or the colour as given. */
export function resolveColor(el: Element, color: string): string {
  const m = /^var\((--[\w-]+)\)$/.exec(color);
  if (!m) return color;
  return getComputedStyle(el).getPropertyValue(m[1]!).trim() || '#888';
}

/**
 * Attaches a live chart drawn from `spec`; `dark` only triggers a re-creation with the new theme's colours.
 * `plugins`: drawn on top of the shared setup (e.g. the episode bands), created once per chart.
 * `zoom`: while it holds a span, the x axis shows that span and stays there as samples arrive.
 */
export function lineChart<P extends Pt>(spec: ChartSpec<P>, history: HistoryModel, windowSec: number, dark: boolean, handle?: ChartHandle, plugins: readonly Plugin<'line'>[] = [], zoom?: TimeZoom): Attachment<HTMLCanvasElement> {
  void dark;
  return (canvas) => {
    const options = baseOptions(chartColors(canvas), spec.yTitle);
    spec.configure?.(options);
    const chart = new Chart<'line', P[]>(canvas, {
      type: 'line',
      data: {
        datasets: spec.series.map((s) => {
          const c = resolveColor(canvas, s.color);
          return {
            label: s.label,
            data: [],
            borderColor: c,
            backgroundColor: s.area ? c + 'b0' : 'transparent',
            fill: s.area ? ('origin' as const) : false,
            borderWidth: s.width ?? (s.dashed ? 1 : 1.5),
            borderDash: s.dashed ? [4, 4] : [],
          };
        }),
      },
      options,
      plugins: [...plugins],
    });
    if (handle) {
      handle.chart = chart as unknown as Chart<'line', Pt[]>;
      handle.apply();
    }
    const draw = (): void => {
      const frame = history[spec.track];
      if (!frame) return;
      const zoomed = zoom?.span;
      // A zoomed span stays put; so does the axis under a drag in progress; else the live window.
      const r = zoomed ? { min: zoomed.from, max: zoomed.to } : (heldRange(chart) ?? xRange(history.now, windowSec, frame.time[0]));
      canvas.dataset.zoomed = String(!!zoomed);
      spec.fill(chart.data.datasets, { frame, x0: r.min, x1: r.max });
      const x = chart.options.scales!.x!;
      x.min = r.min;
      x.max = r.max;
      redraw(chart);
    };
    const scheduler = redrawScheduler(draw, () => minRedrawIntervalMs(history[spec.track]?.bucketMs));
    const off = history.onChange((track) => {
      if (track === 'all') untrack(draw); // a new window: draw it at once
      else if (track === spec.track) scheduler.request();
    });
    const offZoom = zoom?.onChange(() => untrack(draw)) ?? (() => {});
    // Untracked: what the first draw reads (e.g. the latest sample) must not make Svelte re-create the chart.
    untrack(draw);
    return () => {
      off();
      offZoom();
      scheduler.cancel();
      if (handle && handle.chart === (chart as unknown)) handle.chart = null;
      chart.destroy();
    };
  };
}
