import { describe, expect, it } from 'vitest';
import type { MonitorEvent } from '../../electron/common/contract.js';
import type { SourceStatus } from '../../electron/common/model.js';
import type { TuningSession } from '../../electron/common/tuning-contract.js';
import { MonitorEventLog } from '../../electron/desktop/event-log.js';
import { severitySample } from './samples.js';

const T0 = 1_700_000_000_000;

function sampleWith(sources: SourceStatus[]): MonitorEvent {
  return { event: 'sample', data: { ...severitySample(T0, 'ok', 0.1), sources } };
}

function session(over: Partial<TuningSession>): MonitorEvent {
  const s: TuningSession = {
    id: 's1', kind: 'apply', planId: 'p1', steps: ['widen-range', 'tw-reuse'], argv: [], display: '', elevation: 'pkexec', startedAt: T0, phase: 'applying', ended: false,
    message: '', txid: null, deadline: null, secondsLeft: null, asOf: T0, verification: null, changes: [], overrides: [], ...over,
  };
  return { event: 'tuningStatus', data: s };
}

describe('monitor event log', () => {
  it('logs a source when it fails, once while it stays failed, and when it works again', () => {
    const lines: string[] = [];
    const l = new MonitorEventLog((x) => lines.push(x));
    const ok = { name: 'sockets', status: 'ok' as const, durationMs: 1 };
    const failed = { name: 'sockets', status: 'failed' as const, error: 'netlink: EPERM', durationMs: 1 };
    for (const s of [ok, failed, failed, { ...failed, status: 'timeout' as const, error: 'after 2 s' }, ok, ok]) l.observe(sampleWith([s, { name: 'sockstat', status: 'ok', durationMs: 1 }]));
    expect(lines).toEqual(['source sockets failed: netlink: EPERM', 'source sockets timeout: after 2 s', 'source sockets: ok again']);
  });

  it('logs each phase of a helper session once, and what was read back', () => {
    const lines: string[] = [];
    const l = new MonitorEventLog((x) => lines.push(x));
    l.observe(session({}));
    l.observe(session({})); // the countdown repeats the status: not a new line
    const verification = { ok: false, settings: [{ key: 'net.ipv4.ip_local_port_range', wanted: '10000 60999', now: '10000 60999', ok: true }, { key: 'net.ipv4.tcp_tw_reuse', wanted: '1', now: '2', ok: false }] };
    l.observe(session({ phase: 'awaiting-confirm', message: 'Keep the change?', verification }));
    l.observe(session({ phase: 'awaiting-confirm', message: 'Keep the change?', verification }));
    l.observe(session({ phase: 'kept', ended: true, message: 'Kept.', txid: 'tx9', verification }));
    l.observe(session({ id: 's2', kind: 'revert', steps: [], txid: 'tx9', phase: 'reverted', ended: true, message: 'Put back.' }));
    expect(lines).toEqual([
      'helper apply of widen-range, tw-reuse (session s1, pkexec): applying',
      'helper apply of widen-range, tw-reuse (session s1, pkexec): awaiting-confirm — Keep the change?',
      'helper read back (NOT as planned): net.ipv4.ip_local_port_range wanted 10000 60999, now 10000 60999; net.ipv4.tcp_tw_reuse wanted 1, now 2 (differs)',
      'helper apply of widen-range, tw-reuse (session s1, pkexec): kept — Kept.',
      'helper revert of tx9 (session s2, pkexec): reverted — Put back.',
    ]);
  });

  it('ignores other events', () => {
    const lines: string[] = [];
    new MonitorEventLog((x) => lines.push(x)).observe({ event: 'history', data: {} } as unknown as MonitorEvent);
    expect(lines).toEqual([]);
  });
});
