import { describe, expect, it } from 'vitest';
import { capacityOf, holdSecondsOf, isLoopbackAddress, whatIfOf } from '../../../electron/node/tuning/what-if.js';
import { kernel } from './plan-fixtures.js';

describe('what-if of a set of settings', () => {
  it('counts usable ports: range minus reserved inside minus held ports not reserved', () => {
    const c = capacityOf({ range: { low: 40000, high: 40009 }, reserved: [{ low: 40008, high: 40020 }, { low: 1, high: 5 }], twReuse: 2 }, [40000, 40008, 8080, 40000]);
    expect(c).toEqual({ range: { low: 40000, high: 40009 }, rangeSize: 10, reserved: 2, heldByListeners: 1, usable: 7 });
    expect(capacityOf({ range: null, reserved: [], twReuse: 2 }, []).usable).toBeNull();
  });

  it('holds a port 60 s in TIME-WAIT unless reuse applies (1: any destination, 2: loopback, both need timestamps)', () => {
    const k = kernel({ twReuseDelayMs: 1000 });
    expect(holdSecondsOf(k, 2, false)).toBe(60);
    expect(holdSecondsOf(k, 2, true)).toBe(1);
    expect(holdSecondsOf(k, 1, false)).toBe(1);
    expect(holdSecondsOf(k, 0, true)).toBe(60);
    expect(holdSecondsOf(kernel({ timestamps: 0 }), 1, false)).toBe(60);
    expect(holdSecondsOf(kernel({ twReuseDelayMs: null }), 1, false)).toBe(1);
    expect(holdSecondsOf(kernel({ twReuseDelayMs: 100 }), 1, false)).toBe(0.1);
  });

  it('sustains usable / hold new connections per second toward one destination (10 ports: 10/s at 1000 ms)', () => {
    const w = whatIfOf(kernel(), { range: { low: 40000, high: 40009 }, reserved: [], twReuse: 1 }, []);
    expect(w.sustainablePerDestinationPerSec).toBe(10);
    expect(whatIfOf(kernel(), { range: { low: 32768, high: 60999 }, reserved: [], twReuse: 2 }, []).sustainablePerDestinationPerSec).toBeCloseTo(470.53, 2);
  });

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].every(isLoopbackAddress)).toBe(true);
    expect(['10.0.0.1', '::ffff:10.0.0.1', '2001:db8::1', '128.0.0.1'].some(isLoopbackAddress)).toBe(false);
  });
});
