import { describe, expect, it } from 'vitest';
import { destinationUseText, pressureCause, pressureLine, timeLeftText } from '../../electron/desktop/severity-text.js';
import { withConnectFailures } from '../../electron/common/connect-failures.js';
import { makeDestination, makeSample } from '../node/service/make-sample.js';
import { severitySample } from '../desktop/samples.js';

describe('severity text', () => {
  it('says what and where as the issue shows it', () => {
    expect(pressureLine(severitySample(0, 'critical', 0.96, 240))).toBe('10.0.3.7:5432 — 96 % of ports in use, about 4 min left');
  });

  it('says "no port left" at full use, and nothing about time when no trend predicts exhaustion', () => {
    expect(timeLeftText(1, 0)).toBe('no port left');
    expect(timeLeftText(1.2, null)).toBe('no port left');
    expect(timeLeftText(0.5, null)).toBe('');
    expect(timeLeftText(0.5, -3)).toBe('');
    expect(timeLeftText(0.5, Number.NaN)).toBe('');
    expect(timeLeftText(0.5, 45)).toBe('about 45 s left');
    expect(destinationUseText({ utilization: 0.004, timeToExhaustionSec: null })).toBe('0.4 % of ports in use');
  });

  it('brackets IPv6 destinations', () => {
    const d = makeDestination(10, 100, { remoteAddress: 'fd00::7', remotePort: 443 });
    expect(pressureCause(makeSample(0, 10, { worst: d }))?.where).toBe('[fd00::7]:443');
  });

  it('blames ports held for every destination when they take a larger share than the worst destination', () => {
    const s = makeSample(0, 10, { global: { distinctPortsInUse: 10, exclusivelyHeld: 900, utilization: 0.9, bindBeforeConnectEvidence: true } });
    expect(pressureCause(s)).toEqual({ where: 'all destinations', what: '90 % of the range held by listening and bound sockets', destinationKey: null });
  });

  it('falls back to the sample\'s own reason when there is neither a destination nor global pressure', () => {
    const s = makeSample(0, 0, { worst: null, severityReason: 'No outbound connection uses the ephemeral range.' });
    expect(pressureCause(s)).toBeNull();
    expect(pressureLine(s)).toBe('No outbound connection uses the ephemeral range.');
  });
});

describe('pressureCause with connects the kernel refused', () => {
  it('names the failed destination and the process before anything the table suggests, and links the destination when listed', () => {
    const t = 1_700_000_000_000;
    const dest = makeDestination(10, 1000, { remoteAddress: '10.0.3.7', remotePort: 8080 });
    const other = makeDestination(900, 1000, { remoteAddress: '10.0.0.9', remotePort: 443 });
    const s = withConnectFailures(makeSample(t, 10, { destinations: [other, dest], worst: other }), [
      { pid: 812, name: 'nginx', netns: 1, syscall: 'connect', remoteAddress: '10.0.3.7', remotePort: 8080, errno: 99, count: 3000, recentCount: 1, firstSeen: t, lastSeen: t },
    ], t, 1);
    expect(pressureCause(s)).toEqual({ where: '10.0.3.7:8080', what: 'nginx (pid 812): 1 connect failed in the last minute (EADDRNOTAVAIL)', destinationKey: dest.key });
    expect(pressureLine(withConnectFailures(makeSample(t + 120_000, 10, { destinations: [other], worst: other }), s.connectFailures!, t + 120_000, 1))).toMatch(/^10\.0\.0\.9:443/);
  });
});
