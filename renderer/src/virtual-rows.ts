// The window of rows a virtualised list renders: only those in view, whatever the row count. Browsers cap
// an element's height (Chromium near 33.5 million px), so past MAX_SCROLL_PX the scroll range is scaled:
// the scrollbar's position picks the row by proportion, and its end is always the last row. Pure.

/** The tallest scroll area the list creates. */
export const MAX_SCROLL_PX = 8_000_000;

/** Height of the scroll area for `rows` rows (at least the viewport, so the end is reachable). */
export function scrollAreaPx(rows: number, rowPx: number, viewportPx: number): number {
  return Math.max(viewportPx, Math.min(rows * rowPx, MAX_SCROLL_PX));
}

/** Rows that fit in the body of the viewport (under a header of headerPx). */
export function visibleRowCount(viewportPx: number, headerPx: number, rowPx: number): number {
  return Math.max(1, Math.floor((viewportPx - headerPx) / rowPx));
}

/** The first row to render for a scroll position. */
export function firstRow(scrollTop: number, rows: number, visible: number, rowPx: number, viewportPx: number): number {
  const lastFirst = Math.max(0, rows - visible);
  if (lastFirst === 0) return 0;
  const travel = scrollAreaPx(rows, rowPx, viewportPx) - viewportPx;
  if (travel <= 0) return 0;
  const scaled = rows * rowPx > MAX_SCROLL_PX;
  const row = scaled ? Math.round((scrollTop / travel) * lastFirst) : Math.floor(scrollTop / rowPx);
  return Math.min(lastFirst, Math.max(0, row));
}
