import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TCP_STATE, tcpStateName } from '../../../../electron/common/tcp-state.js';
import { parseInetDiag } from '../../../../electron/node/platform/parse/inet-diag.js';
import { parseProcNetTcp } from '../../../../electron/node/platform/parse/proc-net-tcp.js';
import { socketRow } from '../../../../electron/node/platform/socket-table.js';
import { parseSs } from '../../../netns/ss.js';
import { BOUND_ROWS, SCENARIO_ROWS, expectedKeys, fixture, tableKeys } from './socket-fixtures.js';
import { rowKey } from '../linux/socket-scenario.js';

const v4 = fixture('tcp-diag-inet.bin');
const v6 = fixture('tcp-diag-inet6.bin');

/** Builds netlink messages: a header in the given byte order followed by a payload. */
function nlmsg(type: number, payload: Buffer, le = true): Buffer {
  const len = 16 + payload.length;
  const b = Buffer.alloc((len + 3) & ~3);
  if (le) {
    b.writeUInt32LE(len, 0);
    b.writeUInt16LE(type, 4);
  } else {
    b.writeUInt32BE(len, 0);
    b.writeUInt16BE(type, 4);
  }
  payload.copy(b, 16);
  return b;
}

function done(status = 0): Buffer {
  const p = Buffer.alloc(4);
  p.writeInt32LE(status);
  return nlmsg(3, p);
}

/** One IPv4 inet_diag_msg (little-endian host fields). */
function v4Socket(state: number, src: number, sport: number, dst: number, dport: number, inode: number, expires = 0): Buffer {
  const m = Buffer.alloc(72);
  m[0] = 2;
  m[1] = state;
  m.writeUInt16BE(sport, 4);
  m.writeUInt16BE(dport, 6);
  m.writeUInt32BE(src, 8);
  m.writeUInt32BE(dst, 24);
  m.writeUInt32LE(expires, 52);
  m.writeUInt32LE(inode, 68);
  return nlmsg(20, m);
}

/** Rewrites a little-endian dump as a big-endian host would have written it. */
function toBigEndian(le: Buffer): Buffer {
  const b = Buffer.from(le);
  let off = 0;
  while (off + 16 <= b.length) {
    const len = b.readUInt32LE(off);
    const type = b.readUInt16LE(off + 4);
    b.writeUInt32BE(len, off);
    b.writeUInt16BE(type, off + 4);
    b.writeUInt16BE(b.readUInt16LE(off + 6), off + 6);
    b.writeUInt32BE(b.readUInt32LE(off + 8), off + 8);
    b.writeUInt32BE(b.readUInt32LE(off + 12), off + 12);
    const m = off + 16;
    if (type === 20) for (const f of [40, 44, 48, 52, 56, 60, 64, 68]) b.writeUInt32BE(b.readUInt32LE(m + f), m + f);
    if (type === 2 || type === 3) b.writeInt32BE(b.readInt32LE(m), m);
    off += (len + 3) & ~3;
  }
  return b;
}

describe('parseInetDiag on a real capture', () => {
  it('reads every socket of the captured IPv4 and IPv6 dumps, bound-only ones as BOUND', () => {
    const { table, problems } = parseInetDiag([v4, v6]);
    expect(problems).toEqual([]);
    expect(tableKeys(table)).toEqual(expectedKeys([...SCENARIO_ROWS, ...BOUND_ROWS]));
  });

  it('keeps each family apart and shows IPv4-mapped peers the way ss does', () => {
    const { table } = parseInetDiag([v4, v6]);
    for (let i = 0; i < table.count; i++) {
      const r = socketRow(table, i);
      expect(r.family).toBe(r.localAddr.includes(':') ? 6 : 4);
    }
    expect(table.addrs).toContain('::ffff:127.0.0.1');
  });

  it('gives TIME-WAIT sockets an age below 60 s and no inode, every other socket an inode and no age', () => {
    const { table } = parseInetDiag([v4, v6]);
    let timeWait = 0;
    for (let i = 0; i < table.count; i++) {
      const r = socketRow(table, i);
      expect(r.pid).toBe(-1);
      if (r.state === TCP_STATE.TIME_WAIT) {
        timeWait++;
        expect(r.inode).toBe(0);
        expect(r.timeWaitAgeMs).toBeGreaterThanOrEqual(0);
        expect(r.timeWaitAgeMs).toBeLessThan(60_000);
      } else {
        expect(r.inode).toBeGreaterThan(0);
        expect(r.timeWaitAgeMs).toBe(-1);
      }
    }
    expect(timeWait).toBe(SCENARIO_ROWS.filter((r) => r.state === 'TIME-WAIT').length);
  });

  it('agrees with ss -tanH captured from the same namespace (ss 6.1 shows no bound-only sockets)', () => {
    const ss = parseSs(fixture('ss-tanH.txt').toString('utf8'));
    expect(ss.problems).toEqual([]);
    // ss writes the IPv6 wildcard listener as "*:7003"
    const ssKeys = ss.sockets.map((s) => rowKey({ ...s, local: s.local === '*' ? '::' : s.local, remote: s.remote === '*' ? '::' : s.remote, state: s.state as never })).sort();
    const { table } = parseInetDiag([v4, v6]);
    expect(tableKeys(table).filter((k) => !k.startsWith('BOUND '))).toEqual(ssKeys);
  });

  it('agrees with /proc/net/tcp of the same moment, inode for inode and TIME-WAIT age within a second', () => {
    const diag = parseInetDiag([v4, v6]).table;
    const proc = parseProcNetTcp(Buffer.concat([fixture('proc-net-tcp.txt'), fixture('proc-net-tcp6.txt')])).table;
    const byKey = new Map<string, { inode: number; age: number }>();
    const keys = tableKeys(proc);
    for (let i = 0; i < proc.count; i++) {
      const r = socketRow(proc, i);
      byKey.set(rowKey({ state: tcpStateName(r.state)!, local: r.localAddr, localPort: r.localPort, remote: r.remoteAddr, remotePort: r.remotePort }), { inode: r.inode, age: r.timeWaitAgeMs });
    }
    expect(keys.length).toBe(SCENARIO_ROWS.length);
    for (let i = 0; i < diag.count; i++) {
      const r = socketRow(diag, i);
      if (r.state === TCP_STATE.BOUND) continue;
      const p = byKey.get(rowKey({ state: tcpStateName(r.state)!, local: r.localAddr, localPort: r.localPort, remote: r.remoteAddr, remotePort: r.remotePort }));
      expect(p).toBeDefined();
      expect(p!.inode).toBe(r.inode);
      if (r.state === TCP_STATE.TIME_WAIT) expect(Math.abs(p!.age - r.timeWaitAgeMs)).toBeLessThan(1_000);
    }
  });

  it('reads a dump written by a big-endian host the same way', () => {
    const le = parseInetDiag([v4, v6]);
    const be = parseInetDiag([toBigEndian(v4), toBigEndian(v6)]);
    expect(be.problems).toEqual([]);
    expect(tableKeys(be.table)).toEqual(tableKeys(le.table));
    expect([...be.table.inode].sort()).toEqual([...le.table.inode].sort());
  });
});

describe('parseInetDiag on crafted messages', () => {
  it('computes the TIME-WAIT age as 60 s minus what the kernel says is left, never below 0', () => {
    const dump = Buffer.concat([
      v4Socket(TCP_STATE.TIME_WAIT, 0x7f000001, 40000, 0x7f000001, 80, 0, 45_000),
      v4Socket(TCP_STATE.TIME_WAIT, 0x7f000001, 40001, 0x7f000001, 80, 0, 70_000),
      done(),
    ]);
    const { table, problems } = parseInetDiag(dump);
    expect(problems).toEqual([]);
    expect([...table.timeWaitAgeMs]).toEqual([15_000, 0]);
  });

  it('names the error when the kernel refused the dump', () => {
    const p = Buffer.alloc(20);
    p.writeInt32LE(-1); // -EPERM, then the request header the kernel echoes
    const { table, problems } = parseInetDiag(nlmsg(2, p));
    expect(table.count).toBe(0);
    expect(problems).toEqual(['tcp-diag: the kernel answered with error 1 (EPERM)']);
  });

  it('names a dump the kernel ended with an error', () => {
    const { problems } = parseInetDiag(Buffer.concat([v4Socket(1, 1, 2, 3, 4, 5), done(-4)]));
    expect(problems).toEqual(['tcp-diag: the kernel ended the dump with error 4 (EINTR)']);
  });

  it('skips sockets with an unknown state or address family and says so', () => {
    const badFamily = v4Socket(1, 1, 2, 3, 4, 5);
    badFamily[16] = 7;
    const dump = Buffer.concat([v4Socket(99, 1, 2, 3, 4, 5), badFamily, v4Socket(1, 0x0a000001, 1234, 0x0a000002, 80, 9), done()]);
    const { table, problems } = parseInetDiag([{ name: 'tcp-diag-inet', data: dump }]);
    expect(table.count).toBe(1);
    expect(socketRow(table, 0)).toMatchObject({ localAddr: '10.0.0.1', localPort: 1234, remoteAddr: '10.0.0.2', remotePort: 80, inode: 9 });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^tcp-diag-inet: .*unknown TCP state 99/);
    expect(problems[1]).toMatch(/^tcp-diag-inet: .*address family 7/);
  });

  it('says so when the input is empty or is not netlink at all', () => {
    expect(parseInetDiag(Buffer.alloc(0)).problems).toEqual(['tcp-diag: empty dump (no NLMSG_DONE)']);
    expect(parseInetDiag(Buffer.from('hello, this is not a dump')).problems[0]).toMatch(/not a sock_diag dump/);
  });

  it('interns addresses: 150,000 sockets between a few hosts keep a few address strings', () => {
    const parts: Buffer[] = [];
    for (let i = 0; i < 150_000; i++) parts.push(v4Socket(TCP_STATE.TIME_WAIT, 0x7f000001 + (i % 4), 1024 + (i % 60_000), 0x7f000101 + (i % 3), 80, 0, 30_000));
    parts.push(done());
    const { table, problems } = parseInetDiag(Buffer.concat(parts));
    expect(problems).toEqual([]);
    expect(table.count).toBe(150_000);
    expect(table.addrs).toHaveLength(7);
  });
});

describe('parseInetDiag on malformed input', () => {
  const whole = parseInetDiag(v4).table;
  const wholeKeys = tableKeys(whole);

  it('never throws when a real dump is cut at any offset, keeps the sockets before the cut and reports the cut', () => {
    for (let cut = 0; cut < v4.length; cut++) {
      const { table, problems } = parseInetDiag(v4.subarray(0, cut));
      expect(problems.length).toBeGreaterThan(0);
      expect(table.count).toBeLessThanOrEqual(whole.count);
      for (const k of tableKeys(table)) expect(wholeKeys).toContain(k);
    }
  });

  it('never throws on arbitrary bytes, and whatever it keeps is a valid row', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2_000 }), (bytes) => {
        const { table, problems } = parseInetDiag(Buffer.from(bytes));
        expect(Array.isArray(problems)).toBe(true);
        for (let i = 0; i < table.count; i++) {
          expect(table.state[i]).toBeGreaterThanOrEqual(1);
          expect(table.state[i]).toBeLessThanOrEqual(TCP_STATE.BOUND);
          expect([4, 6]).toContain(table.family[i]);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('never throws when bytes of a real dump are overwritten at random', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: v6.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }), (edits) => {
        const b = Buffer.from(v6);
        for (const [at, value] of edits) b[at] = value;
        const { table, problems } = parseInetDiag(b);
        expect(table.count + problems.length).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 2_000 },
    );
  });

  it('bounds the problem list on garbage: the first ten, then a count', () => {
    const parts: Buffer[] = [];
    for (let i = 0; i < 50; i++) parts.push(v4Socket(200, 1, 2, 3, 4, 5));
    parts.push(done());
    const { problems } = parseInetDiag(Buffer.concat(parts));
    expect(problems).toHaveLength(11);
    expect(problems[10]).toBe('tcp-diag: and 40 more problems like these');
  });
});
