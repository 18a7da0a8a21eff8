// Parses raw sources from any platform into a Snapshot, synchronously: for what may hold another
// platform's reads (capture bundles, remote hosts, plans made from them). It loads all three platforms'
// parsers; the live sampler loads only its own through loadSnapshotParser (index.ts).
import { parseDarwinSnapshot } from './darwin/snapshot.js';
import { parseLinuxSnapshot } from './linux/snapshot.js';
import { parseWin32Snapshot } from './win32/snapshot.js';
import type { RawSnapshot, Snapshot } from './types.js';

/** Parses raw sources from any platform into a Snapshot (live, remote or from a capture bundle). */
export function parseSnapshot(raw: RawSnapshot): Snapshot {
  switch (raw.platform) {
    case 'linux':
      return parseLinuxSnapshot(raw);
    case 'darwin':
      return parseDarwinSnapshot(raw);
    case 'win32':
      return parseWin32Snapshot(raw);
  }
}
