// Chooses the platform backend in one place. A platform without a backend yet gets one whose every
// source says "unsupported", so the rest of Portwatch reports that instead of failing.
import type { PlatformName } from '../../common/model.js';
import { isPlatformName } from '../../common/platform.js';
import { createDarwinBackend } from './darwin/backend.js';
import { parseDarwinSnapshot } from './darwin/snapshot.js';
import { createLinuxBackend, type LinuxBackendOptions } from './linux/backend.js';
import { parseLinuxSnapshot } from './linux/snapshot.js';
import { createWin32Backend } from './win32/backend.js';
import { parseWin32Snapshot } from './win32/snapshot.js';
import type { Backend, RawSnapshot, Snapshot } from './types.js';
import { NO_COUNTERS } from './no-counters.js';


/** The backend for this machine (or the one named). */
export function createBackend(platform: string = process.platform, linux: LinuxBackendOptions = {}): Backend {
  if (platform === 'linux') return createLinuxBackend(linux);
  // The owners switch (portwatch --no-owners) applies everywhere; the other options are Linux paths and timeouts.
  const owners = linux.owners === undefined ? {} : { owners: linux.owners };
  if (platform === 'darwin') return createDarwinBackend(owners);
  if (platform === 'win32') return createWin32Backend(owners);
  return unsupportedBackend(isPlatformName(platform) ? platform : 'linux', platform);
}

function unsupportedBackend(name: PlatformName, actual: string): Backend {
  const error = `no Portwatch backend for ${actual} yet`;
  return {
    platform: name,
    readAll: async () => ({ platform: name, time: Date.now(), sources: [{ name: 'sockets', status: 'unsupported', error, durationMs: 0 }] }),
    readTick: async () => ({
      time: Date.now(),
      counters: { ...NO_COUNTERS },
      sources: [{ name: 'counters', status: 'unsupported', error, durationMs: 0 }],
    }),
  };
}

/** Parses raw sources from any platform into a Snapshot (live or from a capture bundle). */
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
