import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attributionNote, attributionStatus, currentAttributionStatus, parseCapEff } from '../../electron/desktop/attribution.js';

describe('process attribution status', () => {
  it('reads CapEff from /proc/self/status text, and null from anything else', () => {
    expect(parseCapEff('Name:\tx\nCapEff:\t000001ffffffffff\nCapBnd:\t0\n')).toBe(0x1ffffffffffn);
    expect(parseCapEff('CapEff:\t0000000000000000\n')).toBe(0n);
    expect(parseCapEff('CapEff: zz\n')).toBeNull();
    expect(parseCapEff('')).toBeNull();
  });

  it('reads this process\'s real status file', () => {
    if (process.platform !== 'linux') return expect(currentAttributionStatus().kind).toBe('unknown');
    expect(parseCapEff(readFileSync('/proc/self/status', 'utf8'))).not.toBeNull();
    expect(currentAttributionStatus().kind).toBe(process.getuid?.() === 0 ? 'full' : expect.any(String));
  });

  it('is full as root or with both capabilities, own processes only otherwise, and says what is missing and why', () => {
    expect(attributionStatus('linux', 0, 0n).kind).toBe('full');
    const ptrace = 1n << 19n;
    const dacRead = 1n << 2n;
    expect(attributionStatus('linux', 1000, ptrace | dacRead).kind).toBe('full');
    const limited = attributionStatus('linux', 1000, ptrace);
    expect(limited.kind).toBe('own-processes');
    if (limited.kind === 'own-processes') {
      expect(limited.missing).toContain('/proc/<pid>/fd');
      expect(limited.missing).toContain('CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH');
    }
    expect(attributionNote(limited)).toBe('Owners: your processes only (not root)');
    expect(attributionNote(attributionStatus('linux', 0, null))).toBeNull();
  });

  it('makes no claim on other platforms', () => {
    expect(attributionStatus('darwin', 501, null).kind).toBe('unknown');
    expect(attributionStatus('win32', null, null).kind).toBe('unknown');
  });
});
