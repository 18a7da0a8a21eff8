import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { remapFirstTwo, TripleMap } from '../../../electron/node/engine/triple-map.js';

const u32 = fc.integer({ min: 0, max: 0xffffffff });

describe('TripleMap', () => {
  it('behaves like a Map keyed by the three numbers, through growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('set', 'inc', 'get'), fc.integer({ min: 0, max: 5 }), fc.oneof(u32, fc.integer({ min: 0, max: 3 })), u32, fc.integer({ min: 0, max: 1e6 })), { maxLength: 400 }), (ops) => {
        const m = new TripleMap(1);
        const model = new Map<string, number>();
        for (const [op, a, b, c, v] of ops) {
          const k = `${a},${b},${c}`;
          if (op === 'set') {
            expect(m.set(a, b, c, v)).toBe(!model.has(k));
            model.set(k, v);
          } else if (op === 'inc') {
            const n = (model.get(k) ?? 0) + 1;
            model.set(k, n);
            expect(m.increment(a, b, c)).toBe(n);
          } else expect(m.get(a, b, c)).toBe(model.get(k) ?? -1);
        }
        expect(m.size).toBe(model.size);
        const seen = new Map<string, number>();
        m.forEach((a, b, c, v) => seen.set(`${a},${b},${c}`, v));
        expect(seen).toEqual(model);
      }),
    );
  });

  it('holds 65,536 keys that differ only in the high half of the last part', () => {
    const m = new TripleMap();
    for (let p = 0; p < 65_536; p++) m.set(1, 2, ((p << 16) | 80) >>> 0, p);
    expect(m.size).toBe(65_536);
    for (let p = 0; p < 65_536; p += 997) expect(m.get(1, 2, ((p << 16) | 80) >>> 0)).toBe(p);
    expect(m.get(1, 3, 80)).toBe(-1);
  });

  it('renumbers the first two parts and drops keys whose parts were dropped', () => {
    const m = new TripleMap();
    m.set(0, 1, 9, 100);
    m.set(2, 1, 9, 200);
    const r = remapFirstTwo(m, Int32Array.from([5, 6, -1]));
    expect(r.size).toBe(1);
    expect(r.get(5, 6, 9)).toBe(100);
  });
});
