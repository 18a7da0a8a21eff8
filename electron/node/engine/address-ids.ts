// Stable small numbers for addresses across samples. A SocketTable interns its addresses per table,
// so its indexes mean nothing in the next sample; owner memory and per-destination history need ids
// that do. Ids are qualified by network namespace (the same address in two namespaces is two hosts).

/** Interns (netns, address) pairs to stable ids; compact() keeps it bounded. */
export class AddressIds {
  /** netns → address → id (two levels: no string built per lookup). */
  private ids = new Map<string, Map<string, number>>();
  private names: [netns: string, addr: string][] = [];

  /** Number of interned addresses. */
  get size(): number {
    return this.names.length;
  }

  /** The id of (netns, addr), creating it on first sight. */
  intern(netns: string, addr: string): number {
    let byAddr = this.ids.get(netns);
    if (!byAddr) {
      byAddr = new Map();
      this.ids.set(netns, byAddr);
    }
    let id = byAddr.get(addr);
    if (id === undefined) {
      id = this.names.length;
      this.names.push([netns, addr]);
      byAddr.set(addr, id);
    }
    return id;
  }

  /** The id of (netns, addr), or -1 when it was never interned (or was dropped). */
  peek(netns: string, addr: string): number {
    return this.ids.get(netns)?.get(addr) ?? -1;
  }

  /**
   * Keeps only the ids marked in `keep` (indexed by old id) and renumbers them densely.
   * Returns old id → new id (-1 for dropped ids); every holder of ids must remap with it.
   */
  compact(keep: Uint8Array): Int32Array {
    const oldToNew = new Int32Array(this.names.length).fill(-1);
    const old = this.names;
    this.ids = new Map();
    this.names = [];
    old.forEach(([netns, addr], id) => {
      if (keep[id]) oldToNew[id] = this.intern(netns, addr); // interning in order numbers them densely
    });
    return oldToNew;
  }
}
