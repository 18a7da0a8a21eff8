// Column arrays → Chart.js's internal point objects (parsing is off, so these are used as they are).

/** One plotted point (y null: a gap). */
export type Pt = { x: number; y: number | null };

/** Pairs x and y columns into {x, y} points; a null y stays null (Chart.js draws a gap). */
export function toPoints(x: number[], y: (number | null)[]): { x: number; y: number | null }[] {
  const out = new Array<{ x: number; y: number | null }>(x.length);
  for (let i = 0; i < x.length; i++) out[i] = { x: x[i]!, y: y[i] ?? null };
  return out;
}

/** The same columns scaled (e.g. ratio → percent). */
export function scaled(y: (number | null)[], factor: number): (number | null)[] {
  return y.map((v) => (v === null ? null : v * factor));
}
