// New connections per second (1 Hz ticks) against what one destination can sustain.
import { untrack } from 'svelte';
import type { Attachment } from 'svelte/attachments';
import { fieldIndex, plotColumns } from '../../../electron/common/history-frame.js';
import type { HistoryModel } from '../state/history-model.js';
import { Chart, baseOptions, chartColors, redraw, redrawScheduler, minRedrawIntervalMs, xRange } from './setup.js';
import { severityColor } from './palette.js';
import { toPoints, type Pt } from './points.js';

const RATE = [fieldIndex('tick', 'newConnectionsPerSec')];

/** Attaches a live rate chart; `sustainable` is read at each redraw (the latest sample's figure). */
export function rateChart(history: HistoryModel, windowSec: number, dark: boolean, sustainable: () => number | null): Attachment<HTMLCanvasElement> {
  void dark;
  return (canvas) => {
    const colors = chartColors(canvas);
    const options = baseOptions(colors, 'connections/s');
    const chart = new Chart<'line', Pt[]>(canvas, {
      type: 'line',
      data: {
        datasets: [
          { label: 'New connections/s', data: [], borderColor: '#2f7ed8', backgroundColor: '#2f7ed840', fill: 'origin' },
          { label: 'Sustainable per destination', data: [], borderColor: severityColor(canvas, 'warning'), borderDash: [4, 4], borderWidth: 1 },
        ],
      },
      options,
    });
    const draw = (): void => {
      const t = history.tick;
      if (!t) return;
      const cols = plotColumns(t, RATE);
      chart.data.datasets[0]!.data = toPoints(cols.x, cols.y[0]!);
      const { min: x0 } = xRange(history.now, windowSec, t.time[0]);
      const sus = sustainable();
      let peak = 0;
      for (const v of cols.y[0]!) if (v !== null && v > peak) peak = v;
      // The sustainable rate is drawn when it is within reach; far above, it would flatten the real curve.
      const near = sus !== null && sus <= Math.max(peak, 1) * 3;
      chart.data.datasets[1]!.data = near ? [{ x: x0, y: sus }, { x: history.now, y: sus }] : [];
      chart.options.scales!.x!.min = x0;
      chart.options.scales!.x!.max = history.now;
      redraw(chart);
    };
    const scheduler = redrawScheduler(draw, () => minRedrawIntervalMs(history.tick?.bucketMs));
    const off = history.onChange((track) => {
      if (track === 'all') untrack(draw); // a new window: draw it at once
      else if (track === 'tick') scheduler.request();
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
