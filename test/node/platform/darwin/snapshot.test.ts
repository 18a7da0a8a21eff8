import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDarwinSnapshot } from '../../../../electron/node/platform/darwin/snapshot.js';
import type { RawSource } from '../../../../electron/node/platform/types.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/darwin/${name}`, import.meta.url));
const ok = (name: string, data: Buffer | string): RawSource => ({ name, status: 'ok', durationMs: 3, data: Buffer.isBuffer(data) ? data : Buffer.from(data) });
const read = (sources: RawSource[]) => parseDarwinSnapshot({ platform: 'darwin', time: 1_700_000_000_000, sources });
const sysctl = () => ok('sysctl-net-inet', Buffer.concat([fixture('sysctl-portrange.txt'), fixture('sysctl-msl.txt')]));

describe('parseDarwinSnapshot', () => {
  it('builds the kernel settings: range from portrange.first/last, TIME-WAIT 2 × msl, Linux-only settings null', () => {
    const s = read([sysctl(), ok('netstat-anv-tcp', fixture('netstat-anv-mojave.txt')), ok('hostname', 'mac.local\n')]);
    expect(s.kernel).toEqual({
      portRange: { low: 49152, high: 65535 },
      reservedPorts: null,
      unprivilegedPortStart: null,
      twReuse: null,
      twReuseDelayMs: null,
      timestamps: null,
      finTimeoutSec: null,
      maxTwBuckets: null,
      timeWaitSec: 30,
      timeWaitSource: '2 × net.inet.tcp.msl (15000 ms)',
      conntrack: null,
    });
    expect(s.hostname).toBe('mac.local');
    expect(s.platform).toBe('darwin');
    expect(s.sockets?.count).toBe(2);
  });

  it('says what macOS cannot provide as unsupported sources, and missing counters as null (never zero)', () => {
    const s = read([sysctl(), ok('netstat-anv-tcp', fixture('netstat-anv-mojave.txt'))]);
    expect(s.sources.filter((x) => x.status === 'unsupported').map((x) => x.name)).toEqual(['reserved-ports', 'time-wait-age']);
    expect(Object.values(s.counters).every((v) => v === null)).toBe(true);
    for (let i = 0; i < s.sockets!.count; i++) expect(s.sockets!.timeWaitAgeMs[i]).toBe(-1);
  });

  it('names processes from ps on releases whose netstat prints only pids, and from netstat on macOS 26', () => {
    const older = read([sysctl(), ok('netstat-anv-tcp', fixture('netstat-anv-mojave.txt')), ok('ps-processes', ' 9811 /Applications/Slack.app/Contents/MacOS/Slack\n  1 /sbin/launchd\n')]);
    expect(Object.fromEntries(older.processNames)).toEqual({ 9811: 'Slack' }); // only pids that own sockets
    const tahoe = read([sysctl(), ok('netstat-anv-tcp', fixture('netstat-anv-tahoe.txt')), ok('ps-processes', '22712 /Applications/Other Name\n')]);
    expect(tahoe.processNames.get(22712)).toBe('Autodesk Fusion'); // netstat's own name wins
  });

  it('degrades the source a problem came from and fails the one that gave nothing', () => {
    const s = read([
      ok('sysctl-net-inet', 'net.inet.ip.portrange.first: 60000\nnet.inet.ip.portrange.last: 50000\nnet.inet.tcp.msl: 15000\n'),
      ok('netstat-anv-tcp', 'netstat: sysctl: net.inet.tcp.pcblist_n: Operation not permitted\n'),
    ]);
    expect(s.kernel.portRange).toEqual({ low: 50000, high: 60000 });
    const byName = Object.fromEntries(s.sources.map((x) => [x.name, x]));
    expect(byName['sysctl-net-inet']).toMatchObject({ status: 'degraded', error: expect.stringMatching(/allocates from 50000 to 60000/) });
    expect(byName['netstat-anv-tcp']).toMatchObject({ status: 'failed', error: 'netstat-anv-tcp: no netstat header and no TCP row' });
    expect(s.sockets).toBeNull();
  });

  it('keeps the status of sources that could not be read', () => {
    const s = read([{ name: 'netstat-anv-tcp', status: 'timeout', error: 'no answer within 10000 ms', durationMs: 10000 }]);
    expect(s.sockets).toBeNull();
    expect(s.sources[0]).toEqual({ name: 'netstat-anv-tcp', status: 'timeout', error: 'no answer within 10000 ms', durationMs: 10000 });
  });
});
