// Chooses the platform backend in one place. A platform without a backend yet gets one whose every
// source says "unsupported", so the rest of Portwatch reports that instead of failing. Each platform's
// readers and parsers load on first use, so a command loads its own platform's, not all three (issue 13:
// the CLI loads only what its command needs).
import type { PlatformName } from '../../common/model.js';
import { isPlatformName } from '../../common/platform.js';
import type { LinuxBackendOptions } from './linux/backend.js';
import type { Backend, RawSnapshot, Snapshot } from './types.js';
import { NO_COUNTERS } from './no-counters.js';

/** The backend for this machine (or the one named); its platform's modules load on its first read. */
export function createBackend(platform: string = process.platform, linux: LinuxBackendOptions = {}): Backend {
  if (platform === 'linux') return deferredBackend('linux', async () => (await import('./linux/backend.js')).createLinuxBackend(linux));
  // The owners switch (portwatch --no-owners) applies everywhere; the other options are Linux paths and timeouts.
  const owners = linux.owners === undefined ? {} : { owners: linux.owners };
  if (platform === 'darwin') return deferredBackend('darwin', async () => (await import('./darwin/backend.js')).createDarwinBackend(owners));
  if (platform === 'win32') return deferredBackend('win32', async () => (await import('./win32/backend.js')).createWin32Backend(owners));
  return unsupportedBackend(isPlatformName(platform) ? platform : 'linux', `no Portwatch backend for ${platform} yet`);
}

type SnapshotParser = (raw: RawSnapshot) => Snapshot;
const parsers = new Map<PlatformName, Promise<SnapshotParser>>();

/** The parser of one platform's raw sources, loaded on first use; later calls (one per full sample)
 *  return the same promise without asking the module loader again. */
export function loadSnapshotParser(platform: PlatformName): Promise<SnapshotParser> {
  let parser = parsers.get(platform);
  if (!parser) parsers.set(platform, (parser = importSnapshotParser(platform)));
  return parser;
}

async function importSnapshotParser(platform: PlatformName): Promise<SnapshotParser> {
  switch (platform) {
    case 'linux':
      return (await import('./linux/snapshot.js')).parseLinuxSnapshot;
    case 'darwin':
      return (await import('./darwin/snapshot.js')).parseDarwinSnapshot;
    case 'win32':
      return (await import('./win32/snapshot.js')).parseWin32Snapshot;
  }
}

/**
 * A backend whose module loads on its first read. A module that cannot load (a broken install) makes
 * every read say so, source by source, as a backend never throws.
 */
function deferredBackend(platform: PlatformName, load: () => Promise<Backend>): Backend {
  let loading: Promise<Backend> | undefined;
  let readying: Promise<void> | undefined;
  const loaded = (): Promise<Backend> =>
    (loading ??= load().catch((e: unknown) => unsupportedBackend(platform, `cannot load Portwatch's ${platform} backend: ${e instanceof Error ? e.message : String(e)}`)));
  return {
    platform,
    readAll: async (signal) => (await loaded()).readAll(signal),
    readTick: async (signal) => (await loaded()).readTick(signal),
    // nothing to release before the first read
    close: async () => {
      if (loading) await (await loading).close?.();
    },
    // Settled once: the sampler awaits it before every tick, which then costs nothing.
    ready: () => (readying ??= Promise.all([loaded(), loadSnapshotParser(platform)]).then(() => undefined)),
  };
}

function unsupportedBackend(name: PlatformName, error: string): Backend {
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
