import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suggestDarwinPortRange, suggestLinuxPortRange, widenRangeRecommendations } from '../../../electron/node/engine/port-range-advice.js';
import { linuxKernel } from './engine-fixtures.js';

describe('a wider Linux range', () => {
  it('widens the default range to 32768–65535 first', () => {
    expect(suggestLinuxPortRange({ low: 32768, high: 60999 }, 1024, [], [])).toEqual({ low: 32768, high: 65535, reserve: [] });
  });

  it('never goes below 32768, nor below ip_unprivileged_port_start, nor across a listening port', () => {
    expect(suggestLinuxPortRange({ low: 49152, high: 65535 }, 1024, [], [])).toEqual({ low: 32768, high: 65535, reserve: [] });
    expect(suggestLinuxPortRange({ low: 49152, high: 65535 }, 40000, [], [])).toEqual({ low: 40000, high: 65535, reserve: [] });
    expect(suggestLinuxPortRange({ low: 49152, high: 65535 }, 1024, [], [9090, 40000])).toEqual({ low: 40002, high: 65535, reserve: [] });
    expect(suggestLinuxPortRange({ low: 49152, high: 65535 }, 1024, [{ low: 40000, high: 40000 }], [40000])).toEqual({ low: 32768, high: 65535, reserve: [] });
  });

  it('keeps the two ends of different parity', () => {
    expect(suggestLinuxPortRange({ low: 1025, high: 60000 }, 1024, [], [])).toEqual({ low: 1025, high: 65534, reserve: [] });
  });

  it('reserves the listening ports the wider range takes in', () => {
    expect(suggestLinuxPortRange({ low: 32768, high: 60999 }, 1024, [{ low: 61000, high: 61000 }], [61000, 62000, 8080])).toEqual({ low: 32768, high: 65535, reserve: [62000] });
  });

  it('suggests nothing when the range is already as wide as the guard rails allow', () => {
    expect(suggestLinuxPortRange({ low: 32768, high: 65535 }, 1024, [], [])).toBeNull();
    expect(suggestLinuxPortRange({ low: 1024, high: 65535 }, 1024, [], [])).toBeNull();
  });

  it('respects every guard rail for any current range and any listeners', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1024, max: 65535 }), fc.integer({ min: 0, max: 64000 }), fc.constantFrom(1024, 1, 30000, 40000), fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { maxLength: 20 }), (low, span, ups, held) => {
        const high = Math.min(65535, low + span);
        const r = { low, high };
        const s = suggestLinuxPortRange(r, ups, [], held.sort((a, b) => a - b));
        if (!s) return;
        expect(s.low % 2).not.toBe(s.high % 2);
        expect(s.high).toBeLessThanOrEqual(65535);
        expect(s.low).toBeGreaterThanOrEqual(ups);
        expect(s.low).toBeGreaterThanOrEqual(Math.min(low, 32768));
        expect(s.high - s.low).toBeGreaterThan(high - low);
        // Nothing listens in the part added below the old low end; everything listening in the new range outside the old one is reserved.
        for (const p of held) if (p >= s.low && p < low) throw new Error(`listener ${p} in the extension`);
        for (const p of held) if (p > high && p <= s.high) expect(s.reserve).toContain(p);
      }),
    );
  });
});

describe('range recommendations per platform', () => {
  it('gives the Linux sysctl key with the current and suggested values', () => {
    const [r] = widenRangeRecommendations('linux', linuxKernel(), []);
    expect(r!.setting).toEqual({ key: 'net.ipv4.ip_local_port_range', current: '32768 60999', suggested: '32768 65535' });
  });

  it('uses portrange.first/last on macOS and netsh on Windows', () => {
    const mac = widenRangeRecommendations('darwin', linuxKernel({ portRange: { low: 49152, high: 65535 } }), []);
    expect(mac.map((r) => r.setting)).toEqual([{ key: 'net.inet.ip.portrange.first', current: '49152', suggested: '32768' }]);
    expect(suggestDarwinPortRange({ low: 49152, high: 65535 }, [40000])).toEqual({ low: 40001, high: 65535 });
    const win = widenRangeRecommendations('win32', linuxKernel({ portRange: { low: 49152, high: 65535 } }), []);
    expect(win[0]!.setting).toEqual({ key: 'netsh int ipv4 set dynamicport tcp', current: 'start=49152 num=16384', suggested: 'start=32768 num=32768' });
  });

  it('gives nothing without a range', () => {
    expect(widenRangeRecommendations('linux', linuxKernel({ portRange: null }), [])).toEqual([]);
  });
});
