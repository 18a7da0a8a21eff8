import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serveMonitorHost } from '../../electron/desktop/monitor-host.js';
import { asFromHost, asToHost } from '../../electron/desktop/monitor-protocol.js';
import { defaultSettings } from '../../electron/desktop/settings.js';
import type { MonitorConfig } from '../../electron/desktop/monitor-config.js';
import { FakeMonitor } from '../desktop/fake-monitor.js';

function host() {
  let deliver: (m: unknown) => void = () => undefined;
  const sent: unknown[] = [];
  const made: FakeMonitor[] = [];
  let exited = 0;
  serveMonitorHost(
    { postMessage: (m) => sent.push(m), onMessage: (l) => void (deliver = l) },
    (config: MonitorConfig) => {
      const m = new FakeMonitor(config);
      made.push(m);
      return m;
    },
    () => exited++,
  );
  return { deliver: (m: unknown) => deliver(m), sent, made, exited: () => exited };
}

const s = defaultSettings();
const CONFIG = { cpuBudget: s.sampling.cpuBudget, analysis: s.analysis, allNamespaces: null };
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('monitor host', () => {
  it('starts once, answers requests, forwards events, applies controls and exits on close', async () => {
    const h = host();
    h.deliver({ type: 'request', ref: 1, message: { id: 1, method: 'getInfo', params: {} } });
    h.deliver({ type: 'start', config: CONFIG, version: '1' });
    h.deliver({ type: 'start', config: CONFIG, version: '2' });
    expect(h.made).toHaveLength(1);
    h.deliver({ type: 'request', ref: 2, message: { id: 5, method: 'getInfo', params: {} } });
    await flush();
    expect(h.sent[0]).toEqual({ type: 'response', ref: 1, response: { id: null, ok: false, error: { code: 'unavailable', message: 'the monitor has not started' } } });
    expect(h.sent).toContainEqual({ type: 'ready' });
    expect(h.sent).toContainEqual(expect.objectContaining({ type: 'response', ref: 2, response: expect.objectContaining({ id: 5, ok: true }) }));
    h.deliver({ type: 'pause', reason: 'x' });
    expect(h.made[0]!.pauses).toEqual(['x']);
    h.deliver({ type: 'configure', config: { cpuBudget: 5, analysis: { thresholds: { warning: 2 } } } });
    expect(h.made[0]!.configs).toEqual([CONFIG]); // a bad budget and bad thresholds fall back to the defaults
    h.deliver({ type: 'close' });
    await flush();
    expect(h.made[0]!.closed).toBe(true);
    expect(h.sent.at(-1)).toEqual({ type: 'closed' });
    expect(h.exited()).toBe(1);
  });

  it('ignores anything that is not a protocol message (1,000 fuzzed messages)', () => {
    const h = host();
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3 }), (m) => {
        expect(() => h.deliver(m)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
    expect(h.made.length).toBeLessThanOrEqual(1);
  });

  it('recognises each message kind and refuses malformed ones', () => {
    expect(asToHost({ type: 'request', ref: -1, message: {} })).toBeNull();
    expect(asToHost({ type: 'request', ref: 1, message: {}, mayChange: 'yes' })).toBeNull();
    expect(asToHost({ type: 'request', ref: 1, message: {}, mayChange: true })).not.toBeNull();
    expect(asToHost({ type: 'pause' })).toBeNull();
    expect(asToHost({ type: 'nope' })).toBeNull();
    expect(asToHost({ type: 'resume' })).toEqual({ type: 'resume' });
    expect(asFromHost({ type: 'event', event: { data: 1 } })).toBeNull();
    expect(asFromHost({ type: 'response', ref: 1, response: {} })).not.toBeNull();
    expect(asFromHost(null)).toBeNull();
  });
});
