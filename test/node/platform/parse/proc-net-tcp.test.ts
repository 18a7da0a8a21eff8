import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TCP_STATE } from '../../../../electron/common/tcp-state.js';
import { parseProcNetTcp } from '../../../../electron/node/platform/parse/proc-net-tcp.js';
import { socketRow } from '../../../../electron/node/platform/socket-table.js';
import { SCENARIO_ROWS, expectedKeys, fixture, tableKeys } from './socket-fixtures.js';

const tcp = fixture('proc-net-tcp.txt');
const tcp6 = fixture('proc-net-tcp6.txt');
const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

describe('parseProcNetTcp on a real capture', () => {
  it('reads every socket of /proc/net/tcp and /proc/net/tcp6 (bound-only sockets are not listed there)', () => {
    const a = parseProcNetTcp(tcp, 'proc-net-tcp');
    const b = parseProcNetTcp(tcp6, 'proc-net-tcp6');
    expect([...a.problems, ...b.problems]).toEqual([]);
    expect([...tableKeys(a.table), ...tableKeys(b.table)].sort()).toEqual(expectedKeys(SCENARIO_ROWS));
  });

  it('takes the family from the address width and shows IPv4-mapped addresses the way ss does', () => {
    const { table } = parseProcNetTcp(tcp6);
    for (let i = 0; i < table.count; i++) expect(table.family[i]).toBe(6);
    expect(table.addrs).toEqual(expect.arrayContaining(['::1', '::', '::ffff:127.0.0.1']));
  });

  it('reads the TIME-WAIT age from the timer, which counts the rest down in 10 ms ticks', () => {
    const { table } = parseProcNetTcp(tcp);
    const tw = Array.from({ length: table.count }, (_, i) => socketRow(table, i)).filter((r) => r.state === TCP_STATE.TIME_WAIT);
    expect(tw).toHaveLength(1);
    // the captured line says "03:0000173C": 0x173C = 5948 ticks = 59.48 s left
    expect(tw[0]!.timeWaitAgeMs).toBe(60_000 - 5948 * 10);
    expect(tw[0]!.inode).toBe(0);
  });
});

describe('parseProcNetTcp on crafted lines', () => {
  const line = (local: string, remote: string, st: string, timer: string, inode: string): string =>
    `   0: ${local} ${remote} ${st} 00000000:00000000 ${timer} 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;

  it('decodes host-order hex addresses and plain hex ports', () => {
    const { table, problems } = parseProcNetTcp(HEADER + line('0100000A:0050', '0200000A:C350', '01', '00:00000000', '4242'));
    expect(problems).toEqual([]);
    expect(socketRow(table, 0)).toEqual({
      family: 4, state: 1, localAddr: '10.0.0.1', localPort: 80, remoteAddr: '10.0.0.2', remotePort: 50000, inode: 4242, pid: -1, timeWaitAgeMs: -1,
    });
  });

  it('never reports a negative TIME-WAIT age', () => {
    const { table } = parseProcNetTcp(HEADER + line('0100007F:0050', '0100007F:C350', '06', '03:00002000', '0'));
    expect(table.timeWaitAgeMs[0]).toBe(0);
  });

  it('names the line of every row it cannot read and keeps the others', () => {
    const text =
      HEADER +
      line('0100007F:0050', '0100007F:C350', '01', '00:00000000', '1') +
      '   1: 0100007F:0050\n' +
      line('0100007F:XYZ0', '0100007F:C350', '01', '00:00000000', '2') +
      line('0100007F:0050', '0100007F:C350', '0F', '00:00000000', '3') +
      line('0100007F:0050', '0100007F:C350', '01', 'garbage', '4') +
      line('0100007F:0050', '0100007F:C350', '01', '00:00000000', '99999999999') +
      line('0100007F:0051', '0100007F:C350', '0A', '00:00000000', '5');
    const { table, problems } = parseProcNetTcp(text, 'proc-net-tcp');
    expect(table.count).toBe(2);
    expect(problems).toEqual([
      'proc-net-tcp: line 3: 2 columns, expected at least 10',
      'proc-net-tcp: line 4: unreadable local address',
      'proc-net-tcp: line 5: unknown TCP state "0F"',
      'proc-net-tcp: line 6: unreadable timer "garbage"',
      'proc-net-tcp: line 7: unreadable inode "99999999999"',
    ]);
  });

  it('reports empty input', () => {
    expect(parseProcNetTcp('', 'proc-net-tcp6').problems).toEqual(['proc-net-tcp6: empty (not even the header line)']);
  });
});

describe('parseProcNetTcp on malformed input', () => {
  const whole = tableKeys(parseProcNetTcp(tcp6).table);

  it('never throws when a real capture is cut at any offset, and keeps only rows of the whole', () => {
    for (let cut = 0; cut <= tcp6.length; cut++) {
      const { table } = parseProcNetTcp(tcp6.subarray(0, cut));
      for (const k of tableKeys(table)) expect(whole).toContain(k);
    }
  });

  it('never throws on arbitrary text or bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 500 }), fc.uint8Array({ maxLength: 500 })), (input) => {
        const { table, problems } = parseProcNetTcp(typeof input === 'string' ? input : Buffer.from(input));
        expect(table.count).toBeGreaterThanOrEqual(0);
        expect(Array.isArray(problems)).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });

  it('never throws when characters of a real capture are replaced at random', () => {
    const text = tcp.toString('latin1');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: text.length - 1 }), fc.constantFrom(' ', '\n', ':', 'G', '0', 'F', '\t')), { maxLength: 30 }), (edits) => {
        const chars = [...text];
        for (const [at, c] of edits) chars[at] = c;
        const { table } = parseProcNetTcp(chars.join(''));
        for (let i = 0; i < table.count; i++) expect(table.state[i]).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 2_000 },
    );
  });
});
