// Range use over time: the worst destination's and the global utilization, in percent of usable capacity,
// with the warning and critical thresholds drawn as dashed lines.
import { untrack } from 'svelte';
import type { Attachment } from 'svelte/attachments';
import { fieldIndex, plotColumns } from '../../../electron/common/history-frame.js';
import { DEFAULT_ANALYSIS_CONFIG } from '../../../electron/common/config.js';
import type { HistoryModel } from '../state/history-model.js';
import { Chart, baseOptions, chartColors, redraw, redrawScheduler, minRedrawIntervalMs, xRange } from './setup.js';
import { severityColor } from './palette.js';
import { scaled, toPoints, type Pt } from './points.js';

const FIELDS = [fieldIndex('sample', 'worstUtilization'), fieldIndex('sample', 'globalUtilization')];

/** Attaches a live utilization chart to a canvas. */
export function useChart(history: HistoryModel, windowSec: number, dark: boolean): Attachment<HTMLCanvasElement> {
  void dark;
  return (canvas) => {
    const colors = chartColors(canvas);
    const options = baseOptions(colors, '% of usable ports');
    options.scales!.y!.suggestedMax = 100;
    const { warning, critical } = DEFAULT_ANALYSIS_CONFIG.thresholds;
    const chart = new Chart<'line', Pt[]>(canvas, {
      type: 'line',
      data: {
        datasets: [
          { label: 'Worst destination', data: [], borderColor: severityColor(canvas, 'critical'), backgroundColor: 'transparent', borderWidth: 2 },
          { label: 'Global (bind-held)', data: [], borderColor: colors.muted, backgroundColor: 'transparent' },
          { label: `Warning ${warning * 100} %`, data: [], borderColor: severityColor(canvas, 'warning'), borderDash: [4, 4], borderWidth: 1 },
          { label: `Critical ${critical * 100} %`, data: [], borderColor: severityColor(canvas, 'exhausted'), borderDash: [4, 4], borderWidth: 1 },
        ],
      },
      options,
    });
    const draw = (): void => {
      const s = history.sample;
      if (!s) return;
      const cols = plotColumns(s, FIELDS);
      chart.data.datasets[0]!.data = toPoints(cols.x, scaled(cols.y[0]!, 100));
      chart.data.datasets[1]!.data = toPoints(cols.x, scaled(cols.y[1]!, 100));
      const { min: x0 } = xRange(history.now, windowSec, s.time[0]);
      chart.data.datasets[2]!.data = [{ x: x0, y: warning * 100 }, { x: history.now, y: warning * 100 }];
      chart.data.datasets[3]!.data = [{ x: x0, y: critical * 100 }, { x: history.now, y: critical * 100 }];
      chart.options.scales!.x!.min = x0;
      chart.options.scales!.x!.max = history.now;
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
