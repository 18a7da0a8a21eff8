import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TCP_STATE } from '../../../../electron/common/tcp-state.js';
import { parseDarwinEndpoint, parseDarwinNetstat } from '../../../../electron/node/platform/parse/darwin-netstat.js';
import { socketRow } from '../../../../electron/node/platform/socket-table.js';
import type { SocketTable } from '../../../../electron/node/platform/types.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/darwin/${name}`, import.meta.url));
const rows = (t: SocketTable | null) => (t ? Array.from({ length: t.count }, (_, i) => socketRow(t, i)) : []);

describe('parseDarwinNetstat on the real Mojave capture', () => {
  it('reads both sockets with their state and pid from the header columns', () => {
    const r = parseDarwinNetstat(fixture('netstat-anv-mojave.txt'));
    expect(r.problems).toEqual([]);
    expect(rows(r.table)).toEqual([
      { family: 4, state: TCP_STATE.ESTABLISHED, localAddr: '192.168.1.191', localPort: 52044, remoteAddr: '31.13.66.35', remotePort: 443, inode: 0, pid: 9811, timeWaitAgeMs: -1 },
      { family: 4, state: TCP_STATE.CLOSE_WAIT, localAddr: '192.168.1.191', localPort: 52040, remoteAddr: '140.82.114.4', remotePort: 443, inode: 0, pid: 9811, timeWaitAgeMs: -1 },
    ]);
    expect(r.columns?.slice(0, 6)).toEqual(['proto', 'recv-q', 'send-q', 'local address', 'foreign address', '(state)']);
  });
});

describe('parseDarwinNetstat on the layouts of later releases', () => {
  it('Sonoma: every BSD state, dual-stack and IPv6 listeners, the pid column before epid', () => {
    const r = parseDarwinNetstat(fixture('netstat-anv-sonoma.txt'));
    expect(r.problems).toEqual([]);
    const got = rows(r.table).map((x) => [x.state, x.localAddr, x.localPort, x.remoteAddr, x.remotePort, x.pid]);
    expect(got).toEqual([
      [TCP_STATE.ESTABLISHED, '192.168.1.20', 52344, '17.57.146.20', 5223, 523],
      [TCP_STATE.TIME_WAIT, '192.168.1.20', 52346, '17.57.146.20', 5223, 523],
      [TCP_STATE.CLOSE_WAIT, '192.168.1.20', 52350, '140.82.114.4', 443, 9811],
      [TCP_STATE.SYN_SENT, '192.168.1.20', 52351, '140.82.114.4', 443, 9811],
      [TCP_STATE.LISTEN, '::', 8809, '::', 0, 301],
      [TCP_STATE.LISTEN, '::1', 8021, '::', 0, 301],
      [TCP_STATE.CLOSE, '127.0.0.1', 52400, '0.0.0.0', 0, 777],
    ]);
    expect(rows(r.table).map((x) => x.family)).toEqual([4, 4, 4, 4, 6, 6, 4]);
  });

  it('Sequoia with -l: rxbytes/txbytes before rhiwat do not shift the pid, whole IPv6 addresses, zones kept', () => {
    const r = parseDarwinNetstat(fixture('netstat-anvl-sequoia.txt'));
    expect(r.problems).toEqual([]);
    const got = rows(r.table);
    expect(got.map((x) => x.pid)).toEqual([612, 612, 88, 1400, 1400, 1400, 1400, 200, 200]);
    expect(got[0]).toMatchObject({ family: 6, localAddr: '2a01:4f8:c2c:123::1', localPort: 52001, remoteAddr: '2606:4700:4700::1111', remotePort: 443 });
    expect(got[2]).toMatchObject({ localAddr: 'fe80::1%lo0', localPort: 1024, remoteAddr: 'fe80::1%lo0', remotePort: 52003 });
    expect(got.map((x) => x.state)).toEqual([
      TCP_STATE.ESTABLISHED, TCP_STATE.TIME_WAIT, TCP_STATE.ESTABLISHED, TCP_STATE.FIN_WAIT2, TCP_STATE.LAST_ACK,
      TCP_STATE.CLOSING, TCP_STATE.FIN_WAIT1, TCP_STATE.SYN_RECV, TCP_STATE.LISTEN,
    ]);
  });

  it('macOS 26: reads process:pid whose name holds spaces, and the columns after it from the right', () => {
    const r = parseDarwinNetstat(fixture('netstat-anv-tahoe.txt'));
    expect(r.problems).toEqual([]);
    const got = rows(r.table);
    expect(got.map((x) => [x.localPort, x.pid, x.state])).toEqual([
      [49515, 22712, TCP_STATE.ESTABLISHED],
      [49510, 22712, TCP_STATE.ESTABLISHED],
      [52500, 5120, TCP_STATE.TIME_WAIT],
      [52501, 733, TCP_STATE.ESTABLISHED],
      [8080, 9001, TCP_STATE.LISTEN],
      [52502, 77, TCP_STATE.ESTABLISHED],
    ]);
    expect(Object.fromEntries(r.processNames)).toEqual({
      22712: 'Autodesk Fusion',
      5120: 'Google Chrome He',
      733: 'Code Helper (Plugin)',
      9001: 'node',
      77: 'a:b',
    });
  });

  it('finds the pid column wherever a release puts it (never by position)', () => {
    // A made-up future layout: pid moved to the end, a new column before (state).
    const text = [
      'Active Internet connections (including servers)',
      'Proto Recv-Q Send-Q  Local Address          Foreign Address        newcol (state)       rhiwat  shiwat   epid   pid',
      'tcp4       0      0  10.0.0.1.50000         10.0.0.2.80            x      ESTABLISHED  131072  131072      0   4321',
    ].join('\n');
    const r = parseDarwinNetstat(text);
    expect(r.problems).toEqual([]);
    expect(rows(r.table)[0]).toMatchObject({ localPort: 50000, remotePort: 80, pid: 4321, state: TCP_STATE.ESTABLISHED });
  });

  it('reads CRLF line ends like LF', () => {
    const crlf = fixture('netstat-anv-mojave.txt').toString('utf8').replace(/\n/g, '\r\n');
    expect(rows(parseDarwinNetstat(crlf).table)).toEqual(rows(parseDarwinNetstat(fixture('netstat-anv-mojave.txt')).table));
  });
});

describe('parseDarwinNetstat on bad input', () => {
  const header = 'Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)     rhiwat shiwat    pid   epid  state    options';
  it('names the line of every row it cannot read and keeps the others', () => {
    const text = [
      header,
      'tcp4       0      0  10.0.0.1.1      10.0.0.2.80    ESTABLISHED 1 1 10 0 0x0 0x0',
      'tcp4       0      0  10.0.0.1.1      10.0.0.2.80    BOGUS_STATE 1 1 10 0 0x0 0x0',
      'tcp4       0      0  10.0.0.1        10.0.0.2.80    ESTABLISHED 1 1 10 0 0x0 0x0',
      'tcp4       0      0  10.0.0.1.1      10.0.0.2.80    ESTABLISHED 1 1 x 0 0x0 0x0',
      'tcp4       0      0  10.0.0.1.1',
    ].join('\n');
    const r = parseDarwinNetstat(text, 'netstat-anv-tcp');
    expect(r.table?.count).toBe(1);
    expect(r.problems).toEqual([
      'netstat-anv-tcp: line 3: unknown TCP state "BOGUS_STATE"',
      'netstat-anv-tcp: line 4: local address: bad address in "10.0.0.1"',
      'netstat-anv-tcp: line 5: bad pid "x"',
      'netstat-anv-tcp: line 6: 4 columns, the header has 12',
    ]);
  });
  it('reads rows without a header by the six columns every release prints first, and says owners are unknown', () => {
    const r = parseDarwinNetstat('tcp4 0 0 10.0.0.1.5 10.0.0.2.80 ESTABLISHED 1 1 10 0 0x0 0x0\n');
    expect(rows(r.table)[0]).toMatchObject({ localPort: 5, pid: -1 });
    expect(r.problems[0]).toMatch(/before any readable header.*owners unknown/);
  });
  it('gives no table for output that is not netstat at all', () => {
    const r = parseDarwinNetstat('netstat: illegal option -- l\nusage: netstat [-AaLlnW] [-f address_family | -p protocol]\n');
    expect(r.table).toBeNull();
    expect(r.problems).toEqual(['netstat-anv-tcp: no netstat header and no TCP row']);
  });
  it('never throws and never returns more rows than lines, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const r = parseDarwinNetstat(bytes);
        expect(r.table?.count ?? 0).toBeLessThanOrEqual(bytes.length);
      }),
      { numRuns: 300 },
    );
  });
  it('never throws on netstat-like lines with random fields', () => {
    const field = fc.oneof(fc.constantFrom('*.*', '*.80', '10.0.0.1.5', '::1.8', 'ESTABLISHED', 'LISTEN', 'x:1', ':', '.'), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.array(fc.array(field, { maxLength: 16 }), { maxLength: 20 }), (lines) => {
        const text = [header, ...lines.map((l) => ['tcp4', ...l].join(' '))].join('\n');
        const r = parseDarwinNetstat(text);
        expect(r.table).not.toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseDarwinEndpoint', () => {
  it('splits at the last dot and reads "*" as the unspecified address or port', () => {
    expect(parseDarwinEndpoint('*.*', 4)).toEqual({ addr: '0.0.0.0', port: 0 });
    expect(parseDarwinEndpoint('*.443', 6)).toEqual({ addr: '::', port: 443 });
    expect(parseDarwinEndpoint('FE80::1%lo0.22', 6)).toEqual({ addr: 'fe80::1%lo0', port: 22 });
    expect(parseDarwinEndpoint('300.1.1.1.80', 4)).toMatch(/bad IPv4/);
    expect(parseDarwinEndpoint('10.0.0.1.70000', 4)).toMatch(/bad port/);
  });
});
