import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TCP_STATE } from '../../../../electron/common/tcp-state.js';
import { normaliseStateWord, parseWin32Endpoint, parseWin32Netstat, UNKNOWN_STATE, WIN32_NETSTAT_WORDS } from '../../../../electron/node/platform/parse/win32-netstat.js';
import { socketRow } from '../../../../electron/node/platform/socket-table.js';
import type { SocketTable } from '../../../../electron/node/platform/types.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/win32/${name}`, import.meta.url));
const rows = (t: SocketTable | null) => (t ? Array.from({ length: t.count }, (_, i) => socketRow(t, i)) : []);

describe('parseWin32Netstat on the real English capture', () => {
  it('reads every TCP row: listeners, TIME_WAIT with pid 0, and the BOUND row of -q', () => {
    const r = parseWin32Netstat(fixture('netstat-ano.txt'), null);
    expect(r.problems).toEqual([]);
    expect(rows(r.table).map((x) => [x.state, x.localAddr, x.localPort, x.remoteAddr, x.remotePort, x.pid])).toEqual([
      [TCP_STATE.LISTEN, '0.0.0.0', 80, '0.0.0.0', 0, 4],
      [TCP_STATE.LISTEN, '0.0.0.0', 135, '0.0.0.0', 0, 672],
      [TCP_STATE.LISTEN, '0.0.0.0', 3306, '0.0.0.0', 0, 1060],
      [TCP_STATE.LISTEN, '0.0.0.0', 49152, '0.0.0.0', 0, 368],
      [TCP_STATE.TIME_WAIT, '127.0.0.1', 50001, '127.0.0.1', 9090, 0],
      [TCP_STATE.BOUND, '0.0.0.0', 50100, '0.0.0.0', 0, 44328],
    ]);
  });
  it('reads CRLF output (as netstat prints it) like LF', () => {
    const crlf = fixture('netstat-ano.txt').toString('latin1').replace(/\n/g, '\r\n');
    expect(rows(parseWin32Netstat(crlf, null).table)).toEqual(rows(parseWin32Netstat(fixture('netstat-ano.txt'), null).table));
  });
});

describe('parseWin32Netstat in other languages', () => {
  it('knows every German state word of the real German capture, whatever code page printed the Ö', () => {
    const text = fixture('netstat-an-de-real.txt').toString('utf8');
    const words = text.split('\n').filter((l) => /^\s*TCP\s/.test(l)).map((l) => l.trim().split(/\s+/)[3]!);
    expect(words.length).toBeGreaterThan(0);
    for (const w of words) expect(WIN32_NETSTAT_WORDS[normaliseStateWord(w)], w).toBeDefined();
    expect(normaliseStateWord('ABH\u2122REN')).toBe('ABH?REN'); // CP850 0x99 read as CP1252
    expect(normaliseStateWord(Buffer.from([0x41, 0x42, 0x48, 0x99, 0x52, 0x45, 0x4e]).toString('latin1'))).toBe('ABH?REN');
    expect(normaliseStateWord(Buffer.from('ABHÖREN', 'utf8').toString('latin1'))).toBe('ABH?REN');
  });
  it('says that the real German capture, made without -o, has no pids (its rows cannot be owned)', () => {
    const r = parseWin32Netstat(fixture('netstat-an-de-real.txt'), null, 'netstat-anoq');
    expect(r.table).toBeNull();
    expect(r.problems[0]).toMatch(/^netstat-anoq: line 4: last field "ABH.*REN" is not a pid \(run netstat with -o\)$/);
  });
  it('reads a German -anoq capture (constructed, code page 850): known words mapped, the unknown BOUND word by shape', () => {
    const r = parseWin32Netstat(fixture('netstat-anoq-de.txt'), fixture('netstat-ano-de.txt'));
    expect(rows(r.table).map((x) => [x.state, x.localPort, x.pid])).toEqual([
      [TCP_STATE.LISTEN, 135, 672],
      [TCP_STATE.LISTEN, 445, 4],
      [TCP_STATE.FIN_WAIT2, 44080, 5120],
      [TCP_STATE.ESTABLISHED, 49293, 2000],
      [TCP_STATE.CLOSE_WAIT, 49842, 2000],
      [TCP_STATE.TIME_WAIT, 51232, 0],
      [TCP_STATE.SYN_SENT, 51300, 2000],
      [TCP_STATE.LISTEN, 135, 672],
      [TCP_STATE.ESTABLISHED, 49155, 3100],
      // GEBUNDEN: not a known word; absent from netstat -ano, so a bound-only port.
      [TCP_STATE.BOUND, 50100, 44328],
    ]);
    expect([...r.unknownWords]).toEqual([['GEBUNDEN', 1]]);
    expect(r.problems).toEqual([expect.stringMatching(/state word "GEBUNDEN" \(1 rows\) not recognised: read by shape/)]);
  });
  it('tells listeners from bound-only ports by netstat -ano when no word is known', () => {
    // Every word replaced by one the parser cannot know (as in a language it has never seen).
    const scramble = (b: Buffer) =>
      b.toString('latin1').replace(/^(\s*TCP\s+\S+\s+\S+\s+)(\S+)/gm, (_m, head: string, word: string) => `${head}${'Z' + word.length}`);
    const r = parseWin32Netstat(scramble(fixture('netstat-anoq-de.txt')), scramble(fixture('netstat-ano-de.txt')));
    expect(rows(r.table).map((x) => x.state)).toEqual([
      TCP_STATE.LISTEN, TCP_STATE.LISTEN, UNKNOWN_STATE, UNKNOWN_STATE, UNKNOWN_STATE, TCP_STATE.TIME_WAIT, UNKNOWN_STATE,
      TCP_STATE.LISTEN, UNKNOWN_STATE, TCP_STATE.BOUND,
    ]);
    // Without netstat -ano the held ports are all read as listening, and the problem says why.
    const alone = parseWin32Netstat(scramble(fixture('netstat-anoq-de.txt')), null);
    expect(rows(alone.table).at(-1)?.state).toBe(TCP_STATE.LISTEN);
    expect(alone.problems.join(' ')).toMatch(/as netstat -ano was not read/);
  });
  it('reads a French capture (constructed): translated headers, English state words', () => {
    const r = parseWin32Netstat(fixture('netstat-anoq-fr.txt'), null);
    expect(r.problems).toEqual([]);
    expect(rows(r.table).map((x) => x.state)).toEqual([TCP_STATE.LISTEN, TCP_STATE.ESTABLISHED, TCP_STATE.TIME_WAIT, TCP_STATE.BOUND]);
  });
});

describe('parseWin32Netstat on bad input', () => {
  it('names bad rows by line and keeps the good ones', () => {
    const text = '  TCP    0.0.0.0:80   0.0.0.0:0   LISTENING   4\r\n  TCP    0.0.0.0:x    0.0.0.0:0   LISTENING   4\r\n  TCP    0.0.0.0:81\r\n';
    const r = parseWin32Netstat(text, null, 'n');
    expect(r.table?.count).toBe(1);
    expect(r.problems).toEqual(['n: line 2: bad local endpoint "0.0.0.0:x"', 'n: line 3: 2 fields, expected protocol, two endpoints, state and pid']);
  });
  it('never throws', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1500 }), (b) => void parseWin32Netstat(b, b)), { numRuns: 300 });
    const field = fc.oneof(fc.constantFrom('0.0.0.0:0', '[::]:0', '[::1]:5', '1.2.3.4:80', 'LISTENING', '0', '12'), fc.string({ maxLength: 10 }));
    fc.assert(
      fc.property(fc.array(fc.array(field, { maxLength: 7 }), { maxLength: 20 }), (lines) => {
        const text = lines.map((l) => ['  TCP', ...l].join('  ')).join('\r\n');
        void parseWin32Netstat(text, text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseWin32Endpoint', () => {
  it('reads IPv4, bracketed IPv6 with a zone, and refuses the rest', () => {
    expect(parseWin32Endpoint('127.0.0.1:9090')).toEqual({ addr: '127.0.0.1', port: 9090, family: 4 });
    expect(parseWin32Endpoint('[FE80::1%12]:5000')).toEqual({ addr: 'fe80::1%12', port: 5000, family: 6 });
    expect(parseWin32Endpoint('*:*')).toBeNull();
    expect(parseWin32Endpoint('[::1]')).toBeNull();
  });
});
