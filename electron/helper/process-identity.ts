// A process named by its pid and its start time, so that a recycled pid is not taken for the process
// that holds a countdown or a lock.
import { readFileSync } from 'node:fs';

/** pid plus the kernel's start time of that pid (field 22 of /proc/PID/stat, clock ticks since boot). */
export interface ProcessIdentity {
  pid: number;
  startTime: string;
}

/** Parses /proc/PID/stat: state and start time (the command name may hold spaces and parentheses). */
export function parseProcStat(text: string): { state: string; startTime: string } | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const f = text.slice(close + 1).trim().split(/\s+/);
  // f[0] is field 3 (state); field 22 (starttime) is f[19].
  const state = f[0];
  const startTime = f[19];
  return state !== undefined && startTime !== undefined && /^\d+$/.test(startTime) ? { state, startTime } : null;
}

function readStat(pid: number): { state: string; startTime: string } | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** This process. */
export function selfIdentity(): ProcessIdentity {
  return { pid: process.pid, startTime: readStat(process.pid)?.startTime ?? '0' };
}

/** True while that very process runs (a zombie has ended). */
export function isAlive(id: ProcessIdentity): boolean {
  if (!Number.isInteger(id.pid) || id.pid <= 0) return false;
  const s = readStat(id.pid);
  return s !== null && s.startTime === id.startTime && s.state !== 'Z' && s.state !== 'X';
}
