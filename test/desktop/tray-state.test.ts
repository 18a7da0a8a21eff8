import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitTooltip, STALE_AFTER_MS, TOOLTIP_MAX_CHARS, trayState, type TrayInput } from '../../electron/desktop/tray-state.js';
import { severitySample } from '../desktop/samples.js';

const T = 1_700_000_000_000;
const base: TrayInput = { sample: null, paused: false, monitorProblem: null, attributionNote: null, now: T };

describe('tray state', () => {
  it.each(['ok', 'warning', 'critical', 'exhausted'] as const)('shows the %s icon for a fresh %s sample', (sev) => {
    const s = trayState({ ...base, sample: severitySample(T - 1000, sev, 0.5) });
    expect(s.icon).toBe(sev);
    expect(s.severity).toBe(sev);
  });

  it('shows "unknown" before the first sample, for a stale sample and when the monitor fails; "paused" when paused', () => {
    expect(trayState(base).icon).toBe('unknown');
    const stale = trayState({ ...base, sample: severitySample(T - STALE_AFTER_MS - 1, 'critical', 0.95) });
    expect(stale).toMatchObject({ icon: 'unknown', severity: 'unknown', statusLine: 'No reading for 3 min' });
    expect(trayState({ ...base, sample: severitySample(T, 'ok', 0.1), monitorProblem: 'the monitor process ended' }).statusLine).toBe('Not monitoring: the monitor process ended');
    expect(trayState({ ...base, sample: severitySample(T, 'critical', 0.95), paused: true })).toMatchObject({ icon: 'paused', severity: 'unknown' });
  });

  it('shows a sample that could not judge severity with its reason', () => {
    const s = severitySample(T, 'unknown', 0);
    s.severityReason = 'No socket source could be read.';
    expect(trayState({ ...base, sample: s }).tooltip).toBe('Portwatch — no reading\nNo socket source could be read.');
  });

  it('keeps every tooltip within what Windows shows, dropping the attribution note before shortening', () => {
    const long = 'x'.repeat(100);
    expect(fitTooltip(['Portwatch — ok', long, 'Owners: your processes only (not root)'])).toBe(`Portwatch — ok\n${long}`);
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 300 }), { minLength: 1, maxLength: 4 }), (lines) => {
        expect(fitTooltip(lines).length).toBeLessThanOrEqual(TOOLTIP_MAX_CHARS);
      }),
    );
  });
});
