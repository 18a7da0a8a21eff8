import { describe, expect, it } from 'vitest';
import { computeCapacity, formatPortList, invalidRangeReason, mergeRanges, reservedPortMask } from '../../../electron/node/engine/capacity.js';

const held = (...ports: number[]) => {
  const m = new Uint8Array(65536);
  for (const p of ports) m[p] = 1;
  return m;
};

describe('capacity', () => {
  it('is the range size when nothing is reserved or held', () => {
    const r = { low: 32768, high: 60999 };
    expect(computeCapacity(r, reservedPortMask(r, null), null)).toEqual({ rangeSize: 28232, reserved: 0, heldByListeners: 0, usable: 28232 });
  });

  it('subtracts reserved ports inside the range once, even when reserved ranges overlap, and ignores those outside', () => {
    const r = { low: 40000, high: 40099 };
    const mask = reservedPortMask(r, [{ low: 8080, high: 8080 }, { low: 39990, high: 40004 }, { low: 40002, high: 40009 }, { low: 40099, high: 40200 }]);
    expect(computeCapacity(r, mask, null)).toEqual({ rangeSize: 100, reserved: 11, heldByListeners: 0, usable: 89 });
  });

  it('subtracts ports held by listeners or bound sockets inside the range, not counting reserved ones twice', () => {
    const r = { low: 40000, high: 40099 };
    const mask = reservedPortMask(r, [{ low: 40000, high: 40009 }]);
    expect(computeCapacity(r, mask, held(40005, 40050, 40051, 8080))).toEqual({ rangeSize: 100, reserved: 10, heldByListeners: 2, usable: 88 });
  });

  it('merges, sorts and clips reserved ranges and prints them as the kernel reads them', () => {
    expect(mergeRanges([{ low: 9005, high: 9010 }, { low: 8080, high: 8080 }, { low: 9000, high: 9004 }, { low: 5, high: 1 }, { low: 65000, high: 70000 }])).toEqual([
      { low: 8080, high: 8080 },
      { low: 9000, high: 9010 },
      { low: 65000, high: 65535 },
    ]);
    expect(formatPortList([{ low: 9000, high: 9010 }, { low: 8080, high: 8080 }])).toBe('8080,9000-9010');
  });

  it('names what is wrong with an invalid range', () => {
    expect(invalidRangeReason({ low: 32768, high: 60999 })).toBeNull();
    expect(invalidRangeReason({ low: 5000, high: 4000 })).toMatch(/ends below its start/);
    expect(invalidRangeReason({ low: 0, high: 70000 })).toMatch(/not a pair of ports/);
  });
});
