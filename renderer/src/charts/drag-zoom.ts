// Drag to zoom on a time chart: pressing inside the plot and dragging sideways draws the selected span;
// releasing hands that span (epoch ms) to onZoom. A press that moves less than MIN_DRAG_PX is a click and
// zooms nothing. While a drag is on, the chart's x axis holds still (heldRange, read by the chart's redraw),
// so the selection stays on the moments under the pointer even as new samples arrive. Pointer events on the canvas, not Chart.js
// events: Chart.js does not report presses and releases with the options the dashboard uses.
import type { Chart, Plugin } from 'chart.js';
import type { TimeSpan } from '../state/time-zoom.svelte.js';

/** The smallest drag that zooms (CSS pixels); anything shorter is a click. */
export const MIN_DRAG_PX = 5;

/** Where the x axis is drawn (CSS pixels) and the times at its two ends (epoch ms). */
export interface AxisGeometry {
  left: number;
  right: number;
  min: number;
  max: number;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** The time at pixel px of the axis (clamped to the plot). */
export function timeAtPixel(px: number, g: AxisGeometry): number {
  if (g.right <= g.left) return g.min;
  return g.min + ((clamp(px, g.left, g.right) - g.left) / (g.right - g.left)) * (g.max - g.min);
}

/** The pixels a drag from startPx to endPx covers inside the plot, left to right. */
export function dragPixels(startPx: number, endPx: number, g: AxisGeometry): { left: number; right: number } {
  return { left: clamp(Math.min(startPx, endPx), g.left, g.right), right: clamp(Math.max(startPx, endPx), g.left, g.right) };
}

/** The span a drag selects, or null when it is a click (under MIN_DRAG_PX inside the plot). */
export function dragSpan(startPx: number, endPx: number, g: AxisGeometry): TimeSpan | null {
  const px = dragPixels(startPx, endPx, g);
  if (px.right - px.left < MIN_DRAG_PX) return null;
  const from = timeAtPixel(px.left, g);
  const to = timeAtPixel(px.right, g);
  return to > from ? { from, to } : null;
}

interface Drag {
  startPx: number;
  endPx: number;
  pointerId: number;
  /** The x axis at the press, kept until the release. */
  held: { min: number; max: number };
}

const drags = new WeakMap<Chart, Drag>();
const detachers = new WeakMap<Chart, () => void>();

/** The x range to keep while the user drags across this chart (the range at the press), else null. */
export function heldRange(chart: Chart): { min: number; max: number } | null {
  return drags.get(chart)?.held ?? null;
}

/** Ends a drag in progress on this chart without zooming (Escape); false when there was none. */
export function cancelDrag(chart: Chart): boolean {
  const d = drags.get(chart);
  if (!d) return false;
  drags.delete(chart);
  chart.canvas.releasePointerCapture?.(d.pointerId);
  chart.draw();
  return true;
}

function geometry(chart: Chart): AxisGeometry | null {
  const x = chart.scales.x;
  if (!x) return null;
  return { left: x.left, right: x.right, min: x.min, max: x.max };
}

/**
 * The Chart.js plugin: listens for pointer presses on the canvas, draws the selection over the datasets,
 * and writes where the x axis is (data-x-min, data-x-max in epoch ms, data-plot-left, data-plot-right in
 * CSS pixels) on the canvas after every draw, for tests and tools.
 */
export function dragZoomPlugin(onZoom: (span: TimeSpan) => void): Plugin<'line'> {
  return {
    id: 'portwatchDragZoom',
    afterInit(chart) {
      const canvas = chart.canvas;
      const pxOf = (e: PointerEvent): { x: number; y: number } => {
        const r = canvas.getBoundingClientRect();
        return { x: e.clientX - r.left, y: e.clientY - r.top };
      };
      const down = (e: PointerEvent): void => {
        if (e.button !== 0 || !e.isPrimary) return;
        const a = chart.chartArea;
        const p = pxOf(e);
        if (!a || p.x < a.left || p.x > a.right || p.y < a.top || p.y > a.bottom) return;
        const g = geometry(chart);
        if (!g) return;
        drags.set(chart, { startPx: p.x, endPx: p.x, pointerId: e.pointerId, held: { min: g.min, max: g.max } });
        canvas.setPointerCapture?.(e.pointerId);
      };
      const move = (e: PointerEvent): void => {
        const d = drags.get(chart);
        if (!d || d.pointerId !== e.pointerId) return;
        d.endPx = pxOf(e).x;
        chart.draw();
      };
      const up = (e: PointerEvent): void => {
        const d = drags.get(chart);
        if (!d || d.pointerId !== e.pointerId) return;
        d.endPx = pxOf(e).x;
        const g = geometry(chart);
        drags.delete(chart);
        chart.draw();
        const span = g ? dragSpan(d.startPx, d.endPx, g) : null;
        if (span) onZoom(span);
      };
      const cancel = (): void => {
        if (drags.delete(chart)) chart.draw();
      };
      // Horizontal drags are ours on touch screens too; vertical ones still scroll the page.
      canvas.style.touchAction = 'pan-y';
      canvas.addEventListener('pointerdown', down);
      canvas.addEventListener('pointermove', move);
      canvas.addEventListener('pointerup', up);
      canvas.addEventListener('pointercancel', cancel);
      canvas.addEventListener('lostpointercapture', cancel);
      detachers.set(chart, () => {
        canvas.removeEventListener('pointerdown', down);
        canvas.removeEventListener('pointermove', move);
        canvas.removeEventListener('pointerup', up);
        canvas.removeEventListener('pointercancel', cancel);
        canvas.removeEventListener('lostpointercapture', cancel);
      });
    },
    afterDatasetsDraw(chart) {
      const d = drags.get(chart);
      const g = geometry(chart);
      const a = chart.chartArea;
      if (!d || !g || !a) return;
      const px = dragPixels(d.startPx, d.endPx, g);
      if (px.right - px.left < 1) return;
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = getComputedStyle(chart.canvas).getPropertyValue('--accent').trim() || '#2463c9';
      ctx.globalAlpha = 0.18;
      ctx.fillRect(px.left, a.top, px.right - px.left, a.bottom - a.top);
      ctx.globalAlpha = 0.9;
      ctx.fillRect(px.left, a.top, 1, a.bottom - a.top);
      ctx.fillRect(px.right - 1, a.top, 1, a.bottom - a.top);
      ctx.restore();
    },
    afterDraw(chart) {
      const g = geometry(chart);
      if (!g) return;
      const ds = chart.canvas.dataset;
      ds.xMin = String(g.min);
      ds.xMax = String(g.max);
      ds.plotLeft = String(g.left);
      ds.plotRight = String(g.right);
    },
    beforeDestroy(chart) {
      detachers.get(chart)?.();
      detachers.delete(chart);
      drags.delete(chart);
    },
  };
}
