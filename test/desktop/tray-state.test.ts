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

  it('names the last episode in the tooltip (short) and the menu (with its peak), ongoing or ended', () => {
    const ended = { id: 'e1', start: T - 120_000, end: T - 60_000, lastSeen: T - 60_000, peakSeverity: 'critical' as const, peakTime: T - 100_000, peakUtilization: 1, worstDestination: '127.0.0.1:8080', cause: 'Exhausted' };
    const s = trayState({ ...base, sample: severitySample(T - 1000, 'ok', 0.1), lastEpisode: ended });
    expect(s.episodeLine).toMatch(/^Last episode: critical at \d\d:\d\d:\d\d for 60 s, peak 100 % toward 127\.0\.0\.1:8080$/);
    expect(s.tooltip.split('\n')).toEqual(['Portwatch — ok', expect.stringContaining('10.0.3.7:5432'), expect.stringMatching(/^Last episode: critical at \d\d:\d\d:\d\d, 60 s$/)]);
    const going = trayState({ ...base, sample: severitySample(T - 1000, 'warning', 0.8), lastEpisode: { ...ended, end: null, peakSeverity: 'warning', worstDestination: null, peakUtilization: 0.8 } });
    expect(going.episodeLine).toMatch(/^Episode going on: warning since \d\d:\d\d:\d\d, peak 80 % of the range$/);
    expect(going.tooltip).toMatch(/\nEpisode going on: warning since \d\d:\d\d:\d\d$/);
    // an old episode carries its date; none: no line
    expect(trayState({ ...base, lastEpisode: { ...ended, start: T - 3 * 86_400_000 } }).episodeLine).toMatch(/at \d{4}-\d\d-\d\d \d\d:\d\d for /);
    expect(trayState({ ...base, sample: severitySample(T, 'ok', 0.1) }).episodeLine).toBeNull();
  });

  it('keeps the episode in a full tooltip and drops the attribution note first', () => {
    const e = { id: 'e1', start: T - 120_000, end: null, lastSeen: T, peakSeverity: 'exhausted' as const, peakTime: T, peakUtilization: 1, worstDestination: '[2001:db8::1]:443', cause: 'x' };
    const s = trayState({ ...base, sample: severitySample(T, 'exhausted', 1, 0), lastEpisode: e, attributionNote: 'Owners: your processes only (not root)' });
    expect(s.tooltip.length).toBeLessThanOrEqual(TOOLTIP_MAX_CHARS);
    expect(s.tooltip).toContain('Episode going on: exhausted since');
    expect(s.tooltip).not.toContain('Owners');
  });
});
