import { describe, expect, it } from 'vitest';
import { diagnosePortAllocationFailures, RECENT_EVENT_MS } from '../../../electron/node/engine/diagnosis-port-allocation-failures.js';
import type { DiagnosisContext } from '../../../electron/node/engine/diagnosis-context.js';

const NOW = 1_800_000_000_000;
function ctx(ev: DiagnosisContext['counters']['portAllocationFailures']): DiagnosisContext {
  return { time: NOW, counters: { portAllocationFailures: ev } } as unknown as DiagnosisContext;
}

describe('the Windows port-allocation-failures diagnosis', () => {
  it('is critical when event 4231 (no ephemeral port) was logged recently', () => {
    const d = diagnosePortAllocationFailures(ctx({ id4227: 0, id4231: 3, latestMs: NOW - 120_000 }));
    expect(d?.severity).toBe('critical');
    expect(d?.evidence.join(' ')).toMatch(/3 Tcpip event\(s\) 4231.*2 min ago/);
  });
  it('warns on 4227 alone (a TIME-WAIT endpoint refused)', () => {
    expect(diagnosePortAllocationFailures(ctx({ id4227: 2, id4231: 0, latestMs: NOW - 1000 }))?.severity).toBe('warning');
  });
  it('stays silent for old events, no events, or where events are not read', () => {
    expect(diagnosePortAllocationFailures(ctx({ id4227: 0, id4231: 5, latestMs: NOW - RECENT_EVENT_MS - 1 }))).toBeNull();
    expect(diagnosePortAllocationFailures(ctx({ id4227: 0, id4231: 0, latestMs: null }))).toBeNull();
    expect(diagnosePortAllocationFailures(ctx(null))).toBeNull();
  });
});
