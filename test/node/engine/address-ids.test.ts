import { describe, expect, it } from 'vitest';
import { AddressIds } from '../../../electron/node/engine/address-ids.js';

describe('AddressIds', () => {
  it('gives the same id to the same address in the same namespace only', () => {
    const ids = new AddressIds();
    const a = ids.intern('net:[1]', '10.0.0.1');
    expect(ids.intern('net:[1]', '10.0.0.1')).toBe(a);
    expect(ids.intern('net:[2]', '10.0.0.1')).not.toBe(a);
    expect(ids.peek('net:[1]', '10.0.0.1')).toBe(a);
    expect(ids.peek('net:[1]', '10.0.0.9')).toBe(-1);
  });

  it('compacts to the kept ids, renumbered densely', () => {
    const ids = new AddressIds();
    ['a', 'b', 'c', 'd'].forEach((x) => ids.intern('', x));
    const map = ids.compact(Uint8Array.from([0, 1, 0, 1]));
    expect(Array.from(map)).toEqual([-1, 0, -1, 1]);
    expect(ids.size).toBe(2);
    expect([ids.peek('', 'b'), ids.peek('', 'd'), ids.peek('', 'a')]).toEqual([0, 1, -1]);
    expect(ids.intern('', 'e')).toBe(2);
  });
});
