// A process named by its pid and its start time, so that a recycled pid is not taken for the process
// that holds a countdown or a lock. Linux reads /proc/PID/stat; macOS asks ps (by absolute path, argv);
// Windows has no cheap synchronous start time, so there a live pid is taken as the same process.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** pid plus the start time of that pid (Linux: field 22 of /proc/PID/stat; macOS: ps lstart; Windows: "0"). */
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

/** Parses `ps -o stat=,lstart= -p PID` (macOS): "S    Tue Nov 24 10:15:00 2026" → state and start time. */
export function parsePsStatLstart(text: string): { state: string; startTime: string } | null {
  const m = /^\s*(\S+)\s+(\S.*\S)\s*$/.exec(text.split('\n')[0] ?? '');
  return m ? { state: m[1]!.slice(0, 1), startTime: m[2]!.replace(/\s+/g, ' ') } : null;
}

function readStat(pid: number, platform: NodeJS.Platform): { state: string; startTime: string } | null {
  try {
    if (platform === 'darwin') {
      return parsePsStatLstart(execFileSync('/bin/ps', ['-o', 'stat=,lstart=', '-p', String(pid)], { encoding: 'utf8', env: { LC_ALL: 'C' }, timeout: 5000 }));
    }
    if (platform === 'win32') {
      process.kill(pid, 0);
      return { state: 'R', startTime: '0' };
    }
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** This process. */
export function selfIdentity(platform: NodeJS.Platform = process.platform): ProcessIdentity {
  return { pid: process.pid, startTime: readStat(process.pid, platform)?.startTime ?? '0' };
}

/** True while that very process runs (a zombie has ended). */
export function isAlive(id: ProcessIdentity, platform: NodeJS.Platform = process.platform): boolean {
  if (!Number.isInteger(id.pid) || id.pid <= 0) return false;
  const s = readStat(id.pid, platform);
  return s !== null && s.startTime === id.startTime && s.state !== 'Z' && s.state !== 'X';
}
