// Turns raw IPv4/IPv6 address bits into the text `ss` prints, and interns them into a SocketTableBuilder
// through caches keyed by the bits, so 150,000 sockets cost a handful of string builds, not 300,000.
import type { SocketTableBuilder } from '../socket-table.js';

/** An IPv4 address from its 32 bits in network order (a.b.c.d = a<<24 | b<<16 | c<<8 | d). */
export function formatIPv4(bits: number): string {
  return `${bits >>> 24}.${(bits >>> 16) & 255}.${(bits >>> 8) & 255}.${bits & 255}`;
}

/**
 * An IPv6 address from its four 32-bit words in network order, exactly as glibc's inet_ntop (and so
 * `ss`) writes it: lower-case, the first longest run of two or more zero groups as "::", and
 * "::ffff:a.b.c.d" for IPv4-mapped (and "::a.b.c.d" for the old IPv4-compatible) addresses.
 */
export function formatIPv6(w0: number, w1: number, w2: number, w3: number): string {
  const words = [w0 >>> 16, w0 & 0xffff, w1 >>> 16, w1 & 0xffff, w2 >>> 16, w2 & 0xffff, w3 >>> 16, w3 & 0xffff];
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else curLen++;
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      return out + formatIPv4(w3 >>> 0);
    }
    out += words[i]!.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
  return out;
}

function v4Hash(bits: number): number {
  const h = Math.imul(bits, 0x9e3779b1);
  return h ^ (h >>> 16);
}

function v6Hash(w0: number, w1: number, w2: number, w3: number): number {
  const h = Math.imul(w0 ^ Math.imul(w1, 0x9e3779b1) ^ Math.imul(w2, 0x85ebca77) ^ Math.imul(w3, 0xc2b2ae3d), 0x27d4eb2f);
  return h ^ (h >>> 15);
}

/**
 * Interns addresses into a builder, keyed by their bits in small open-addressing tables (IPv4: the
 * 32-bit value; IPv6: its four words), so the hot path allocates nothing. Local and remote addresses
 * each remember the last one seen: dumps come in runs of the same few hosts.
 */
export class AddressInterner {
  private v4Keys = new Int32Array(256);
  private v4Values = new Int32Array(256); // interned index + 1; 0 = empty slot
  private v4Count = 0;
  private readonly lastBits = new Int32Array(2);
  private readonly lastIndex = new Int32Array([-1, -1]);
  // IPv6 table: 4 key words per slot and the interned index (+1, so 0 means empty).
  private v6Keys = new Int32Array(4 * 64);
  private v6Values = new Int32Array(64);
  private v6Count = 0;

  constructor(readonly builder: SocketTableBuilder) {}

  /**
   * The builder index of the IPv4 address with these bits (network order, signed or unsigned);
   * `side` (0 local, 1 remote) picks the one-entry cache to try first.
   */
  ipv4(bits: number, side: 0 | 1 = 0): number {
    bits |= 0;
    if (this.lastBits[side] === bits && this.lastIndex[side]! >= 0) return this.lastIndex[side]!;
    const mask = this.v4Values.length - 1;
    let slot = v4Hash(bits) & mask;
    let index = -1;
    for (;;) {
      const v = this.v4Values[slot]!;
      if (v === 0) break;
      if (this.v4Keys[slot] === bits) {
        index = v - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (index < 0) {
      index = this.builder.intern(formatIPv4(bits >>> 0));
      this.v4Keys[slot] = bits;
      this.v4Values[slot] = index + 1;
      if (++this.v4Count * 2 > this.v4Values.length) this.growV4();
    }
    this.lastBits[side] = bits;
    this.lastIndex[side] = index;
    return index;
  }

  /** The builder index of the IPv6 address with these four words (network order). */
  ipv6(w0: number, w1: number, w2: number, w3: number): number {
    w0 |= 0;
    w1 |= 0;
    w2 |= 0;
    w3 |= 0;
    const mask = this.v6Values.length - 1;
    let slot = v6Hash(w0, w1, w2, w3) & mask;
    for (;;) {
      const v = this.v6Values[slot]!;
      if (v === 0) break;
      const k = slot * 4;
      const keys = this.v6Keys;
      if (keys[k] === w0 && keys[k + 1] === w1 && keys[k + 2] === w2 && keys[k + 3] === w3) return v - 1;
      slot = (slot + 1) & mask;
    }
    const index = this.builder.intern(formatIPv6(w0 >>> 0, w1 >>> 0, w2 >>> 0, w3 >>> 0));
    const k = slot * 4;
    this.v6Keys[k] = w0;
    this.v6Keys[k + 1] = w1;
    this.v6Keys[k + 2] = w2;
    this.v6Keys[k + 3] = w3;
    this.v6Values[slot] = index + 1;
    if (++this.v6Count * 2 > this.v6Values.length) this.growV6();
    return index;
  }

  private growV4(): void {
    const oldKeys = this.v4Keys;
    const oldValues = this.v4Values;
    this.v4Keys = new Int32Array(oldKeys.length * 2);
    this.v4Values = new Int32Array(oldValues.length * 2);
    const mask = this.v4Values.length - 1;
    for (let s = 0; s < oldValues.length; s++) {
      if (oldValues[s] === 0) continue;
      let slot = v4Hash(oldKeys[s]!) & mask;
      while (this.v4Values[slot] !== 0) slot = (slot + 1) & mask;
      this.v4Keys[slot] = oldKeys[s]!;
      this.v4Values[slot] = oldValues[s]!;
    }
  }

  private growV6(): void {
    const oldKeys = this.v6Keys;
    const oldValues = this.v6Values;
    this.v6Keys = new Int32Array(oldKeys.length * 2);
    this.v6Values = new Int32Array(oldValues.length * 2);
    const mask = this.v6Values.length - 1;
    for (let s = 0; s < oldValues.length; s++) {
      if (oldValues[s] === 0) continue;
      const [w0, w1, w2, w3] = [oldKeys[s * 4]!, oldKeys[s * 4 + 1]!, oldKeys[s * 4 + 2]!, oldKeys[s * 4 + 3]!];
      let slot = v6Hash(w0, w1, w2, w3) & mask;
      while (this.v6Values[slot] !== 0) slot = (slot + 1) & mask;
      const k = slot * 4;
      this.v6Keys[k] = w0;
      this.v6Keys[k + 1] = w1;
      this.v6Keys[k + 2] = w2;
      this.v6Keys[k + 3] = w3;
      this.v6Values[slot] = oldValues[s]!;
    }
  }
}
