import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { excludedAsReserved, parseDynamicPort, parseExcludedPortRanges } from '../../../electron/common/parse/win32-netsh.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../fixtures/win32/${name}`, import.meta.url));

describe('netsh show dynamicport', () => {
  it('reads the real English output as start 49152 and 16,384 ports', () => {
    expect(parseDynamicPort(fixture('netsh-dynamicport-tcp.txt'), 'n')).toEqual({
      value: { start: 49152, count: 16384, range: { low: 49152, high: 65535 } },
      problems: [],
    });
  });
  it('reads German and French output (code page 850) the same way, by shape', () => {
    const english = parseDynamicPort(fixture('netsh-dynamicport-tcp.txt'), 'n').value;
    expect(parseDynamicPort(fixture('netsh-dynamicport-tcp-de.txt'), 'n')).toEqual({ value: english, problems: [] });
    expect(parseDynamicPort(fixture('netsh-dynamicport-tcp-fr.txt'), 'n')).toEqual({ value: english, problems: [] });
  });
  it('refuses a range that runs past 65535 and output without two numbers', () => {
    expect(parseDynamicPort('Start Port : 65000\r\nNumber of Ports : 1000\r\n', 'n').problems).toEqual(['n: start 65000 with 1000 ports is not a range of ports']);
    expect(parseDynamicPort('The requested operation requires elevation.\r\n', 'n').value).toBeNull();
  });
});

describe('netsh show excludedportrange', () => {
  it('reads the real output: five ranges, one administered', () => {
    const r = parseExcludedPortRanges(fixture('netsh-excludedportrange-tcp.txt'), 'x');
    expect(r.problems).toEqual([]);
    expect(r.value).toEqual([
      { low: 5985, high: 5985, administered: false },
      { low: 47001, high: 47001, administered: false },
      { low: 49673, high: 49772, administered: false },
      { low: 50000, high: 50059, administered: true },
      { low: 50060, high: 50159, administered: false },
    ]);
    // As reserved ports: touching ranges merge.
    expect(excludedAsReserved(r.value!)).toEqual([
      { low: 5985, high: 5985 },
      { low: 47001, high: 47001 },
      { low: 49673, high: 49772 },
      { low: 50000, high: 50159 },
    ]);
  });
  it('reads the German output by shape', () => {
    expect(parseExcludedPortRanges(fixture('netsh-excludedportrange-tcp-de.txt'), 'x').value).toEqual([
      { low: 5357, high: 5357, administered: false },
      { low: 50000, high: 50059, administered: true },
    ]);
  });
  it('reads an empty table as no exclusions, and text without a table as unreadable', () => {
    const empty = '\r\nProtocol tcp Port Exclusion Ranges\r\n\r\nStart Port    End Port\r\n----------    --------\r\n\r\n* - Administered port exclusions.\r\n';
    expect(parseExcludedPortRanges(empty, 'x')).toEqual({ value: [], problems: [] });
    expect(parseExcludedPortRanges('Element not found.\r\n', 'x').value).toBeNull();
  });
  it('never throws', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 800 }), (b) => void (parseDynamicPort(b, 'n'), parseExcludedPortRanges(b, 'x'))), { numRuns: 300 });
  });
});
