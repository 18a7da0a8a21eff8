import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Severity } from '../../electron/common/model.js';
import { NotificationPolicy } from '../../electron/desktop/notification-policy.js';
import { withConnectFailures, type ConnectFailure } from '../../electron/common/connect-failures.js';
import { defaultSettings, type NotificationSettings } from '../../electron/desktop/settings.js';
import { severitySample } from '../desktop/samples.js';

const T = 1_700_000_000_000;
const NOON = 12 * 60;
const settings = (over: Partial<NotificationSettings> = {}): NotificationSettings => ({ ...defaultSettings().notifications, ...over });
const util: Record<Severity, number> = { ok: 0.2, warning: 0.75, critical: 0.95, exhausted: 1 };

function run(seq: [number, Severity][], s = settings()): string[] {
  const p = new NotificationPolicy();
  const out: string[] = [];
  for (const [t, sev] of seq) {
    const d = p.observe(severitySample(t, sev, util[sev], 300), s, t, NOON);
    if ('show' in d) out.push(`${d.show.kind}:${d.show.severity}`);
  }
  return out;
}

describe('notification policy', () => {
  it('tells each rise and the recovery, not the easing in between', () => {
    const min = 60_000 * 3;
    expect(run([[T, 'ok'], [T + min, 'warning'], [T + 2 * min, 'critical'], [T + 3 * min, 'warning'], [T + 4 * min, 'critical'], [T + 5 * min, 'ok']])).toEqual([
      'upward:warning',
      'upward:critical',
      'upward:critical',
      'recovery:ok',
    ]);
  });

  it('tells a critical state found at start (the user assumes all is well)', () => {
    expect(run([[T, 'critical']])).toEqual(['upward:critical']);
    expect(run([[T, 'ok']])).toEqual([]);
  });

  it('ignores samples without a judgement', () => {
    const p = new NotificationPolicy();
    expect(p.observe(severitySample(T, 'unknown', 0), settings(), T, NOON)).toEqual({ nothing: true });
  });

  it('folds changes inside the rate-limit interval into one, told as the state is then', () => {
    const s = settings({ minIntervalSec: 120 });
    expect(run([[T, 'warning'], [T + 10_000, 'critical'], [T + 20_000, 'exhausted'], [T + 121_000, 'exhausted']], s)).toEqual(['upward:warning', 'upward:exhausted']);
    // A flap that returns to what the user was told is not news.
    expect(run([[T, 'warning'], [T + 10_000, 'ok'], [T + 20_000, 'warning'], [T + 200_000, 'warning']], s)).toEqual(['upward:warning']);
  });

  it('says why a change waits: off, muted, quiet hours, rate limit', () => {
    const p = new NotificationPolicy();
    const crit = severitySample(T, 'critical', 0.95);
    expect(p.observe(crit, settings({ enabled: false }), T, NOON)).toEqual({ defer: 'disabled' });
    expect(p.observe(crit, settings({ mutedUntil: T + 1 }), T, NOON)).toEqual({ defer: 'muted' });
    expect(p.observe(crit, settings({ quietHours: { enabled: true, start: '11:00', end: '13:00' } }), T, NOON)).toEqual({ defer: 'quiet-hours' });
    expect('show' in p.observe(crit, settings(), T, NOON)).toBe(true);
    expect(p.observe(severitySample(T, 'exhausted', 1), settings(), T + 1000, NOON)).toEqual({ defer: 'rate-limited' });
  });

  it('names the destination to open on click, and a reassuring body on recovery without a destination', () => {
    const p = new NotificationPolicy();
    const d = p.observe(severitySample(T, 'critical', 0.96, 240), settings(), T, NOON);
    expect(d).toEqual({
      show: { kind: 'upward', severity: 'critical', title: 'Portwatch: ephemeral ports nearly exhausted', body: '10.0.3.7:5432 — 96 % of ports in use, about 4 min left', destinationKey: '|10.0.0.1|10.0.3.7|5432' },
    });
    const ok = severitySample(T + 600_000, 'ok', 0);
    ok.worst = null;
    const r = p.observe(ok, settings(), T + 600_000, NOON);
    expect(r).toMatchObject({ show: { kind: 'recovery', body: 'No destination is close to running out of ephemeral ports.', destinationKey: null } });
  });

  it('never shows two notifications closer than the interval, and ends up telling the current state (property)', () => {
    const sev = fc.constantFrom<Severity>('ok', 'warning', 'critical', 'exhausted');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 60_000 }), sev), { maxLength: 200 }), fc.integer({ min: 10, max: 600 }), (steps, interval) => {
        const p = new NotificationPolicy();
        let t = T;
        const shownAt: number[] = [];
        let last: Severity = 'ok';
        for (const [dt, s] of steps) {
          t += dt;
          const d = p.observe(severitySample(t, s, util[s]), settings({ minIntervalSec: interval }), t, NOON);
          if ('show' in d) {
            shownAt.push(t);
            expect(d.show.severity).toBe(s);
          }
          last = s;
        }
        for (let i = 1; i < shownAt.length; i++) expect(shownAt[i]! - shownAt[i - 1]!).toBeGreaterThanOrEqual(interval * 1000);
        // Once the interval has passed, one more sample leaves the user told exactly the current state.
        p.observe(severitySample(t + interval * 1000, last, util[last]), settings({ minIntervalSec: interval }), t + interval * 1000, NOON);
        expect(p.lastTold).toBe(last);
      }),
      { numRuns: 300 },
    );
  });
});

describe('notification policy: connects the kernel refused (failure tracer)', () => {
  const failure = (t: number, remoteAddress: string, recentCount: number): ConnectFailure => ({
    pid: 812, name: 'nginx', netns: 4026532173, place: 'pod web-7', syscall: 'connect', remoteAddress, remotePort: 8080, errno: 99, count: recentCount, recentCount, firstSeen: t, lastSeen: t,
  });
  const failing = (t: number, ...dests: string[]) => withConnectFailures(severitySample(t, 'ok', 0.2, 300), dests.map((d) => failure(t, d, 1204)), t, 4026532173);

  it('tells the failure itself: who failed where, how often in the last minute; a new failing destination is news even when already exhausted', () => {
    const p = new NotificationPolicy();
    const s = settings({ minIntervalSec: 0 });
    const first = p.observe(failing(T, '10.0.3.7'), s, T, NOON);
    expect(first).toMatchObject({ show: { kind: 'upward', severity: 'exhausted', body: '10.0.3.7:8080 — nginx (pid 812) in pod web-7: 1,204 connects failed in the last minute (EADDRNOTAVAIL)' } });
    // Still failing there: nothing new.
    expect(p.observe(failing(T + 1000, '10.0.3.7'), s, T + 1000, NOON)).toEqual({ nothing: true });
    // Another destination starts failing: told, though the level stays exhausted.
    expect(p.observe(failing(T + 2000, '10.0.3.7', '10.0.3.8'), s, T + 2000, NOON)).toMatchObject({ show: { kind: 'failures', title: 'Portwatch: connects failing for lack of a port' } });
    // Failures over, the table says ok: recovery; failing again later is news again.
    expect(p.observe(severitySample(T + 120_000, 'ok', 0.2, 300), s, T + 120_000, NOON)).toMatchObject({ show: { kind: 'recovery' } });
    expect(p.observe(failing(T + 130_000, '10.0.3.8'), s, T + 130_000, NOON)).toMatchObject({ show: { kind: 'upward', severity: 'exhausted' } });
  });

  it('folds a failure notice under the rate limit like any other', () => {
    const p = new NotificationPolicy();
    const s = settings({ minIntervalSec: 600 });
    expect(p.observe(failing(T, '10.0.3.7'), s, T, NOON)).toMatchObject({ show: { kind: 'upward' } });
    expect(p.observe(failing(T + 1000, '10.0.3.7', '10.0.3.8'), s, T + 1000, NOON)).toEqual({ defer: 'rate-limited' });
  });
});
