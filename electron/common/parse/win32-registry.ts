// Parses `reg query HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters /v TcpTimedWaitDelay`
// and decides how long TIME-WAIT lasts on this Windows. Pure; never throws.
//
// With the value set, reg prints "    TcpTimedWaitDelay    REG_DWORD    0x1e". Without it reg exits 1 with a
// translated message; the backend stores that as empty output, so empty means "not set".
// The default is documented two ways: Windows 2000's TCP/IP reference says 0xF0 (240 s = 2 MSL of
// 120 s); Windows Server 2003's and later references say 0x78 (120 s). Portwatch uses 120 s, the figure
// of the newer documentation, and says so.
import { bytesAsLatin1, type ParseResult } from '../parse-result.js';

/** What TIME-WAIT is on Windows when TcpTimedWaitDelay is not set. */
export const WIN32_DEFAULT_TIME_WAIT_SEC = 120;
/** The documented range of TcpTimedWaitDelay, seconds. */
export const TCP_TIMED_WAIT_DELAY_RANGE = { min: 30, max: 300 } as const;

/** TcpTimedWaitDelay in seconds, or 'not set'. */
export function parseTcpTimedWaitDelay(data: Uint8Array | string, source = 'reg-tcptimedwaitdelay'): ParseResult<number | 'not set'> {
  const text = bytesAsLatin1(data);
  if (text.trim() === '') return { value: 'not set', problems: [] };
  const m = /^\s*TcpTimedWaitDelay\s+REG_DWORD\s+(0x[0-9a-fA-F]{1,8}|\d{1,10})\s*$/m.exec(text);
  if (!m) return { value: null, problems: [`${source}: no "TcpTimedWaitDelay REG_DWORD value" line`] };
  const n = Number(m[1]);
  return { value: n, problems: [] };
}

/** timeWaitSec and timeWaitSource for KernelSettings, with a note when the value is outside the documented range. */
export function win32TimeWait(value: number | 'not set' | null): { timeWaitSec: number; timeWaitSource: string; problem: string | null } {
  if (value === 'not set') {
    return {
      timeWaitSec: WIN32_DEFAULT_TIME_WAIT_SEC,
      timeWaitSource: 'TcpTimedWaitDelay not set: Windows default 120 s (documented since Windows Server 2003; Windows 2000 documentation says 240 s)',
      problem: null,
    };
  }
  if (value === null) {
    return {
      timeWaitSec: WIN32_DEFAULT_TIME_WAIT_SEC,
      timeWaitSource: 'TcpTimedWaitDelay unreadable: Windows default 120 s assumed (some documentation says 240 s)',
      problem: null,
    };
  }
  const { min, max } = TCP_TIMED_WAIT_DELAY_RANGE;
  const problem = value < min || value > max ? `TcpTimedWaitDelay ${value} s is outside the documented ${min}–${max} s` : null;
  return { timeWaitSec: value, timeWaitSource: `registry TcpTimedWaitDelay (${value} s; takes effect after a reboot)`, problem };
}
