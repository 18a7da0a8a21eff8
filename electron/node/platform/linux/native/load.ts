// Loads the sock_diag addon (built by node-gyp from binding.gyp into build/Release/) and says why not
// when it cannot: not Linux, not built, built for another architecture, or missing its functions.
// It never throws; the Linux backend then falls back to /proc/net/tcp.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What sock_diag.c exports (see the comment at its top). */
export interface SockDiagAddon {
  /** One NETLINK_SOCK_DIAG TCP dump of one family: the netlink messages as received, NLMSG_DONE included. */
  dumpTcp(family: 4 | 6, stateMask: number): Promise<Buffer>;
  /** "pid\tcomm\tinode inode ...\n" per process holding sockets, from /proc/<pid>/fd. */
  scanSocketOwners(): Promise<Buffer>;
}

/** The namespace half of the addon (sock_diag.c readNetns / scanNetns); an older build lacks it. */
export interface NetnsAddon {
  /** Reads one namespace from a thread inside it: framed parts (dump v4, dump v6, each file). */
  readNetns(nsPath: string, stateMask: number, files: string[], timeoutMs: number): Promise<Buffer>;
  /** "pid\tcomm\tnetns inode\n" per process. */
  scanNetns(): Promise<Buffer>;
}

/** The addon's namespace functions, or null when this build has none. */
export function netnsAddon(addon: SockDiagLoadResult): NetnsAddon | null {
  if ('unavailable' in addon) return null;
  const a = addon as Partial<NetnsAddon>;
  return typeof a.readNetns === 'function' && typeof a.scanNetns === 'function' ? (a as NetnsAddon) : null;
}

/** The addon's descriptor function (sock_diag.c setCloexec), or null when this build has none. */
export function cloexecAddon(addon: SockDiagLoadResult): ((fd: number) => void) | null {
  if ('unavailable' in addon) return null;
  const set = (addon as { setCloexec?: unknown }).setCloexec;
  return typeof set === 'function' ? (set as (fd: number) => void) : null;
}

/** The addon, or the reason it cannot be used. */
export type SockDiagLoadResult = SockDiagAddon | { unavailable: string };

const ADDON_FILE = join('build', 'Release', 'sock_diag.node');
/** The prebuilt addon of this architecture, as node-gyp-build and prebuildify lay it out. */
export const PREBUILT_FILE = join('prebuilds', `${process.platform}-${process.arch}`, 'sock_diag.napi.node');
// From electron/node/platform/linux/native/ (source) or out/node/electron/... (compiled) up to the
// package root; in a packaged app the root is app.asar, whose .node files Electron reads unpacked.
const MAX_LEVELS_UP = 10;

let cached: SockDiagLoadResult | undefined;

/**
 * The addon files to try, best first, at the first package root found walking up from here: a local build
 * (build/Release, made for exactly this Node), then the prebuilt one for this platform and architecture —
 * node-gyp-build's order.
 */
export function findAddons(from: string = dirname(fileURLToPath(import.meta.url))): string[] {
  let dir = from;
  for (let i = 0; i < MAX_LEVELS_UP; i++) {
    const found = [ADDON_FILE, PREBUILT_FILE].map((f) => join(dir, f)).filter((f) => existsSync(f));
    if (found.length > 0) return found;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return [];
}

/** The package root's first addon file (see findAddons), or null. */
export function findAddon(from?: string): string | null {
  return findAddons(from)[0] ?? null;
}

/** Loads the addon from `path` (default: the first of findAddons that loads); cached when no path is given. */
export function loadSockDiag(path?: string): SockDiagLoadResult {
  if (path === undefined && cached) return cached;
  const result = path === undefined ? loadFirst() : loadFile(path);
  if (path === undefined) cached = result;
  return result;
}

function loadFirst(): SockDiagLoadResult {
  if (process.platform !== 'linux') return { unavailable: `sock_diag is Linux-only (this is ${process.platform})` };
  let files: string[];
  try {
    files = findAddons();
  } catch (err) {
    return { unavailable: `could not look for ${ADDON_FILE}: ${message(err)}` };
  }
  if (files.length === 0) return { unavailable: `neither ${ADDON_FILE} nor ${PREBUILT_FILE} found (no prebuilt addon for ${process.platform}-${process.arch}, and not built: run npm install, or node-gyp rebuild)` };
  // Every reason is kept: a local build for another Node and a prebuilt file that fails say different things.
  const reasons: string[] = [];
  for (const f of files) {
    const r = loadFile(f);
    if (!('unavailable' in r)) return r;
    reasons.push(r.unavailable);
  }
  return { unavailable: reasons.join('; ') };
}

function loadFile(file: string): SockDiagLoadResult {
  if (process.platform !== 'linux') return { unavailable: `sock_diag is Linux-only (this is ${process.platform})` };
  try {
    const addon: unknown = createRequire(import.meta.url)(file);
    if (isAddon(addon)) return addon;
    return { unavailable: `${file} does not export dumpTcp and scanSocketOwners` };
  } catch (err) {
    // e.g. "wrong ELF class", "invalid ELF header" (another architecture), a missing symbol
    return { unavailable: `${file} could not be loaded: ${message(err)}` };
  }
}

function isAddon(x: unknown): x is SockDiagAddon {
  const a = x as Partial<SockDiagAddon> | null;
  return typeof a === 'object' && a !== null && typeof a.dumpTcp === 'function' && typeof a.scanSocketOwners === 'function';
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}
