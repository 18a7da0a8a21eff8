// The dashboard answers "what is wrong" from the engine's own judgement: colours from each destination's
// severity and the sample's thresholds, legends from the chart series, diagnosis cards collapsed to their
// first line, the severity reason whole, and a stale page said to be stale.
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import DestinationsTable from '../../renderer/src/components/DestinationsTable.svelte';
import RangeUse from '../../renderer/src/components/RangeUse.svelte';
import Diagnoses from '../../renderer/src/components/Diagnoses.svelte';
import Header from '../../renderer/src/components/Header.svelte';
import { rateSpec, statesSpec, useSpec } from '../../renderer/src/charts/specs.js';
import { ALL_TCP_STATES } from '../../electron/common/tcp-state.js';
import { makeDestination, makeSample } from '../node/service/make-sample.js';

let mounted: Record<string, unknown>[] = [];
function render<P extends Record<string, unknown>>(component: unknown, props: P): HTMLElement {
  const target = document.createElement('div');
  document.body.appendChild(target);
  mounted.push(mount(component as never, { target, props }) as Record<string, unknown>);
  flushSync();
  return target;
}
afterEach(() => {
  for (const m of mounted) unmount(m);
  mounted = [];
  document.body.innerHTML = '';
});

const meterSeverity = (el: Element) => [...el.classList].find((c) => c.startsWith('sev-'));

describe('colours from the engine, not the default thresholds', () => {
  it('colours a destination by the severity the engine gave it', () => {
    // 50 % use is "ok" by the defaults (70 %), but the user's thresholds made it critical.
    const d = makeDestination(500, 1000, { severity: 'critical' });
    const el = render(DestinationsTable, { destinations: [d], total: 1, filter: '' });
    expect(meterSeverity(el.querySelector('[role="meter"]')!)).toBe('sev-critical');
  });

  it('falls back to the sample thresholds for a capture without per-destination levels', () => {
    const d = makeDestination(500, 1000);
    const sample = makeSample(1, 1, { worst: d, destinations: [d], thresholds: { warning: 0.3, critical: 0.45 } });
    const el = render(RangeUse, { sample });
    expect(meterSeverity(el.querySelector('[data-testid="worst-use"] [role="meter"]')!)).toBe('sev-critical');
  });

  it('names the user thresholds in the use chart legend', () => {
    const spec = useSpec({ warning: 0.6, critical: 0.85 });
    expect(spec.series.map((s) => s.label)).toEqual(['Worst destination', 'Global (held from everyone)', 'Warning 60 %', 'Critical 85 %']);
  });

  it('builds every legend from the same series the chart draws', () => {
    expect(statesSpec().series.map((s) => s.label)).toEqual([...ALL_TCP_STATES]);
    expect(rateSpec(() => null).series).toHaveLength(2);
  });
});

describe('what is wrong, first and whole', () => {
  it('collapses each diagnosis to its title and first sentence, opening on demand', () => {
    const el = render(Diagnoses, {
      diagnoses: [{ id: 'x', severity: 'warning', title: 'Churn', summary: 'One connection per request.', evidence: ['27,000 TIME-WAIT'], recommendations: [] }],
    });
    const card = el.querySelector('details[data-testid="diagnosis"]') as HTMLDetailsElement;
    expect(card.open).toBe(false);
    expect(card.querySelector('summary')!.textContent).toContain('Churn');
    expect(card.querySelector('summary')!.textContent).toContain('One connection per request.');
    expect(card.querySelector('summary')!.textContent).not.toContain('27,000');
  });

  it('never cuts the severity reason, and says since when the monitor is gone', () => {
    const reason = 'the worst destination 10.0.0.2:8080 uses 78 % of usable ports and will run out in about 3 min at the current rate of new connections';
    const el = render(Header, {
      info: null,
      sample: makeSample(1, 1, { severity: 'warning', severityReason: reason }),
      connection: 'closed',
      disconnectedSince: new Date(2026, 0, 1, 14, 3, 7).getTime(),
      windowSec: 300,
      onWindow: () => {},
    });
    const r = el.querySelector('[data-testid="severity-reason"]') as HTMLElement;
    expect(r.textContent).toBe(reason);
    expect(getComputedStyle(r).textOverflow).not.toBe('ellipsis');
    expect(el.querySelector('[data-testid="connection"]')!.textContent).toContain('disconnected since 14:03:07');
  });
});
