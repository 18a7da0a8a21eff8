import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DestinationColumns } from '../../../electron/node/engine/aggregate.js';
import { destinationKey, selectTopDestinations, utilizationOf } from '../../../electron/node/engine/destinations.js';

function columns(inUse: number[], reusable: number[]): DestinationColumns {
  const n = inUse.length;
  return {
    count: n,
    localAddr: new Uint32Array(n),
    remoteAddr: new Uint32Array(n),
    remotePort: new Uint16Array(n),
    reuse: new Uint8Array(n),
    inUse: Uint32Array.from(inUse),
    reusableTimeWait: Uint32Array.from(reusable),
    recentTimeWait: new Uint32Array(n),
    unknownAgeTimeWait: new Uint32Array(n),
    states: new Uint32Array(n * 16),
  };
}

describe('destinations', () => {
  it('picks the k destinations with the most blocking sockets, then most in use, like a full sort would', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(50), fc.nat(50)), { maxLength: 60 }), fc.integer({ min: 1, max: 10 }), (rows, k) => {
        const inUse = rows.map(([a, b]) => a + b);
        const reusable = rows.map(([, b]) => b);
        const expected = rows
          .map((_, d) => d)
          .sort((x, y) => inUse[y]! - reusable[y]! - (inUse[x]! - reusable[x]!) || inUse[y]! - inUse[x]! || x - y)
          .slice(0, k);
        expect(selectTopDestinations(columns(inUse, reusable), k)).toEqual(expected);
      }),
    );
  });

  it('keys a destination by namespace, source, destination and port', () => {
    expect(destinationKey('net:[1]', '10.0.0.1', '::1', 80)).toBe('net:[1]|10.0.0.1|::1|80');
  });

  it('treats a destination with no usable port as fully used', () => {
    expect(utilizationOf(0, 0)).toBe(1);
    expect(utilizationOf(5, 10)).toBe(0.5);
  });
});
