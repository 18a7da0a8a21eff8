import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTcpTimedWaitDelay, win32TimeWait } from '../../../electron/common/parse/win32-registry.js';

describe('TcpTimedWaitDelay', () => {
  it('reads the REG_DWORD reg query prints (0x1e = 30 s) and makes it the TIME-WAIT length', () => {
    const r = parseTcpTimedWaitDelay(readFileSync(new URL('../../fixtures/win32/reg-tcptimedwaitdelay.txt', import.meta.url)));
    expect(r).toEqual({ value: 30, problems: [] });
    expect(win32TimeWait(30)).toMatchObject({ timeWaitSec: 30, problem: null });
  });
  it('reads empty output (reg exited 1: no such value) as not set, and then uses 120 s, saying why', () => {
    expect(parseTcpTimedWaitDelay('')).toEqual({ value: 'not set', problems: [] });
    const tw = win32TimeWait('not set');
    expect(tw.timeWaitSec).toBe(120);
    expect(tw.timeWaitSource).toBe('TcpTimedWaitDelay not set: Windows default 120 s (documented since Windows Server 2003; Windows 2000 documentation says 240 s)');
  });
  it('flags a value outside the documented 30–300 s', () => {
    expect(win32TimeWait(5).problem).toBe('TcpTimedWaitDelay 5 s is outside the documented 30–300 s');
  });
  it('gives nothing for other text, and never throws', () => {
    expect(parseTcpTimedWaitDelay('FEHLER: Zugriff verweigert', 'r').value).toBeNull();
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (t) => void parseTcpTimedWaitDelay(t)), { numRuns: 300 });
  });
});
