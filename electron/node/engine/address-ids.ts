// Stable small numbers for addresses across samples. A SocketTable interns its addresses per table,
// so its indexes mean nothing in the next sample; owner memory and per-destination history need ids
// that do. Ids are qualified by network namespace (the same address in two namespaces is two hosts).

/** Interns (netns, address) pairs to stable ids; compact() keeps it bounded. */
export class AddressIds {
  private ids = new Map<string, number>();
  private names: string[] = [];

  /** Number of interned addresses. */
  get size(): number {
    return this.names.length;
  }

  /** The id of (netns, addr), creating it on first sight. */
  intern(netns: string, addr: string): number {
    const k = `${netns}|${addr}`;
    let id = this.ids.get(k);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(k);
      this.ids.set(k, id);
    }
    return id;
  }

  /** The id of (netns, addr), or -1 when it was never interned (or was dropped). */
  peek(netns: string, addr: string): number {
    return this.ids.get(`${netns}|${addr}`) ?? -1;
  }

  /**
   * Keeps only the ids marked in `keep` (indexed by old id) and renumbers them densely.
   * Returns old id → new id (-1 for dropped ids); every holder of ids must remap with it.
   */
  compact(keep: Uint8Array): Int32Array {
    const oldToNew = new Int32Array(this.names.length).fill(-1);
    const names: string[] = [];
    const ids = new Map<string, number>();
    for (let old = 0; old < this.names.length; old++) {
      if (!keep[old]) continue;
      const k = this.names[old]!;
      oldToNew[old] = names.length;
      ids.set(k, names.length);
      names.push(k);
    }
    this.names = names;
    this.ids = ids;
    return oldToNew;
  }
}
