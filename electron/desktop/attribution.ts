// Whether the monitor can say which program owns every socket. On Linux the owner of a socket is found by
// reading /proc/<pid>/fd, which the kernel allows for another user's process only with root or the
// capabilities CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH. The desktop app never runs as root: it says what
// is missing and why instead.
import { readFileSync } from 'node:fs';

/** CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE bit numbers (linux/capability.h). */
const CAP_DAC_READ_SEARCH = 2;
const CAP_SYS_PTRACE = 19;

/** What process attribution can cover here. */
export type AttributionStatus =
  | { kind: 'full'; why: string }
  | { kind: 'own-processes'; why: string; missing: string }
  | { kind: 'unknown'; why: string };

/** The effective capability mask from /proc/self/status text (CapEff: hex), or null when absent or malformed. */
export function parseCapEff(statusText: string): bigint | null {
  const m = /^CapEff:\s*([0-9a-fA-F]{1,16})\s*$/m.exec(statusText);
  return m ? BigInt(`0x${m[1]}`) : null;
}

/** Attribution coverage from the platform, the effective uid and the capability mask. */
export function attributionStatus(platform: NodeJS.Platform, uid: number | null, capEff: bigint | null): AttributionStatus {
  if (platform !== 'linux') return { kind: 'unknown', why: `process attribution limits are only checked on Linux (this is ${platform})` };
  if (uid === 0) return { kind: 'full', why: 'running as root' };
  const has = (bit: number): boolean => capEff !== null && (capEff & (1n << BigInt(bit))) !== 0n;
  if (has(CAP_SYS_PTRACE) && has(CAP_DAC_READ_SEARCH)) return { kind: 'full', why: 'CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH are effective' };
  return {
    kind: 'own-processes',
    why: 'Portwatch runs as your user, so it can name the programs behind your own sockets only.',
    missing:
      "Naming other users' programs means reading their /proc/<pid>/fd, which Linux allows only to root or to a process with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH. Portwatch does not run its window as root.",
  };
}

/** The status of this process (reads /proc/self/status on Linux; never throws). */
export function currentAttributionStatus(): AttributionStatus {
  let cap: bigint | null = null;
  if (process.platform === 'linux') {
    try {
      cap = parseCapEff(readFileSync('/proc/self/status', 'utf8'));
    } catch {
      cap = null;
    }
  }
  return attributionStatus(process.platform, process.getuid?.() ?? null, cap);
}

/** The short tray line for a limited status, or null when nothing is missing. */
export function attributionNote(s: AttributionStatus): string | null {
  return s.kind === 'own-processes' ? 'Owners: your processes only (not root)' : null;
}
