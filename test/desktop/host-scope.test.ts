// The desktop window's host scope: which host a page URL shows, the URL of a host's page, and the host
// picker's list (this computer first, then the listed hosts, an unreachable one never "ok").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { desktopHostSummaries, hostOfScope, hostPageUrl, hostScopeOf, scopeOfHost, THIS_COMPUTER_LABEL } from '../../electron/desktop/host-scope.js';
import type { HostReading } from '../../electron/desktop/host-monitors.js';
import { severitySample } from './samples.js';

const T = Date.UTC(2026, 11, 5, 12, 0, 0);

describe('host scope of the desktop window', () => {
  it('reads the host from the app page URL only, refusing anything else rather than guessing', () => {
    const cases: [string | null, number | null][] = [
      ['app://portwatch/index.html', 0],
      ['app://portwatch/', 0],
      ['app://portwatch', 0],
      ['app://portwatch/index.html#destination=%7Ca%7Cb%7C1', 0],
      ['app://portwatch/index.html?host=0', 0],
      ['app://portwatch/index.html?host=7', 7],
      ['app://portwatch/?host=63#destination=x', 63],
      ['app://portwatch/index.html?host=64', null],
      ['app://portwatch/index.html?host=123', null],
      ['app://portwatch/index.html?host=', null],
      ['app://portwatch/index.html?host=1&host=2', null],
      ['app://portwatch/index.html?x=1', null],
      ['app://portwatch/index.html?host=%31', null],
      ['app://portwatch/other.html', null],
      ['app://portwatch.evil/index.html', null],
      ['app://user@portwatch/index.html', null],
      ['https://portwatch/index.html', null],
      ['not a url', null],
      ['', null],
      [null, null],
    ];
    for (const [url, scope] of cases) expect(hostScopeOf(url), String(url)).toBe(scope);
  });

  it('builds the page of each host so that reading it back gives the same host (1000 fuzzed destinations)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 63 }), fc.option(fc.string({ maxLength: 80 }), { nil: null }), (scope, key) => {
        const url = hostPageUrl(scope, key);
        expect(hostScopeOf(url)).toBe(scope);
        const hash = new URL(url).hash;
        expect(key === null ? hash : decodeURIComponent(hash.slice('#destination='.length))).toBe(key === null ? '' : key);
      }),
      { numRuns: 1000 },
    );
    expect(hostPageUrl(0, null)).toBe('app://portwatch/index.html');
    expect(hostPageUrl(2, null)).toBe('app://portwatch/index.html?host=2');
  });

  const readings: HostReading[] = [
    { label: 'lb1', sample: { ...severitySample(T, 'ok', 0.1), severity: 'unknown', severityReason: 'Unreachable since 2026-12-05 12:00:00 UTC: ssh: connect to host lb1 port 22: Connection refused' }, status: { state: 'unreachable', since: T, message: 'ssh: connect to host lb1 port 22: Connection refused' }, problem: null, needsLogin: false },
    { label: 'ops@lb2:2222', sample: severitySample(T, 'critical', 0.96, 240), status: { state: 'connected', since: T, message: '' }, problem: null, needsLogin: false },
    { label: 'lb3', sample: null, status: { state: 'never', since: null, message: '' }, problem: null, needsLogin: false },
    { label: 'lb4', sample: null, status: { state: 'never', since: null, message: '' }, problem: '/run/user/0/portwatch-ssh: is open to other users (mode 777); it must be 700', needsLogin: false },
    { label: 'pw@lb5', sample: null, status: { state: 'needs-login', since: T, message: 'pw@lb5: needs you to log in (password, key passphrase or one-time code) in a terminal first (Permission denied)' }, problem: null, needsLogin: true },
  ];

  it('maps hosts to scopes and back, 0 being this computer', () => {
    expect(scopeOfHost('ops@lb2:2222', readings)).toBe(2);
    expect(scopeOfHost('gone', readings)).toBe(0);
    expect(scopeOfHost(null, readings)).toBe(0);
    expect(hostOfScope(0, readings)).toBeNull();
    expect(hostOfScope(2, readings)?.label).toBe('ops@lb2:2222');
    expect(hostOfScope(6, readings)).toBeNull();
  });

  it('lists this computer first, then every host with its severity; unreachable, unread and unsafe hosts are unknown with the reason', () => {
    const list = desktopHostSummaries(severitySample(T, 'warning', 0.8, 900), readings, 2);
    expect(list.map((h) => [h.index, h.label, h.severity, h.current])).toEqual([
      [0, THIS_COMPUTER_LABEL, 'warning', false],
      [1, 'lb1', 'unknown', false],
      [2, 'ops@lb2:2222', 'critical', true],
      [3, 'lb3', 'unknown', false],
      [4, 'lb4', 'unknown', false],
      [5, 'pw@lb5', 'unknown', false],
    ]);
    // Only a host that waits for the user offers the window's login; this computer never does.
    expect(list.map((h) => h.canLogIn ?? false)).toEqual([false, false, false, false, false, true]);
    expect(list[5]!.severityReason).toMatch(/^Needs login since 2026-12-05 12:00:00 UTC: pw@lb5: needs you to log in/);
    expect(list[1]!.severityReason).toMatch(/^Unreachable since 2026-12-05 12:00:00 UTC: ssh: connect to host lb1/);
    expect(list[3]!.severityReason).toBe('Waiting for the first reading');
    expect(list[4]!.severityReason).toMatch(/is open to other users/);
    const before = desktopHostSummaries(null, [], 0);
    expect(before).toEqual([{ index: 0, label: THIS_COMPUTER_LABEL, severity: 'unknown', severityReason: 'Waiting for the first reading', current: true }]);
  });
});
