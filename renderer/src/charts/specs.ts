// The dashboard's three time charts, each a spec for lineChart(): series (and so legend), axis, and how a
// redraw fills the datasets.
import { ALL_TCP_STATES } from '../../../electron/common/tcp-state.js';
import { fieldIndex, plotColumns } from '../../../electron/common/history-frame.js';
import { formatPercent } from '../../../electron/common/format.js';
import { count } from '../format.js';
import type { ChartSpec, Pt } from './line-chart.js';
import { STATE_COLORS } from './palette.js';
import { scaled, toPoints } from './points.js';
import { stackColumns, type StackPt } from './stack.js';

const STATE_FIELDS = ALL_TCP_STATES.map((s) => fieldIndex('sample', s));

/** Sockets per TCP state over time, stacked. */
export function statesSpec(): ChartSpec<StackPt> {
  return {
    track: 'sample',
    yTitle: 'sockets',
    series: ALL_TCP_STATES.map((name) => ({ label: name, color: STATE_COLORS[name], area: true })),
    configure(options) {
      // Tooltips show each state's own count, not the top of its band.
      options.plugins!.tooltip!.callbacks!.label = (item) => `${item.dataset.label}: ${count((item.raw as StackPt).v)}`;
    },
    fill(datasets, { frame }) {
      // Stacked here (stack.ts), each area filling down to the band below it: Chart.js's own stacking
      // and its 'stack' fill mode search the other datasets for every point, far too slow for a day.
      const cols = plotColumns(frame, STATE_FIELDS);
      const st = stackColumns(cols.x, cols.y);
      for (let k = 0; k < STATE_FIELDS.length; k++) {
        datasets[k]!.data = st.data[k]!;
        datasets[k]!.fill = st.fill[k]!;
      }
    },
  };
}

const USE_FIELDS = [fieldIndex('sample', 'worstUtilization'), fieldIndex('sample', 'globalUtilization')];

/** The worst destination's and the global use in percent, with the user's warning and critical thresholds. */
export function useSpec(thresholds: { warning: number; critical: number }): ChartSpec {
  const { warning, critical } = thresholds;
  return {
    track: 'sample',
    yTitle: '% of usable ports',
    series: [
      { label: 'Worst destination', color: 'var(--sev-critical)', width: 2 },
      { label: 'Global (held from everyone)', color: 'var(--muted)' },
      { label: `Warning ${formatPercent(warning)}`, color: 'var(--sev-warning)', dashed: true },
      { label: `Critical ${formatPercent(critical)}`, color: 'var(--sev-exhausted)', dashed: true },
    ],
    configure(options) {
      options.scales!.y!.suggestedMax = 100;
    },
    fill(datasets, { frame, x0, x1 }) {
      const cols = plotColumns(frame, USE_FIELDS);
      datasets[0]!.data = toPoints(cols.x, scaled(cols.y[0]!, 100));
      datasets[1]!.data = toPoints(cols.x, scaled(cols.y[1]!, 100));
      datasets[2]!.data = [{ x: x0, y: warning * 100 }, { x: x1, y: warning * 100 }];
      datasets[3]!.data = [{ x: x0, y: critical * 100 }, { x: x1, y: critical * 100 }];
    },
  };
}

const RATE_FIELDS = [fieldIndex('tick', 'newConnectionsPerSec')];

/** New connections per second (1 Hz ticks) against what one destination can sustain (read at each redraw). */
export function rateSpec(sustainable: () => number | null): ChartSpec {
  return {
    track: 'tick',
    yTitle: 'connections/s',
    series: [
      { label: 'New connections/s', color: '#2f7ed8', area: true },
      { label: 'Sustainable per destination (when within reach)', color: 'var(--sev-warning)', dashed: true },
    ],
    fill(datasets, { frame, x0, x1 }) {
      const cols = plotColumns(frame, RATE_FIELDS);
      datasets[0]!.data = toPoints(cols.x, cols.y[0]!);
      const sus = sustainable();
      let peak = 0;
      for (const v of cols.y[0]!) if (v !== null && v > peak) peak = v;
      // The sustainable rate is drawn when it is within reach; far above, it would flatten the real curve.
      const near = sus !== null && sus <= Math.max(peak, 1) * 3;
      datasets[1]!.data = near ? ([{ x: x0, y: sus }, { x: x1, y: sus }] satisfies Pt[]) : [];
    },
  };
}
