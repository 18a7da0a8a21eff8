// Connection states over time: one stacked area per TCP state, fed by the history model's sample track.
import type { Attachment } from 'svelte/attachments';
import { ALL_TCP_STATES } from '../../../electron/common/tcp-state.js';
import { fieldIndex, plotColumns } from '../../../electron/common/history-frame.js';
import type { HistoryModel } from '../state/history-model.js';
import { Chart, baseOptions, chartColors, redraw, xRange } from './setup.js';
import { STATE_COLORS } from './palette.js';
import { toPoints, type Pt } from './points.js';

const FIELDS = ALL_TCP_STATES.map((s) => fieldIndex('sample', s));

/** Attaches a live stacked states chart to a canvas; `dark` only triggers a re-creation with new colours. */
export function statesChart(history: HistoryModel, windowSec: number, dark: boolean): Attachment<HTMLCanvasElement> {
  void dark;
  return (canvas) => {
    const colors = chartColors(canvas);
    const options = baseOptions(colors, 'sockets');
    options.scales!.y!.stacked = true;
    const chart = new Chart<'line', Pt[]>(canvas, {
      type: 'line',
      data: {
        datasets: ALL_TCP_STATES.map((name) => ({
          label: name,
          data: [],
          borderColor: STATE_COLORS[name],
          backgroundColor: STATE_COLORS[name] + 'b0',
          fill: 'stack',
        })),
      },
      options,
    });
    let raf = 0;
    const draw = (): void => {
      raf = 0;
      const s = history.sample;
      if (!s) return;
      const cols = plotColumns(s, FIELDS);
      for (let k = 0; k < FIELDS.length; k++) chart.data.datasets[k]!.data = toPoints(cols.x, cols.y[k]!);
      const r = xRange(history.now, windowSec, s.time[0]);
      const x = chart.options.scales!.x!;
      x.min = r.min;
      x.max = r.max;
      redraw(chart);
    };
    const off = history.onChange((track) => {
      if (track !== 'sample' && track !== 'all') return;
      if (!raf) raf = requestAnimationFrame(draw);
    });
    draw();
    return () => {
      off();
      cancelAnimationFrame(raf);
      chart.destroy();
    };
  };
}
