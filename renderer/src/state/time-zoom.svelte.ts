// The time span every time chart of the page shows while the user has zoomed (null: the live window).
// One instance per page, so zooming one chart zooms them all (as in Grafana). Reactive for the zoom bar;
// the charts subscribe instead, so a zoom redraws them without re-creating them.

/** A span of time, epoch ms, from < to. */
export interface TimeSpan {
  from: number;
  to: number;
}

/** The shared zoom: a fixed span, or null for the live window. */
export class TimeZoom {
  span = $state.raw<TimeSpan | null>(null);
  // Plain on purpose: the subscribers are charts, not markup.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private readonly listeners = new Set<() => void>();

  /** Zooms every chart to [from, to]; an empty or reversed span is ignored. */
  zoomTo(span: TimeSpan): void {
    if (!(span.to > span.from) || !Number.isFinite(span.from) || !Number.isFinite(span.to)) return;
    this.span = { from: span.from, to: span.to };
    this.notify();
  }

  /** Back to the live window. */
  reset(): void {
    if (this.span === null) return;
    this.span = null;
    this.notify();
  }

  /** Calls listener after every change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
