import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TCP_STATE } from '../../../../electron/common/tcp-state.js';
import { parseInetDiag } from '../../../../electron/node/platform/parse/inet-diag.js';
import { attachOwners, parseSocketOwners } from '../../../../electron/node/platform/parse/socket-owners.js';
import { SocketTableBuilder, socketRow } from '../../../../electron/node/platform/socket-table.js';
import { FIXTURE_PIDS, fixture } from './socket-fixtures.js';

describe('parseSocketOwners on a real capture', () => {
  it('reads every line without a problem and names each process', () => {
    const { owners, problems } = parseSocketOwners(fixture('socket-owners.txt'));
    expect(problems).toEqual([]);
    expect(owners.names.get(FIXTURE_PIDS.scenario)).toBe('node');
    expect(owners.names.get(FIXTURE_PIDS.boundOnly)).toBe('python3');
  });

  it('attaches the scenario process to its sockets, python3 to the bound-only ones, nobody to TIME-WAIT', () => {
    const { table } = parseInetDiag([fixture('tcp-diag-inet.bin'), fixture('tcp-diag-inet6.bin')]);
    const { owners } = parseSocketOwners(fixture('socket-owners.txt'));
    const attached = attachOwners(table, owners);
    let expected = 0;
    for (let i = 0; i < table.count; i++) {
      const r = socketRow(table, i);
      if (r.state === TCP_STATE.TIME_WAIT) expect(r.pid).toBe(-1);
      else if (r.state === TCP_STATE.BOUND) expect(r.pid).toBe(FIXTURE_PIDS.boundOnly);
      else expect(r.pid).toBe(FIXTURE_PIDS.scenario);
      if (r.pid !== -1) expected++;
    }
    expect(attached).toBe(expected);
  });
});

describe('parseSocketOwners on crafted text', () => {
  it('keeps the first process listed for a socket shared by several (e.g. after fork)', () => {
    const { owners } = parseSocketOwners('10\tparent\t500 501\n11\tchild\t500\n');
    expect(owners.byInode.get(500)).toBe(10);
    expect(owners.byInode.get(501)).toBe(10);
    expect(owners.names.get(11)).toBe('child');
  });

  it('keeps names with spaces', () => {
    expect(parseSocketOwners('7\tWeb Content\t1\n').owners.names.get(7)).toBe('Web Content');
  });

  it('names the lines it cannot read and keeps the rest', () => {
    const { owners, problems } = parseSocketOwners('abc\tx\t1\n12 no tabs\n13\tok\t5 x 0 6\n14\tfine\t7\n', 'socket-owners');
    expect([...owners.byInode]).toEqual([[5, 13], [6, 13], [7, 14]]);
    expect(problems).toEqual([
      'socket-owners: line 1: "abc" is not a process id',
      'socket-owners: line 2: expected "pid<TAB>name<TAB>inodes"',
      'socket-owners: line 3: 2 unreadable socket inodes for pid 13',
    ]);
  });

  it('never throws when a real capture is cut at any offset, and never invents an owner', () => {
    const whole = fixture('socket-owners.txt');
    const full = parseSocketOwners(whole).owners.byInode;
    for (let cut = 0; cut <= whole.length; cut++) {
      const { owners } = parseSocketOwners(whole.subarray(0, cut));
      // a cut inside an inode number leaves a shorter number: it may name no socket of the whole
      for (const [inode, pid] of owners.byInode) if (full.has(inode)) expect(full.get(inode)).toBe(pid);
    }
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: fc.constantFrom('1', '2', '\t', '\n', ' ', 'a', '-', '9') }), (text) => {
        const { owners, problems } = parseSocketOwners(text);
        for (const [inode, pid] of owners.byInode) {
          expect(inode).toBeGreaterThan(0);
          expect(pid).toBeGreaterThan(0);
        }
        expect(Array.isArray(problems)).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('attachOwners', () => {
  it('fills only the sockets whose inode has an owner, in place', () => {
    const b = new SocketTableBuilder();
    b.push({ family: 4, state: 1, localAddr: '127.0.0.1', localPort: 1, remoteAddr: '127.0.0.1', remotePort: 2, inode: 100 });
    b.push({ family: 4, state: 6, localAddr: '127.0.0.1', localPort: 3, remoteAddr: '127.0.0.1', remotePort: 2, inode: 0 });
    b.push({ family: 4, state: 1, localAddr: '127.0.0.1', localPort: 4, remoteAddr: '127.0.0.1', remotePort: 2, inode: 101 });
    const t = b.build();
    const n = attachOwners(t, { byInode: new Map([[100, 42], [0, 9]]), names: new Map() });
    expect(n).toBe(1);
    expect([...t.pid]).toEqual([42, -1, -1]);
  });
});
