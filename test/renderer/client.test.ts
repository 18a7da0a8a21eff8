import { describe, expect, it } from 'vitest';
import { PortwatchClient } from '../../renderer/src/api/client.js';
import { BridgeTransport, findBridge } from '../../renderer/src/api/bridge-transport.js';
import type { ConnectionState, Transport } from '../../renderer/src/api/transport.js';
import type { MonitorEvent, PortwatchBridge } from '../../electron/common/contract.js';
import { makeSample, makeTick } from '../node/service/make-sample.js';

/** A transport that hands over whatever the test says (as a compromised peer could). */
class ScriptedTransport implements Transport {
  answer: unknown = null;
  private listener: ((m: unknown) => void) | null = null;
  request = async () => this.answer;
  onEvent(l: (m: unknown) => void) {
    this.listener = l;
    return () => (this.listener = null);
  }
  onState(l: (s: ConnectionState) => void) {
    l('open');
    return () => {};
  }
  close() {}
  push(m: unknown) {
    this.listener?.(m);
  }
}

describe('PortwatchClient', () => {
  it('refuses an answer that does not match the contract, naming the field', async () => {
    const t = new ScriptedTransport();
    t.answer = { sample: { ...makeSample(1, 1), severity: 'fine' }, tick: null };
    await expect(new PortwatchClient(t).getSnapshot()).rejects.toThrow('getSnapshot result.sample.severity: expected one of');
  });

  it('passes good events and drops bad ones, counting them', () => {
    const t = new ScriptedTransport();
    const c = new PortwatchClient(t);
    const got: MonitorEvent[] = [];
    c.onEvent((e) => got.push(e));
    t.push({ event: 'tick', data: makeTick(5) });
    t.push({ event: 'tick', data: { time: 'x' } });
    t.push({ event: 'launch-missiles', data: {} });
    expect(got.map((e) => e.event)).toEqual(['tick']);
    expect(c.rejectedEvents).toBe(2);
    expect(c.lastRejection).toBe('unknown event launch-missiles');
  });
});

describe('BridgeTransport', () => {
  it('calls one bridge function per method and relays its events, unaware of Electron', async () => {
    const calls: string[] = [];
    let emit: (e: unknown) => void = () => {};
    const bridge: PortwatchBridge = {
      getInfo: async () => (calls.push('getInfo'), { contractVersion: 1, version: '0', platform: 'linux', hostname: 'h', startedAt: 1, paused: false, history: { rawPoints: 1, rollupBucketMs: 1, rollupWindowMs: 1 } }),
      getSnapshot: async () => (calls.push('getSnapshot'), { sample: null, tick: null }),
      getHistory: async () => null,
      getEvents: async () => [],
      getEpisodes: async () => [],
      getConnections: async () => null,
      getNamespaces: async () => null,
      getHosts: async () => [],
      getTuningPlan: async () => null,
      reviewTuning: async () => null,
      getTuningStatus: async () => null,
      applyTuning: async () => null,
      writeTuningTerminal: async () => null,
      resizeTuningTerminal: async () => null,
      keepTuning: async () => null,
      revertTuning: async () => null,
      startHostLogin: async () => null,
      writeHostLogin: async () => null,
      resizeHostLogin: async () => null,
      cancelHostLogin: async () => null,
      onEvent: (l) => {
        emit = l;
        return () => {};
      },
    };
    (window as unknown as { portwatch: PortwatchBridge }).portwatch = bridge;
    const found = findBridge(window);
    expect(found).toBe(bridge);
    const c = new PortwatchClient(new BridgeTransport(found!));
    expect((await c.getInfo()).hostname).toBe('h');
    await c.getSnapshot();
    expect(calls).toEqual(['getInfo', 'getSnapshot']);
    const got: string[] = [];
    c.onEvent((e) => got.push(e.event));
    emit({ event: 'tick', data: makeTick(1) });
    expect(got).toEqual(['tick']);
  });

  it('is not found in a plain browser page', () => {
    delete (window as unknown as { portwatch?: unknown }).portwatch;
    expect(findBridge(window)).toBeNull();
  });
});
