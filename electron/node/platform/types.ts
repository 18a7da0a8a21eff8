// What a platform backend hands the engine. Backends do I/O only; parsers turn raw sources into a
// Snapshot; the engine analyses Snapshots. A capture bundle is the raw sources saved byte for byte, so
// `check --bundle` runs the very same parsers on another machine.
import type { KernelCounters, KernelSettings, PlatformName, SourceStatus } from '../../common/model.js';

/**
 * Every TCP socket of one moment, columnar (150,000 sockets must not become 150,000 objects).
 * Row i is described by the i-th element of each column. Addresses are interned: localAddr[i] and
 * remoteAddr[i] index into `addrs`, which holds the textual address ("127.0.0.1", "::1").
 */
export interface SocketTable {
  count: number;
  /** 4 or 6. */
  family: Uint8Array;
  /** TCP state number (see common/tcp-state.ts). */
  state: Uint8Array;
  localPort: Uint16Array;
  remotePort: Uint16Array;
  localAddr: Uint32Array;
  remoteAddr: Uint32Array;
  /** Socket inode (Linux); 0 when unknown or for TIME-WAIT. */
  inode: Uint32Array;
  /** Owning process id, -1 when unknown (TIME-WAIT has none anywhere). */
  pid: Int32Array;
  /** For TIME-WAIT sockets: milliseconds they have been in TIME-WAIT, -1 when unknown. */
  timeWaitAgeMs: Int32Array;
  /** Interned textual addresses. */
  addrs: string[];
}

/** One raw source as read: its bytes (exactly as read) and how reading went. */
export interface RawSource {
  /** Stable id; also the file name inside a capture bundle. */
  name: string;
  status: SourceStatus['status'];
  error?: string;
  durationMs: number;
  /** The bytes read, absent when reading failed. */
  data?: Buffer;
}

/** Everything one full read produced, before parsing. */
export interface RawSnapshot {
  platform: PlatformName;
  /** Epoch ms when reading started. */
  time: number;
  sources: RawSource[];
}

/** The parsed, platform-neutral picture of one moment. */
export interface Snapshot {
  time: number;
  platform: PlatformName;
  hostname: string;
  /** Network namespace identity the sockets were read in ("" when unknown). */
  netns: string;
  kernel: KernelSettings;
  counters: KernelCounters;
  /** Null when no socket source could be read. */
  sockets: SocketTable | null;
  /** Process names by pid, for the pids seen in `sockets`. */
  processNames: Map<number, string>;
  sources: SourceStatus[];
}

/** The cheap 1 Hz reading: O(1) sources only. */
export interface Tick {
  time: number;
  counters: KernelCounters;
  sources: SourceStatus[];
}

/** A platform's I/O. Chosen once in platform/index.ts; what a platform lacks is an "unsupported" source. */
export interface Backend {
  platform: PlatformName;
  /** Reads every raw source (with per-source timeouts); never throws. */
  readAll(signal?: AbortSignal): Promise<RawSnapshot>;
  /** Reads only the cheap counters; never throws. */
  readTick(signal?: AbortSignal): Promise<Tick>;
  /** Releases what the backend keeps open between reads (file handles); a later read opens them again. */
  close?(): Promise<void>;
  /** Loads the code the backend reads and parses with (loaded on demand), so a sample's cost is its own. */
  ready?(): Promise<void>;
}
