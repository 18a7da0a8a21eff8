// Chart.js, registered once with only the parts the dashboard uses (tree-shaken), and defaults that keep
// streaming cheap: no animation, no per-point markers, data given in Chart.js's internal {x, y} form.
import { Chart, Filler, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip, type ChartOptions } from 'chart.js';
import { clock } from '../format.js';
import { dayLabel, tickLabel, timeTicks } from './time-axis.js';


Chart.register(LineController, LineElement, PointElement, LinearScale, Filler, Legend, Tooltip);
Chart.defaults.animation = false;

export { Chart };

/** Colours of the current theme, read from the CSS variables. */
export interface ChartColors {
  text: string;
  grid: string;
  muted: string;
}

/** Reads the chart colours from the page's CSS (light or dark). */
export function chartColors(el: Element): ChartColors {
  const cs = getComputedStyle(el);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  return { text: v('--fg', '#222'), grid: v('--grid', '#ddd'), muted: v('--muted', '#666') };
}

/** At most this many ticks on the time axis (their labels fit a narrow chart). */
const X_TICKS = 7;

/** Options shared by every time chart. */
export function baseOptions(c: ChartColors, yTitle: string): ChartOptions<'line'> {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    normalized: true,
    spanGaps: false,
    events: ['mousemove', 'mouseout', 'click', 'touchstart', 'touchmove'],
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    elements: { point: { radius: 0, hitRadius: 4, hoverRadius: 3 }, line: { borderWidth: 1.5, tension: 0 } },
    scales: {
      x: {
        type: 'linear',
        // Ticks on round local times (time-axis.ts), from every few seconds to every day.
        afterBuildTicks(scale) {
          scale.ticks = timeTicks(scale.min, scale.max, X_TICKS).map((value) => ({ value }));
        },
        ticks: {
          color: c.muted,
          maxRotation: 0,
          // timeTicks already bounds the labels; skipping would measure every label on every update.
          autoSkip: false,
          callback(v, _i, ticks) {
            const step = ticks.length > 1 ? ticks[1]!.value - ticks[0]!.value : this.max - this.min;
            return tickLabel(Number(v), step);
          },
        },
        grid: { color: c.grid },
      },
      y: {
        beginAtZero: true,
        title: { display: true, text: yTitle, color: c.muted },
        ticks: { color: c.muted, maxTicksLimit: 6, autoSkip: false },
        grid: { color: c.grid },
      },
    },
    plugins: {
      // Legends are HTML beside the canvas (ChartLegend.svelte): readable by everyone, and no text
      // measuring inside Chart.js on every streaming update.
      legend: { display: false },
      tooltip: {
        callbacks: {
          title: (items) => {
            const first = items[0];
            if (!first) return '';
            const t = first.parsed.x ?? 0;
            const x = first.chart.scales.x;
            // The day matters once the view spans more than one.
            return x && x.max - x.min > 86_400_000 ? `${dayLabel(t)} ${clock(t)}` : clock(t);
          },
        },
      },
    },
  };
}

/** Update durations (ms) of the latest chart redraws, for the benchmark (bounded). */
export const chartUpdateTimes: number[] = [];

/** Redraws a chart without animation and records how long it took. */
export function redraw<D extends { x: number; y: number | null }>(chart: Chart<'line', D[]>): void {
  const t0 = performance.now();
  chart.update('none');
  chartUpdateTimes.push(performance.now() - t0);
  if (chartUpdateTimes.length > 200) chartUpdateTimes.splice(0, chartUpdateTimes.length - 200);
}

/** The x range to show: the window ending at `now`, starting no earlier than the first bucket (a young monitor fills the chart). */
export function xRange(now: number, windowSec: number, firstBucket: number | undefined): { min: number; max: number } {
  const min = now - windowSec * 1000;
  return { min: firstBucket === undefined ? min : Math.min(now - 60_000, Math.max(min, firstBucket)), max: now };
}

/**
 * Schedules chart redraws: on the next animation frame (never while the page is hidden), and for long
 * windows at most once per `minIntervalMs` — a day's bucket spans minutes, so redrawing it every second
 * would change a pixel or two for the cost of a full chart. Returns the trigger and a cancel function.
 */
export function redrawScheduler(draw: () => void, minIntervalMs: () => number): { request: () => void; cancel: () => void } {
  let raf = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = -Infinity;
  const run = (): void => {
    raf = 0;
    last = performance.now();
    draw();
  };
  return {
    request(): void {
      if (raf || timer) return;
      const wait = last + minIntervalMs() - performance.now();
      if (wait <= 0) raf = requestAnimationFrame(run);
      else
        timer = setTimeout(() => {
          timer = undefined;
          raf = requestAnimationFrame(run);
        }, wait);
    },
    cancel(): void {
      cancelAnimationFrame(raf);
      clearTimeout(timer);
    },
  };
}

/** How often a chart of this bucket width needs redrawing: an eighth of a bucket, at most 15 s apart. */
export function minRedrawIntervalMs(bucketMs: number | undefined): number {
  return bucketMs === undefined ? 0 : Math.min(15_000, bucketMs / 8);
}
