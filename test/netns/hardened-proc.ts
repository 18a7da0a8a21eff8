// Runs a program under the /proc a hardened systemd unit gets with ProcSubset=pid: procfs mounted with
// subset=pid in a private mount namespace, so there is no /proc/sys and no /proc/net (the range, the
// sysctls, the counters and /proc/net/tcp cannot be read; netlink still works). Optionally with
// directories hidden under an empty tmpfs (e.g. the sock_diag addon's, for a broken install).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './portwatch-cli.js';

const HARDEN = 'mount -t proc -o subset=pid proc /proc; while [ "$1" != "--" ]; do mount -t tmpfs pw-hidden "$1"; shift; done; shift; exec "$@"';

/** Where the sock_diag addon is found (a local build, a prebuilt file): hide them all to make it missing. */
export const ADDON_DIRS: readonly string[] = ['build/Release', 'prebuilds'].map((d) => join(REPO_ROOT, d)).filter((d) => existsSync(d));

/** argv wrapped to run under ProcSubset=pid's /proc, with `hide` directories empty; the program runs in place. */
export function underProcSubsetPid(argv: readonly string[], hide: readonly string[] = []): string[] {
  return ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-ec', HARDEN, 'sh', ...hide, '--', ...argv];
}
