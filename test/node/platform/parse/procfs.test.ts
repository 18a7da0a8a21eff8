import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergeRanges } from '../../../../electron/common/port-ranges.js';
import {
  formatPortList,
  parseCounterPairs,
  parseNetnsLink,
  parsePortList,
  parsePortRange,
  parseSockstat,
  parseSysctlInt,
  pickCounters,
} from '../../../../electron/node/platform/parse/procfs.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/linux/procfs/${name}`, import.meta.url), 'utf8');

describe('ip_local_port_range', () => {
  it('reads the two tab-separated ports the kernel writes', () => {
    expect(parsePortRange('32768\t60999\n')).toEqual({ value: { low: 32768, high: 60999 }, problems: [] });
  });
  it('refuses a reversed or out-of-bounds range and names the file', () => {
    expect(parsePortRange('50000 40000').problems[0]).toMatch(/ip_local_port_range: 50000-40000 is not a valid/);
    expect(parsePortRange('1 70000').value).toBeNull();
    expect(parsePortRange('garbage').problems[0]).toMatch(/expected two port numbers, got "garbage"/);
  });
});

describe('ip_local_reserved_ports', () => {
  it('reads an empty file as no reserved ports', () => {
    expect(parsePortList('\n')).toEqual({ value: [], problems: [] });
  });
  it('reads single ports and ranges, merging overlaps', () => {
    expect(parsePortList('9000-9010,8080,9005-9020,9021\n').value).toEqual([
      { low: 8080, high: 8080 },
      { low: 9000, high: 9021 },
    ]);
  });
  it('keeps the good items and reports the bad ones', () => {
    const r = parsePortList('8080,abc,9010-9000');
    expect(r.value).toEqual([{ low: 8080, high: 8080 }]);
    expect(r.problems).toHaveLength(2);
    expect(r.problems[0]).toContain('"abc"');
  });
  it('formats back in the kernel syntax', () => {
    expect(formatPortList(mergeRanges([{ low: 9000, high: 9010 }, { low: 8080, high: 8080 }]))).toBe('8080,9000-9010');
  });
});

describe('sysctl integers', () => {
  it('reads a value and checks its bounds', () => {
    expect(parseSysctlInt('2\n', 'tcp_tw_reuse', 0, 2).value).toBe(2);
    expect(parseSysctlInt('3\n', 'tcp_tw_reuse', 0, 2).problems[0]).toBe('tcp_tw_reuse: 3 is outside 0..2');
    expect(parseSysctlInt('', 'x').value).toBeNull();
  });
});

describe('/proc/net/sockstat', () => {
  it('reads the TCP line of a real capture', () => {
    const r = parseSockstat(fixture('sockstat.txt'));
    expect(r.problems).toEqual([]);
    expect(r.value).toMatchObject({ inuse: expect.any(Number), tw: expect.any(Number), orphan: 0 });
  });
  it('reports a file without a TCP line', () => {
    expect(parseSockstat('UDP: inuse 0').problems[0]).toMatch(/no "TCP:" line/);
  });
});

describe('/proc/net/snmp and /proc/net/netstat', () => {
  it('reads the counters Portwatch uses from real captures', () => {
    const snmp = parseCounterPairs(fixture('snmp.txt'), 'snmp');
    const netstat = parseCounterPairs(fixture('netstat.txt'), 'netstat');
    expect(snmp.problems).toEqual([]);
    expect(netstat.problems).toEqual([]);
    const c = pickCounters(snmp.value, netstat.value, null);
    for (const k of ['activeOpens', 'passiveOpens', 'currEstab', 'timeWaitOverflow', 'twRecycled', 'listenOverflows', 'listenDrops'] as const) {
      expect(c[k], k).toEqual(expect.any(Number));
    }
  });
  it('resynchronises after a broken pair and reports it', () => {
    const r = parseCounterPairs('Tcp: A B\nIp: 1 2\nTcp: A B\nTcp: 5 6\n', 'snmp');
    expect(r.value?.get('Tcp')?.get('B')).toBe(6);
    expect(r.problems[0]).toMatch(/snmp: line 1 and 2/);
  });
});

describe('netns link', () => {
  it('accepts the kernel form and rejects anything else', () => {
    expect(parseNetnsLink('net:[4026531840]').value).toBe('net:[4026531840]');
    expect(parseNetnsLink('../../etc').value).toBeNull();
  });
});

describe('every procfs parser on arbitrary input', () => {
  it('never throws and always returns a value or problems', () => {
    const parsers = [
      (t: string) => parsePortRange(t),
      (t: string) => parsePortList(t),
      (t: string) => parseSysctlInt(t, 'f'),
      (t: string) => parseSockstat(t),
      (t: string) => parseCounterPairs(t, 'f'),
      (t: string) => parseNetnsLink(t),
    ];
    const real = [fixture('snmp.txt'), fixture('netstat.txt'), fixture('sockstat.txt'), '32768\t60999\n', '8080,9000-9010\n'];
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.constantFrom(...real).chain((s) => fc.nat(s.length).map((n) => s.slice(0, n)))), (text) => {
        for (const p of parsers) {
          const r = p(text);
          expect(r.value !== null || r.problems.length > 0).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
