import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_CONFIG as config } from '../../../electron/common/config.js';
import type { DestinationUsage } from '../../../electron/common/model.js';
import { severityReason } from '../../../electron/node/engine/severity-reason.js';

const capacity = { rangeSize: 10, reserved: 0, heldByListeners: 0, usable: 10 };
const dest = (over: Partial<DestinationUsage> = {}): DestinationUsage => ({
  key: '|127.0.0.1|127.0.0.1|8080',
  netns: '',
  localAddress: '127.0.0.1',
  remoteAddress: '127.0.0.1',
  remotePort: 8080,
  inUse: 10,
  blocking: 10,
  capacity: 10,
  utilization: 1,
  states: {},
  newPerSec: null,
  sustainablePerSec: 10,
  timeToExhaustionSec: 0,
  processes: [],
  ...over,
});
const global = (over = {}) => ({
  distinctPortsInUse: 0, exclusivelyHeld: 0, heldExact: 0, heldInferred: 0, utilization: 0, exactUtilization: 0, bindBeforeConnectEvidence: false, sharingEvidence: false,
  expectedSharedPorts: 0, bindingProcesses: [], destinations: 1, outboundSockets: 0, boundOnlySockets: 0, newDestination: { best: 10, low: 10, high: 10 }, ...over,
});

describe('severityReason', () => {
  it('names the worst destination with its numbers', () => {
    expect(severityReason({ level: 'exhausted', holding: false, config, capacity, worst: dest(), global: global(), soonest: null })).toBe(
      '127.0.0.1 → 127.0.0.1:8080: 10 of 10 usable ports in use (100 %).',
    );
  });

  it('names the global pressure when it is the larger one', () => {
    const r = severityReason({ level: 'warning', holding: false, config, capacity, worst: dest({ blocking: 2, utilization: 0.2 }), global: global({ exclusivelyHeld: 9, heldExact: 1, heldInferred: 8, utilization: 0.9, bindBeforeConnectEvidence: true }), soonest: null, capped: true });
    expect(r).toBe('9 of 10 ports are held for every destination by listening and bound-only sockets and sockets that, by inference, were bound before connect() (90 %) (held at warning: this rests on inference the kernel has not confirmed).');
  });

  it('adds the time to exhaustion and why a level is held', () => {
    const w = dest({ blocking: 3, utilization: 0.3 });
    const r = severityReason({ level: 'warning', holding: true, config, capacity, worst: w, global: global(), soonest: { sec: 600, dest: w } });
    expect(r).toBe('127.0.0.1 → 127.0.0.1:8080: 3 of 10 usable ports in use (30 %); at the current pace it runs out in about 10 min (staying warning until 3 samples in a row are below 65 %).');
  });
});
