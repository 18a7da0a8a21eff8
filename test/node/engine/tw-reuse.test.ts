import { describe, expect, it } from 'vitest';
import { holdSeconds, twReuseApplies, twReuseDelayMs } from '../../../electron/node/engine/tw-reuse.js';
import { linuxKernel } from './engine-fixtures.js';

describe('tcp_tw_reuse', () => {
  it.each([
    [0, 1, false, false],
    [0, 1, true, false],
    [1, 1, false, true],
    [1, 0, false, false],
    [2, 1, true, true],
    [2, 1, false, false],
    [2, 0, true, false],
    [null, 1, true, false],
  ] as const)('tw_reuse=%s timestamps=%s loopback=%s → applies %s', (twReuse, timestamps, loopback, expected) => {
    expect(twReuseApplies(linuxKernel({ twReuse, timestamps }), loopback)).toBe(expected);
  });

  it('does not assume reuse when timestamps could not be read', () => {
    expect(twReuseApplies(linuxKernel({ twReuse: 1, timestamps: null }), true)).toBe(false);
  });

  it('holds a port for the TIME-WAIT length without reuse and for the reuse delay with it (1 s when the kernel has none)', () => {
    expect(holdSeconds(linuxKernel(), false)).toBe(60);
    expect(holdSeconds(linuxKernel({ timeWaitSec: 30 }), false)).toBe(30);
    expect(holdSeconds(linuxKernel({ twReuseDelayMs: 100 }), true)).toBe(0.1);
    expect(holdSeconds(linuxKernel({ twReuseDelayMs: null }), true)).toBe(1);
    expect(twReuseDelayMs(linuxKernel({ twReuseDelayMs: 0 }))).toBe(1000);
  });
});
