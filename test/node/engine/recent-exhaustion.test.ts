import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_CONFIG } from '../../../electron/common/config.js';
import { sampleSchema } from '../../../electron/common/model-schema.js';
import { validate } from '../../../electron/common/schema.js';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { describeRecentExhaustion } from '../../../electron/node/engine/recent-exhaustion.js';
import type { SocketRow } from '../../../electron/node/platform/socket-table.js';
import { linuxKernel, S, snapshotOf, T0 } from './engine-fixtures.js';

const RANGE = { low: 40000, high: 40049 }; // 50 ports

/** `n` TIME-WAIT sockets toward `to`, closed `ageMs(k)` before the read. */
function timeWaits(n: number, to: string, ageMs: (k: number) => number, from = '127.0.0.1'): SocketRow[] {
  return Array.from({ length: n }, (_, k) => ({
    family: 4 as const,
    state: S.TIME_WAIT,
    localAddr: from,
    localPort: RANGE.low + k,
    remoteAddr: to,
    remotePort: 8080,
    timeWaitAgeMs: ageMs(k),
  }));
}

function analyze(rows: SocketRow[], kernel = linuxKernel({ portRange: RANGE }), time = T0) {
  return new Analyzer(DEFAULT_ANALYSIS_CONFIG).analyze(snapshotOf(rows, { kernel, time }), { wallMs: 0, cpuMs: 0 });
}

describe('recent exhaustion from TIME-WAIT timers', () => {
  it('loopback, tw_reuse=2: 50 closes within 0.2 s, 14 s ago, filled a 50-port range that is free again now → critical with the time and the peak', () => {
    const s = analyze(timeWaits(50, '127.0.0.2', (k) => 14_000 + k * 4));
    expect(s.worst!.blocking).toBe(0); // all reusable by now: the sample alone says nothing
    expect(s.recentExhaustion).toMatchObject({ exhausted: true, peak: 50, capacity: 50, reuse: true, holdSec: 1, basis: 'timers' });
    expect(s.recentExhaustion!.time).toBe(T0 - 14_000);
    expect(s.severity).toBe('critical');
    expect(s.severityReason).toMatch(/^Exhausted 14 s ago toward 127\.0\.0\.2:8080: 50 of 50 ports held at once, 50 connections closed within 0\.2 s, above the 50\/s that 1 s reuse sustains\./);
    expect(validate(sampleSchema, JSON.parse(JSON.stringify(s)), 'sample')).toMatchObject({ ok: true });
  });

  it('the same 50 closes spread over 10 s hold at most 5 ports at once: no alarm', () => {
    const s = analyze(timeWaits(50, '127.0.0.2', (k) => 14_000 + k * 200));
    expect(s.recentExhaustion ?? null).toBeNull();
    expect(s.severity).toBe('ok');
  });

  it('tw_reuse=0 (not loopback rule): every TIME-WAIT holds its port 60 s, so the range is full now and it says when it filled', () => {
    const s = analyze(timeWaits(50, '10.9.0.2', (k) => 20_000 - k * 100, '10.9.0.1'), linuxKernel({ portRange: RANGE, twReuse: 0 }));
    expect(s.severity).toBe('exhausted');
    expect(s.recentExhaustion).toMatchObject({ exhausted: true, peak: 50, reuse: false, holdSec: 60 });
    expect(s.recentExhaustion!.time).toBe(T0 - 20_000 + 49 * 100);
  });

  it('tw_reuse=2 toward a non-loopback destination holds 60 s too', () => {
    const s = analyze(timeWaits(40, '10.9.0.2', (k) => 30_000 + k * 500, '10.9.0.1'));
    expect(s.recentExhaustion).toMatchObject({ reuse: false, peak: 40, exhausted: false });
    expect(s.severity).toBe('warning'); // 80 % held now: the present already says it
  });

  it('an old kernel without tcp_tw_reuse_delay: an estimate, never above warning', () => {
    const s = analyze(timeWaits(50, '127.0.0.2', (k) => 14_000 + k * 4), linuxKernel({ portRange: RANGE, twReuseDelayMs: null }));
    expect(s.recentExhaustion).toMatchObject({ exhausted: true, basis: 'timers-approximate-delay' });
    expect(s.severity).toBe('warning');
    expect(s.severityReason).toMatch(/estimate/);
  });

  it('is remembered for one TIME-WAIT length, then forgotten', () => {
    const a = new Analyzer(DEFAULT_ANALYSIS_CONFIG);
    const kernel = linuxKernel({ portRange: RANGE });
    const first = a.analyze(snapshotOf(timeWaits(50, '127.0.0.2', (k) => 2_000 + k * 4), { kernel, time: T0 }), { wallMs: 0, cpuMs: 0 });
    expect(first.severity).toBe('critical');
    // 30 s later the sockets were reused by other connections and are gone: still reported
    const later = a.analyze(snapshotOf([], { kernel, time: T0 + 30_000 }), { wallMs: 0, cpuMs: 0 });
    expect(later.severity).toBe('critical');
    expect(later.severityReason).toMatch(/^Exhausted 32 s ago/);
    const gone = a.analyze(snapshotOf([], { kernel, time: T0 + 61_000 }), { wallMs: 0, cpuMs: 0 });
    expect(gone.recentExhaustion).toBeNull();
    expect(gone.severity).not.toBe('critical');
  });

  it('describes a peak that did not fill the range without claiming exhaustion', () => {
    const text = describeRecentExhaustion(
      { key: 'k', localAddress: '127.0.0.1', remoteAddress: '::1', remotePort: 443, time: T0 - 5_000, peak: 40, capacity: 50, exhausted: false, closes: 40, closeSpanSec: 0.5, holdSec: 1, reuse: true, sustainablePerSec: 50, basis: 'timers' },
      T0,
    );
    expect(text).toBe('Peaked 5 s ago toward [::1]:443: 40 of 50 ports held at once, 40 connections closed within 0.5 s, above the 50/s that 1 s reuse sustains.');
  });

  it('says a peak under reuse toward another host is a floor: reuse needs the peer\'s TCP timestamps', () => {
    const text = describeRecentExhaustion(
      { key: 'k', localAddress: '10.0.0.1', remoteAddress: '10.0.0.9', remotePort: 443, time: T0 - 5_000, peak: 40, capacity: 50, exhausted: false, closes: 40, closeSpanSec: 0.5, holdSec: 1, reuse: true, sustainablePerSec: 50, basis: 'timers' },
      T0,
    );
    expect(text).toBe(
      'Peaked 5 s ago toward 10.0.0.9:443: 40 of 50 ports held at once, 40 connections closed within 0.5 s, above the 50/s that 1 s reuse sustains. Reuse needs the peer to echo TCP timestamps; if it does not, each port stayed held for the whole TIME-WAIT, so at least this many were held at once.',
    );
  });
});
