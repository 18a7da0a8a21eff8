import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDarwinTcpStats } from '../../../../electron/node/platform/parse/darwin-netstat-stats.js';

// Built from the printf formats of network_cmds netstat.tproj/inet.c tcp_stats (constructed numbers).
const STATS = [
  'tcp:',
  '\t1234567 packets sent',
  '\t\t1000 data packets (100000 bytes)',
  '\t987654 packets received',
  '\t4242 connection requests',
  '\t17 connection accepts',
  '\t0 bad connection attempts',
  '\t3 listen queue overflows',
  '\t4200 connections established (including accepts)',
  '\t\t12 connections updated cached RTT on close',
].join('\n');

describe('parseDarwinTcpStats', () => {
  it('reads connection requests as ActiveOpens, accepts as PassiveOpens, and listen queue overflows', () => {
    expect(parseDarwinTcpStats(STATS)).toEqual({ value: { activeOpens: 4242, passiveOpens: 17, listenOverflows: 3 }, problems: [] });
  });
  it('reads the singular forms netstat prints for 1', () => {
    expect(parseDarwinTcpStats('tcp:\n\t1 connection request\n\t1 connection accept\n\t1 listen queue overflow\n').value).toEqual({
      activeOpens: 1,
      passiveOpens: 1,
      listenOverflows: 1,
    });
  });
  it('says which counters are missing, and gives nothing for other text; never throws', () => {
    expect(parseDarwinTcpStats('tcp:\n\t5 connection requests\n', 's').problems).toEqual(['s: no line for passiveOpens, listenOverflows']);
    expect(parseDarwinTcpStats('hello').value).toBeNull();
    fc.assert(fc.property(fc.string({ maxLength: 500 }), (t) => void parseDarwinTcpStats(t)), { numRuns: 300 });
  });
});
