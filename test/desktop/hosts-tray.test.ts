import { describe, expect, it } from 'vitest';
import { hostMenuLine, hostStatusLine, hostTrayState, trayStateWithHosts } from '../../electron/desktop/hosts-tray.js';
import type { TrayInput } from '../../electron/desktop/tray-state.js';
import { severitySample } from '../desktop/samples.js';

const T = 1_700_000_000_000;
const local = (over: Partial<TrayInput> = {}): TrayInput => ({ sample: severitySample(T - 1000, 'ok', 0.1), paused: false, monitorProblem: null, attributionNote: null, now: T, ...over });
const unreachable = () => {
  const s = severitySample(T - 1000, 'unknown', 0);
  s.severityReason = 'Unreachable since 2023-11-14 22:13:19 UTC: root@10.1.1.2: ssh: connect to host 10.1.1.2 port 22: No route to host';
  return s;
};

describe('tray with remote hosts', () => {
  it('is the plain tray without hosts', () => {
    expect(trayStateWithHosts(local(), [])).toEqual(hostTrayState({ label: 'x', sample: local().sample }, T));
  });

  it('shows the worst host and names it', () => {
    const s = trayStateWithHosts(local(), [
      { label: 'lb1', sample: severitySample(T - 1000, 'warning', 0.75) },
      { label: 'ops@lb2:2222', sample: severitySample(T - 1000, 'critical', 0.96, 240) },
      { label: 'lb3', sample: unreachable() },
    ]);
    expect(s.icon).toBe('critical');
    expect(s.severity).toBe('critical');
    expect(s.statusLine).toBe('Critical on ops@lb2:2222: 10.0.3.7:5432 — 96 % of ports in use, about 4 min left');
    expect(s.tooltip).toBe('Portwatch — critical on ops@lb2:2222\n10.0.3.7:5432 — 96 % of ports in use, about 4 min left\n3 of 3 hosts not ok');
  });

  it('shows an unreachable host as "unknown: unreachable since …", never ok, above ok ones', () => {
    const s = trayStateWithHosts(local(), [{ label: 'lb1', sample: severitySample(T - 1000, 'ok', 0.1) }, { label: 'root@10.1.1.2', sample: unreachable() }]);
    expect(s.icon).toBe('unknown');
    expect(s.statusLine).toBe('root@10.1.1.2 unknown: Unreachable since 2023-11-14 22:13:19 UTC: root@10.1.1.2: ssh: connect to host 10.1.1.2 port 22: No route to host');
    expect(s.tooltip.split('\n')[0]).toBe('Portwatch — no reading on root@10.1.1.2');
    // A host with no reading yet, or a stale one, is not ok either.
    expect(trayStateWithHosts(local(), [{ label: 'lb1', sample: null }]).statusLine).toBe('lb1 unknown: Waiting for the first reading');
    expect(trayStateWithHosts(local(), [{ label: 'lb1', sample: severitySample(T - 10 * 60_000, 'ok', 0.1) }]).statusLine).toBe('lb1 unknown: No reading for 10 min');
    expect(trayStateWithHosts(local(), [{ label: 'lb1', sample: null, problem: '/tmp/c: is open to other users (mode 777); it must be 700' }]).statusLine).toBe('lb1 unknown: Not monitoring: /tmp/c: is open to other users (mode 777); it must be 700');
  });

  it('keeps this computer when it is the worst, or tied, and counts the hosts', () => {
    const own = trayStateWithHosts(local({ sample: severitySample(T - 1000, 'exhausted', 1) }), [{ label: 'lb1', sample: severitySample(T - 1000, 'exhausted', 1) }]);
    expect(own.statusLine).toBe('Exhausted: 10.0.3.7:5432 — 100 % of ports in use, no port left');
    expect(own.tooltip).toBe('Portwatch — exhausted\n10.0.3.7:5432 — 100 % of ports in use, no port left\n1 of 1 host not ok');
    const allOk = trayStateWithHosts(local(), [{ label: 'lb1', sample: severitySample(T - 1000, 'ok', 0.1) }, { label: 'lb2', sample: severitySample(T - 1000, 'ok', 0.2) }]);
    expect(allOk.icon).toBe('ok');
    expect(allOk.tooltip.split('\n')[2]).toBe('2 hosts ok');
    // Paused here: an unreachable host still shows through; an ok one does not.
    expect(trayStateWithHosts(local({ paused: true }), [{ label: 'lb1', sample: unreachable() }]).icon).toBe('unknown');
    expect(trayStateWithHosts(local({ paused: true }), [{ label: 'lb1', sample: severitySample(T - 1000, 'ok', 0.1) }]).icon).toBe('paused');
  });

  it('says each host\'s severity in one line', () => {
    expect(hostMenuLine('lb1', hostTrayState({ label: 'lb1', sample: unreachable() }, T))).toBe('lb1 — unknown');
    expect(hostMenuLine('lb1', hostTrayState({ label: 'lb1', sample: severitySample(T - 1000, 'warning', 0.75) }, T))).toBe('lb1 — warning');
    expect(hostStatusLine('lb1', hostTrayState({ label: 'lb1', sample: severitySample(T - 1000, 'ok', 0.1) }, T))).toBe('lb1 ok');
  });
});
