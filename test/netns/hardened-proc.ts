// Runs a program in a private mount namespace with less of /proc than usual: the /proc a hardened systemd
// unit gets with ProcSubset=pid (procfs mounted with subset=pid: no /proc/sys and no /proc/net, so the
// range, the sysctls, the counters and /proc/net/tcp cannot be read; netlink still works), or only its
// /proc/net emptied. Optionally with directories hidden under an empty tmpfs (e.g. the sock_diag addon's,
// for a broken install).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './portwatch-cli.js';

// Each wrapper mounts its own view, then empties every directory before "--", then runs the program in
// place (exec keeps the pid, so /proc/$$ is the program's own /proc/self).
const HIDE_REST = 'while [ "$1" != "--" ]; do mount -t tmpfs pw-hidden "$1"; shift; done; shift; exec "$@"';
const HARDEN = `mount -t proc -o subset=pid proc /proc; ${HIDE_REST}`;
const NO_PROC_NET = `mount -t tmpfs pw-hidden /proc/$$/net; ${HIDE_REST}`;

/** Where the sock_diag addon is found (a local build, a prebuilt file): hide them all to make it missing. */
export const ADDON_DIRS: readonly string[] = ['build/Release', 'prebuilds'].map((d) => join(REPO_ROOT, d)).filter((d) => existsSync(d));

/** argv wrapped to run under ProcSubset=pid's /proc, with `hide` directories empty; the program runs in place. */
export function underProcSubsetPid(argv: readonly string[], hide: readonly string[] = []): string[] {
  return ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-ec', HARDEN, 'sh', ...hide, '--', ...argv];
}

/**
 * argv wrapped to run with its /proc/net empty (no /proc/net/tcp, snmp or netstat) but /proc/sys whole,
 * and `hide` directories empty: with the sock_diag addon hidden too, the socket table is unknown while
 * the range and every sysctl can still be read.
 */
export function withoutProcNet(argv: readonly string[], hide: readonly string[] = []): string[] {
  return ['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-ec', NO_PROC_NET, 'sh', ...hide, '--', ...argv];
}
