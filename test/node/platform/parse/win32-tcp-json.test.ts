import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TCP_STATE } from '../../../../electron/common/tcp-state.js';
import { parseWin32TcpJson, win32Address } from '../../../../electron/node/platform/parse/win32-tcp-json.js';
import { socketRow } from '../../../../electron/node/platform/socket-table.js';
import type { SocketTable } from '../../../../electron/node/platform/types.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/win32/${name}`, import.meta.url));
const rows = (t: SocketTable | null) => (t ? Array.from({ length: t.count }, (_, i) => socketRow(t, i)) : []);

describe('parseWin32TcpJson', () => {
  it('maps every MSFT_NetTCPConnection State number, Bound (100) included', () => {
    const r = parseWin32TcpJson(fixture('get-nettcpconnection.json'));
    expect(r.problems).toEqual([]);
    expect(rows(r.table).map((x) => x.state)).toEqual([
      TCP_STATE.LISTEN, TCP_STATE.LISTEN, TCP_STATE.LISTEN, TCP_STATE.ESTABLISHED, TCP_STATE.TIME_WAIT, TCP_STATE.CLOSE_WAIT,
      TCP_STATE.SYN_SENT, TCP_STATE.BOUND, TCP_STATE.ESTABLISHED, TCP_STATE.FIN_WAIT2, TCP_STATE.LAST_ACK, TCP_STATE.SYN_RECV,
      TCP_STATE.FIN_WAIT1, TCP_STATE.CLOSING, TCP_STATE.CLOSE, TCP_STATE.CLOSE,
    ]);
  });

  it('keeps owners (TIME-WAIT has pid 0), ports and addresses; IPv6 in lower case', () => {
    const got = rows(parseWin32TcpJson(fixture('get-nettcpconnection.json')).table);
    expect(got[0]).toEqual({ family: 6, state: TCP_STATE.LISTEN, localAddr: '::', localPort: 49676, remoteAddr: '::', remotePort: 0, inode: 0, pid: 716, timeWaitAgeMs: -1 });
    expect(got[4]).toMatchObject({ family: 4, localAddr: '192.168.1.50', localPort: 49813, remoteAddr: '13.107.5.93', remotePort: 443, pid: 0 });
    expect(got[7]).toMatchObject({ state: TCP_STATE.BOUND, localPort: 50100, pid: 44328 });
    expect(got[8]).toMatchObject({ family: 6, remoteAddr: 'fe80::1' });
  });

  it('reads State written as enum names exactly like the numbers', () => {
    const byNumber = rows(parseWin32TcpJson(fixture('get-nettcpconnection.json')).table);
    const byName = parseWin32TcpJson(fixture('get-nettcpconnection-enum-names.json'));
    expect(byName.problems).toEqual([]);
    expect(rows(byName.table)).toEqual(byNumber);
  });

  it('reads a single connection printed as an object, not a list', () => {
    const r = parseWin32TcpJson(fixture('get-nettcpconnection-single.json'));
    expect(r.problems).toEqual([]);
    expect(r.table?.count).toBe(1);
  });

  it('reads the {"value": [...], "Count": n} wrapping of Windows PowerShell 5.1, a BOM and an empty list', () => {
    const list = JSON.parse(fixture('get-nettcpconnection.json').toString('utf8'));
    expect(parseWin32TcpJson(JSON.stringify({ value: list, Count: list.length })).table?.count).toBe(list.length);
    expect(parseWin32TcpJson('\ufeff' + JSON.stringify(list)).table?.count).toBe(list.length);
    expect(parseWin32TcpJson('[]\r\n')).toMatchObject({ problems: [] });
    expect(parseWin32TcpJson('[]').table?.count).toBe(0);
  });

  it('names each element it cannot read and keeps the others', () => {
    const text = JSON.stringify([
      { LocalAddress: '10.0.0.1', LocalPort: 50000, RemoteAddress: '10.0.0.2', RemotePort: 80, State: 5, OwningProcess: 9 },
      { LocalAddress: 'nonsense', LocalPort: 1, RemoteAddress: '10.0.0.2', RemotePort: 80, State: 5, OwningProcess: 9 },
      { LocalAddress: '10.0.0.1', LocalPort: 70000, RemoteAddress: '10.0.0.2', RemotePort: 80, State: 5, OwningProcess: 9 },
      { LocalAddress: '10.0.0.1', LocalPort: 1, RemoteAddress: '10.0.0.2', RemotePort: 80, State: 42, OwningProcess: 9 },
      'text',
    ]);
    const r = parseWin32TcpJson(text, 'win32-tcp-json');
    expect(r.table?.count).toBe(1);
    expect(r.problems).toEqual([
      'win32-tcp-json: element 1: bad LocalAddress "nonsense"',
      'win32-tcp-json: element 2: bad LocalPort 70000',
      'win32-tcp-json: element 3: unknown State 42',
      'win32-tcp-json: element 4: not an object',
    ]);
  });

  it('gives no table for output that is not JSON, naming the source', () => {
    expect(parseWin32TcpJson('Get-NetTCPConnection : Zugriff verweigert', 'win32-tcp-json')).toMatchObject({ table: null, problems: [expect.stringMatching(/^win32-tcp-json: not valid JSON/)] });
    expect(parseWin32TcpJson('', 'x').problems).toEqual(['x: empty output (expected a JSON list)']);
    expect(parseWin32TcpJson('42').table).toBeNull();
  });

  it('never throws, whatever the bytes or the JSON', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1000 }), (b) => void parseWin32TcpJson(b)), { numRuns: 300 });
    fc.assert(fc.property(fc.jsonValue(), (v) => void parseWin32TcpJson(JSON.stringify(v))), { numRuns: 300 });
    const conn = fc.record({
      LocalAddress: fc.oneof(fc.constant('10.0.0.1'), fc.constant('::1'), fc.string()),
      LocalPort: fc.oneof(fc.integer(), fc.string()),
      RemoteAddress: fc.oneof(fc.constant('0.0.0.0'), fc.string()),
      RemotePort: fc.integer(),
      State: fc.oneof(fc.integer({ min: 0, max: 120 }), fc.constantFrom('Bound', 'TimeWait', 'x')),
      OwningProcess: fc.oneof(fc.integer(), fc.constant(null)),
    });
    fc.assert(fc.property(fc.array(conn, { maxLength: 30 }), (list) => void parseWin32TcpJson(JSON.stringify(list))), { numRuns: 300 });
  });
});

describe('win32Address', () => {
  it('accepts IPv4 and IPv6 (with a zone), and nothing else', () => {
    expect(win32Address('0.0.0.0')).toEqual({ addr: '0.0.0.0', family: 4 });
    expect(win32Address('FE80::1%12')).toEqual({ addr: 'fe80::1%12', family: 6 });
    expect(win32Address('::ffff:10.0.0.1')).toEqual({ addr: '::ffff:10.0.0.1', family: 6 });
    expect(win32Address('256.0.0.1')).toBeNull();
    expect(win32Address(7)).toBeNull();
  });
});
