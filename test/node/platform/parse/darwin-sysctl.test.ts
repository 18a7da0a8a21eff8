import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { darwinPortRange, darwinTimeWait, parseSysctlValues } from '../../../../electron/node/platform/parse/darwin-sysctl.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/darwin/${name}`, import.meta.url), 'utf8');

describe('macOS sysctl output', () => {
  it('reads every key of the real portrange capture, the privileged lowfirst/lowlast included', () => {
    const r = parseSysctlValues(fixture('sysctl-portrange.txt'), 'sysctl');
    expect(r.problems).toEqual([]);
    expect(Object.fromEntries(r.value!)).toEqual({
      'net.inet.ip.portrange.lowfirst': 1023,
      'net.inet.ip.portrange.lowlast': 600,
      'net.inet.ip.portrange.first': 49152,
      'net.inet.ip.portrange.last': 65535,
      'net.inet.ip.portrange.hifirst': 49152,
      'net.inet.ip.portrange.hilast': 65535,
    });
  });
  it('takes the connect() range from portrange.first/last', () => {
    const values = parseSysctlValues(fixture('sysctl-portrange.txt'), 'sysctl').value!;
    expect(darwinPortRange(values, 'sysctl')).toEqual({ value: { low: 49152, high: 65535 }, problems: [] });
  });
  it('reads a reversed range the way the kernel uses it (counting down) and says so', () => {
    const values = parseSysctlValues('net.inet.ip.portrange.first: 60000\nnet.inet.ip.portrange.last: 50000\n', 's').value!;
    const r = darwinPortRange(values, 's');
    expect(r.value).toEqual({ low: 50000, high: 60000 });
    expect(r.problems[0]).toMatch(/first 60000 is above portrange.last 50000/);
  });
  it('names the missing key', () => {
    const values = parseSysctlValues('net.inet.ip.portrange.first: 49152\n', 's').value!;
    expect(darwinPortRange(values, 's')).toEqual({ value: null, problems: ['s: net.inet.ip.portrange.last missing'] });
  });
  it('turns the real MSL capture into a 30 s TIME-WAIT and names the setting', () => {
    const values = parseSysctlValues(fixture('sysctl-msl.txt'), 'sysctl').value;
    expect(darwinTimeWait(values)).toEqual({ timeWaitSec: 30, timeWaitSource: '2 × net.inet.tcp.msl (15000 ms)', problem: null });
  });
  it('follows a changed MSL, and assumes the default (saying so) when it is unreadable', () => {
    expect(darwinTimeWait(new Map([['net.inet.tcp.msl', 5000]])).timeWaitSec).toBe(10);
    const unknown = darwinTimeWait(null);
    expect(unknown.timeWaitSec).toBe(30);
    expect(unknown.timeWaitSource).toMatch(/unreadable.*default/);
  });
  it('reports lines that are not "key: number" and keeps the rest; never throws', () => {
    const r = parseSysctlValues('sysctl: unknown oid \'net.inet.ip.portrange.hifirst\'\nnet.inet.tcp.msl: 15000\n', 's');
    expect(r.value?.get('net.inet.tcp.msl')).toBe(15000);
    expect(r.problems).toHaveLength(1);
    fc.assert(fc.property(fc.string({ maxLength: 500 }), (t) => void parseSysctlValues(t, 's')), { numRuns: 300 });
  });
});
