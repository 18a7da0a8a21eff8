// Connection states over time: one stacked area per TCP state, fed by the history model's sample track.
import { untrack } from 'svelte';
import type { Attachment } from 'svelte/attachments';
import { ALL_TCP_STATES } from '../../../electron/common/tcp-state.js';
import { fieldIndex, plotColumns } from '../../../electron/common/history-frame.js';
import type { HistoryModel } from '../state/history-model.js';
import { Chart, baseOptions, chartColors, redraw, redrawScheduler, minRedrawIntervalMs, xRange } from './setup.js';
import { STATE_COLORS } from './palette.js';
import { stackColumns, type StackPt } from './stack.js';

const FIELDS = ALL_TCP_STATES.map((s) => fieldIndex('sample', s));

/** Attaches a live stacked states chart to a canvas; `dark` only triggers a re-creation with new colours. */
export function statesChart(history: HistoryModel, windowSec: number, dark: boolean): Attachment<HTMLCanvasElement> {
  void dark;
  return (canvas) => {
    const colors = chartColors(canvas);
    const options = baseOptions(colors, 'sockets');
    // Tooltips show each state's own count, not the top of its band.
    options.plugins!.tooltip!.callbacks!.label = (item) => `${item.dataset.label}: ${(item.raw as StackPt).v ?? '—'}`;
    const chart = new Chart<'line', StackPt[]>(canvas, {
      type: 'line',
      data: {
        // Stacked here (stack.ts), each area filling down to the band below it: Chart.js's own stacking
        // and its 'stack' fill mode search the other datasets for every point, far too slow for a day.
        datasets: ALL_TCP_STATES.map((name) => ({
          label: name,
          data: [],
          borderColor: STATE_COLORS[name],
          backgroundColor: STATE_COLORS[name] + 'b0',
          fill: 'origin' as number | 'origin',
        })),
      },
      options,
    });
    const draw = (): void => {
      const s = history.sample;
      if (!s) return;
      const cols = plotColumns(s, FIELDS);
      const st = stackColumns(cols.x, cols.y);
      for (let k = 0; k < FIELDS.length; k++) {
        const ds = chart.data.datasets[k]!;
        ds.data = st.data[k]!;
        ds.fill = st.fill[k]!;
      }
      const r = xRange(history.now, windowSec, s.time[0]);
      const x = chart.options.scales!.x!;
      x.min = r.min;
      x.max = r.max;
      redraw(chart);
    };
    const scheduler = redrawScheduler(draw, () => minRedrawIntervalMs(history.sample?.bucketMs));
    const off = history.onChange((track) => {
      if (track === 'all') untrack(draw); // a new window: draw it at once
      else if (track === 'sample') scheduler.request();
    });
    // Untracked: what the first draw reads (e.g. the latest sample) must not make Svelte re-create the chart.
    untrack(draw);
    return () => {
      off();
      scheduler.cancel();
      chart.destroy();
    };
  };
}
