// The macOS settings store: reads with `/usr/sbin/sysctl -n key`, writes with `/usr/sbin/sysctl -w
// key=value` (argv, absolute path, no shell), persists in a LaunchDaemon (darwin-launchd.ts). The kernel
// clamps portrange values silently and does not check first ≤ last, and sysctl may exit 0 after a write
// that did not take: the transaction reads every value back, and this store checks first < last itself.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DARWIN_LAUNCHD_PLIST_PATH,
  DARWIN_TUNABLE_KEYS,
  type HelperPlanDocument,
  type TunableKey,
} from '../common/tuning.js';
import { firstLine, type HelperRunner } from './command-runner.js';
import { DARWIN_SYSCTL_PROGRAM, launchdOverrides, renderLaunchdPlist, sysctlWriteArgv } from './darwin-launchd.js';
import { StoreWriteError, type LiveValues, type SettingsStore } from './settings-store.js';
import { CommandFailedError } from '../common/errors/command-failed-error.js';

/** The argv that reads one key. */
export function sysctlReadArgv(key: TunableKey): string[] {
  return [DARWIN_SYSCTL_PROGRAM, '-n', key];
}

const MAX_BOOT_FILES = 500;
const MAX_BOOT_FILE_BYTES = 256 * 1024;

/** LaunchDaemons and /etc/sysctl.conf under `root` ("/" on a Mac): what may also set our keys at boot. */
export async function readDarwinBootFiles(root: string): Promise<{ path: string; text: string }[]> {
  const out: { path: string; text: string }[] = [];
  const read = async (path: string): Promise<void> => {
    const text = await readFile(join(root, path)).then(
      (b) => (b.length > MAX_BOOT_FILE_BYTES ? null : b.toString('utf8')),
      () => null,
    );
    if (text !== null) out.push({ path, text });
  };
  const names = await readdir(join(root, 'Library/LaunchDaemons')).catch(() => [] as string[]);
  for (const n of names.filter((x) => x.endsWith('.plist')).sort().slice(0, MAX_BOOT_FILES)) await read(`/Library/LaunchDaemons/${n}`);
  await read('/etc/sysctl.conf');
  return out;
}

/** The macOS store; `configRoot` is "/" on a Mac (a temporary directory in tests). */
export function createDarwinStore(opts: { runner: HelperRunner; configRoot: string }): SettingsStore {
  const { runner, configRoot } = opts;
  const read = async (key: TunableKey): Promise<string | null> => {
    const [file, ...args] = sysctlReadArgv(key);
    const r = await runner(file!, args);
    const out = r.stdout.toString('latin1').trim();
    if (r.exitCode === 0 && /^\d{1,10}$/.test(out)) return out;
    const said = firstLine(r.stderr, r.stdout);
    if (/unknown oid/i.test(said)) return null;
    throw new CommandFailedError(`${DARWIN_SYSCTL_PROGRAM} -n ${key} ${r.exitCode === 0 ? `printed ${JSON.stringify(out.slice(0, 40))}, not a number` : `exited with status ${r.exitCode}${said ? `: ${said}` : ''}`}`, `${DARWIN_SYSCTL_PROGRAM} -n ${key}`, r.exitCode);
  };
  return {
    platform: 'darwin',
    keys: DARWIN_TUNABLE_KEYS,
    read,
    async write(key, text) {
      // Only whole numbers reach sysctl: a value can never be taken for an option or another key.
      if (!/^\d{1,10}$/.test(text)) throw new StoreWriteError(`not a whole number: ${JSON.stringify(text.slice(0, 40))}`);
      const [file, ...args] = sysctlWriteArgv([{ key, text }]);
      const r = await runner(file!, args);
      if (r.exitCode !== 0) {
        const said = firstLine(r.stderr, r.stdout);
        throw new StoreWriteError(`sysctl refused ${key}=${text} (${r.exitCode === null ? 'ended by a signal' : `exit status ${r.exitCode}`}${said ? `: ${said}` : ''})`);
      }
    },
    checkAgainstLive: async (doc, live) => checkDarwinAgainstLive(doc, live),
    persistence: { path: DARWIN_LAUNCHD_PLIST_PATH, file: join(configRoot, DARWIN_LAUNCHD_PLIST_PATH), mode: 0o644, render: renderLaunchdPlist },
    detectOverrides: async (keys, after) => launchdOverrides(await readDarwinBootFiles(configRoot), after, keys),
  };
}

/** Widen only; first below last once both are written (the kernel does not check it). */
export function checkDarwinAgainstLive(doc: HelperPlanDocument, live: LiveValues): string | null {
  const wanted = (k: TunableKey): number | null => {
    const s = doc.settings.find((x) => x.key === k);
    return s && 'value' in s ? s.value : null;
  };
  const now = (k: TunableKey): number | null => {
    const t = live.get(k);
    return t !== null && t !== undefined && /^\d{1,10}$/.test(t) ? Number(t) : null;
  };
  const first = wanted('net.inet.ip.portrange.first');
  const last = wanted('net.inet.ip.portrange.last');
  if (first === null && last === null) return null;
  const curFirst = now('net.inet.ip.portrange.first');
  const curLast = now('net.inet.ip.portrange.last');
  if (curFirst === null || curLast === null) return 'net.inet.ip.portrange.first/last cannot be read';
  if (curFirst > curLast) {
    return `net.inet.ip.portrange.first (${curFirst}) is above net.inet.ip.portrange.last (${curLast}) now: set them by hand first; the helper only widens a range it can read as first ≤ last`;
  }
  if (first !== null && first > curFirst) return `net.inet.ip.portrange.first: ${first} is above the current ${curFirst}; the helper only widens`;
  if (last !== null && last < curLast) return `net.inet.ip.portrange.last: ${last} is below the current ${curLast}; the helper only widens`;
  const f = first ?? curFirst;
  const l = last ?? curLast;
  if (f >= l) return `net.inet.ip.portrange.first ${f} would not be below net.inet.ip.portrange.last ${l}`;
  return null;
}
