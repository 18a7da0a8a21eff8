// Stacking done once here instead of inside Chart.js (whose stacking looks up every dataset for every
// point): cumulative columns, each point keeping its own value for the tooltip. States that are zero over
// the whole window get no points at all, so nothing is drawn for them (they stay in the legend).

/** A plotted point of a stacked series: y is the top of its band, v its own value (null: a gap). */
export type StackPt = { x: number; y: number | null; v: number | null };

/** Stacked series and, for each, the dataset index its area fills down to ('origin' for the lowest). */
export interface Stacked {
  data: StackPt[][];
  fill: (number | 'origin')[];
}

/** Stacks per-series columns in order; a gap in any series is a gap in every series above it. */
export function stackColumns(x: readonly number[], ys: readonly (readonly (number | null)[])[]): Stacked {
  const n = x.length;
  const sum = new Float64Array(n);
  const gap = new Uint8Array(n);
  const data: StackPt[][] = [];
  const fill: (number | 'origin')[] = [];
  let below: number | 'origin' = 'origin';
  ys.forEach((y, k) => {
    let any = false;
    for (let i = 0; i < n; i++) {
      const v = y[i];
      if (v === null || v === undefined) gap[i] = 1;
      else if (v !== 0) any = true;
    }
    if (!any) {
      data.push([]);
      fill.push('origin');
      return;
    }
    const pts = new Array<StackPt>(n);
    for (let i = 0; i < n; i++) {
      const v = y[i] ?? null;
      if (gap[i] || v === null) {
        pts[i] = { x: x[i]!, y: null, v: null };
        continue;
      }
      sum[i]! += v;
      pts[i] = { x: x[i]!, y: sum[i]!, v };
    }
    data.push(pts);
    fill.push(below);
    below = k;
  });
  return { data, fill };
}
