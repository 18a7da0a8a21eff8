import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWin32Snapshot } from '../../../../electron/node/platform/win32/snapshot.js';
import type { RawSource } from '../../../../electron/node/platform/types.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/win32/${name}`, import.meta.url));
const ok = (name: string, data: Buffer | string): RawSource => ({ name, status: 'ok', durationMs: 5, data: Buffer.isBuffer(data) ? data : Buffer.from(data) });
const read = (sources: RawSource[]) => parseWin32Snapshot({ platform: 'win32', time: 1_700_000_000_000, sources });
const base = (): RawSource[] => [
  ok('win32-tcp-json', fixture('get-nettcpconnection.json')),
  ok('win32-processes-json', fixture('get-process.json')),
  ok('netsh-dynamicport-tcp-ipv4', fixture('netsh-dynamicport-tcp.txt')),
  ok('netsh-dynamicport-tcp-ipv6', fixture('netsh-dynamicport-tcp.txt')),
  ok('netsh-excludedportrange-tcp-ipv4', fixture('netsh-excludedportrange-tcp.txt')),
  ok('reg-tcptimedwaitdelay', ''),
  ok('hostname', 'WIN-BUILD01'),
];

describe('parseWin32Snapshot', () => {
  it('builds the kernel settings from netsh and the registry; excluded ranges become reserved ports', () => {
    const s = read(base());
    expect(s.kernel).toEqual({
      portRange: { low: 49152, high: 65535 },
      reservedPorts: [
        { low: 5985, high: 5985 },
        { low: 47001, high: 47001 },
        { low: 49673, high: 49772 },
        { low: 50000, high: 50159 },
      ],
      unprivilegedPortStart: null,
      twReuse: null,
      twReuseDelayMs: null,
      timestamps: null,
      finTimeoutSec: null,
      maxTwBuckets: null,
      timeWaitSec: 120,
      timeWaitSource: 'TcpTimedWaitDelay not set: Windows default 120 s (documented since Windows Server 2003; Windows 2000 documentation says 240 s)',
      conntrack: null,
    });
    expect(s.hostname).toBe('WIN-BUILD01');
    expect(s.sources.filter((x) => x.status !== 'ok').map((x) => [x.name, x.status])).toEqual([
      ['tcp-counters', 'unsupported'],
      ['time-wait-age', 'unsupported'],
    ]);
    expect(s.portExhaustionEvents).toBeNull(); // not read: unknown, not zero
  });

  it('names only the processes that own sockets', () => {
    const s = read(base());
    expect([...s.processNames.keys()].sort((a, b) => a - b)).toEqual([0, 4, 672, 716, 1712, 2000, 3100, 3200, 44328]);
  });

  it('says when the IPv6 range differs from the IPv4 one that capacity uses', () => {
    const sources = base().map((x) => (x.name === 'netsh-dynamicport-tcp-ipv6' ? ok(x.name, 'Start Port : 1025\r\nNumber of Ports : 64511\r\n') : x));
    const s = read(sources);
    expect(s.kernel.portRange).toEqual({ low: 49152, high: 65535 });
    expect(s.sources.find((x) => x.name === 'netsh-dynamicport-tcp-ipv6')).toMatchObject({
      status: 'degraded',
      error: 'netsh-dynamicport-tcp-ipv6: IPv6 range 1025–65535 differs from IPv4\'s 49152–65535; capacity uses the IPv4 range',
    });
  });

  it('reads the netstat fallback only when the PowerShell table is missing', () => {
    const failed: RawSource = { name: 'win32-tcp-json', status: 'failed', error: 'exited with status 1', durationMs: 900 };
    const s = read([failed, ok('netstat-anoq', fixture('netstat-ano.txt'))]);
    expect(s.sockets?.count).toBe(6);
    const both = read([...base(), ok('netstat-anoq', fixture('netstat-ano.txt'))]);
    expect(both.sockets?.count).toBe(16);
  });

  it('gives no socket table and no range when nothing was read', () => {
    const s = read([]);
    expect(s.sockets).toBeNull();
    expect(s.kernel.portRange).toBeNull();
    expect(s.kernel.reservedPorts).toBeNull();
    expect(s.kernel.timeWaitSource).toMatch(/unreadable/);
  });
});
