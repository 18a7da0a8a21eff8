// A hash map from three unsigned 32-bit integers to a non-negative int32, in typed arrays.
// Why not Map: a 4-tuple does not fit a small integer, and Map with double keys costs ~200 ns per
// operation and allocates; 150,000 sockets per sample need ~10 ns. Open addressing, linear probing,
// no deletion (callers drop a whole map instead), grows at half load.

const EMPTY = -1;
/** Words per slot: a, b, c, value (one slot in one cache line). */
const W = 4;

/** Map (a, b, c) → value ≥ 0, for uint32 a, b, c. */
export class TripleMap {
  private mask: number;
  private slots: Uint32Array;
  private n = 0;

  constructor(expected = 16) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.mask = cap - 1;
    this.slots = new Uint32Array(cap * W).fill(0xffffffff);
  }

  /** Number of keys. */
  get size(): number {
    return this.n;
  }

  /** The value stored for (a, b, c), or -1. */
  get(a: number, b: number, c: number): number {
    const s = this.slots;
    const mask = this.mask;
    let i = hash(a, b, c) & mask;
    for (;;) {
      const o = i * W;
      const v = s[o + 3]! | 0;
      if (v === EMPTY) return EMPTY;
      if (s[o] === a && s[o + 1] === b && s[o + 2] === c) return v;
      i = (i + 1) & mask;
    }
  }

  /** Stores value (≥ 0) for (a, b, c); true when the key is new. */
  set(a: number, b: number, c: number, value: number): boolean {
    const o = this.slot(a, b, c);
    const isNew = (this.slots[o + 3]! | 0) === EMPTY;
    this.slots[o + 3] = value;
    if (isNew) this.added();
    return isNew;
  }

  /** Adds one to the value of (a, b, c) (a missing key counts as 0) and returns the new value. */
  increment(a: number, b: number, c: number): number {
    const o = this.slot(a, b, c);
    const v = this.slots[o + 3]! | 0;
    if (v === EMPTY) {
      this.slots[o + 3] = 1;
      this.added();
      return 1;
    }
    this.slots[o + 3] = v + 1;
    return v + 1;
  }

  /** Calls fn for every entry (order unspecified). */
  forEach(fn: (a: number, b: number, c: number, value: number) => void): void {
    const s = this.slots;
    for (let o = 0; o < s.length; o += W) {
      const v = s[o + 3]! | 0;
      if (v !== EMPTY) fn(s[o]!, s[o + 1]!, s[o + 2]!, v);
    }
  }

  // The offset of the slot holding (a, b, c), or of the empty slot where it would go (keys written there).
  private slot(a: number, b: number, c: number): number {
    const s = this.slots;
    const mask = this.mask;
    let i = hash(a, b, c) & mask;
    for (;;) {
      const o = i * W;
      if ((s[o + 3]! | 0) === EMPTY) {
        s[o] = a;
        s[o + 1] = b;
        s[o + 2] = c;
        return o;
      }
      if (s[o] === a && s[o + 1] === b && s[o + 2] === c) return o;
      i = (i + 1) & mask;
    }
  }

  private added(): void {
    this.n++;
    if (this.n * 2 > this.mask + 1) this.rehash((this.mask + 1) * 2);
  }

  private rehash(cap: number): void {
    const old = this.slots;
    this.mask = cap - 1;
    this.slots = new Uint32Array(cap * W).fill(0xffffffff);
    for (let o = 0; o < old.length; o += W) {
      const v = old[o + 3]! | 0;
      if (v === EMPTY) continue;
      this.slots[this.slot(old[o]!, old[o + 1]!, old[o + 2]!) + 3] = v;
    }
  }
}

// murmur3's 32-bit finaliser on each part: every input bit reaches the low bits the mask keeps
// (a plain multiply only carries bits upward, and ports sit in the high half of a key part).
function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function hash(a: number, b: number, c: number): number {
  return fmix(Math.imul(fmix(Math.imul(fmix(a), 0x9e3779b1) ^ b), 0x9e3779b1) ^ c) >>> 0;
}

/** A copy of m with the first two key parts renumbered by oldToNew; keys with a part mapped to -1 are dropped. */
export function remapFirstTwo(m: TripleMap, oldToNew: Int32Array): TripleMap {
  const out = new TripleMap(m.size);
  m.forEach((a, b, c, v) => {
    const na = oldToNew[a] ?? -1;
    const nb = oldToNew[b] ?? -1;
    if (na >= 0 && nb >= 0) out.set(na, nb, c, v);
  });
  return out;
}
