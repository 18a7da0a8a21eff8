import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SockDiagAddon } from '../../../../electron/node/platform/linux/native/load.js';
import { ALL_TCP_STATES_MASK, parseSocketSources, readSocketSources } from '../../../../electron/node/platform/linux/sockets.js';
import type { RawSource } from '../../../../electron/node/platform/types.js';
import { describeNetns } from '../../../netns/describe-netns.js';
import { createNamespace, type Namespace, type NsProcess } from '../../../netns/netns.js';
import { ssSockets } from '../../../netns/ss.js';
import { FIXTURE_PIDS, expectedKeys, fixture, tableKeys } from '../parse/socket-fixtures.js';
import type { ReaderOutput, ReaderRow } from './ns-reader.js';
import { BOUND_ROWS, SCENARIO_ROWS, boundOnlyProgram, rowKey } from './socket-scenario.js';
import { NODE_COMM } from '../../../netns/node-comm.js';

const source = (name: string, file?: string, status: RawSource['status'] = 'ok'): RawSource => ({
  name,
  status,
  durationMs: 1,
  ...(file ? { data: fixture(file) } : {}),
});
const DIAG4 = source('tcp-diag-inet', 'tcp-diag-inet.bin');
const DIAG6 = source('tcp-diag-inet6', 'tcp-diag-inet6.bin');
const PROC4 = source('proc-net-tcp', 'proc-net-tcp.txt');
const PROC6 = source('proc-net-tcp6', 'proc-net-tcp6.txt');
const OWNERS = source('socket-owners', 'socket-owners.txt');
const v4Only = (rows: typeof SCENARIO_ROWS): typeof SCENARIO_ROWS => rows.filter((r) => r.family === 4);
const v6Only = (rows: typeof SCENARIO_ROWS): typeof SCENARIO_ROWS => rows.filter((r) => r.family === 6);

describe('parseSocketSources', () => {
  it('parses the netlink dumps of both families into one table and joins the owners', () => {
    const { table, processNames, problems } = parseSocketSources([DIAG4, DIAG6, OWNERS]);
    expect(problems).toEqual([]);
    expect(tableKeys(table!)).toEqual(expectedKeys([...SCENARIO_ROWS, ...BOUND_ROWS]));
    expect([...processNames].sort()).toEqual([[FIXTURE_PIDS.scenario, 'node'], [FIXTURE_PIDS.boundOnly, 'python3']].sort());
  });

  it('prefers the netlink dump of a family over /proc/net/tcp when both were read', () => {
    const { table } = parseSocketSources([PROC4, PROC6, DIAG4, DIAG6]);
    expect(tableKeys(table!)).toEqual(expectedKeys([...SCENARIO_ROWS, ...BOUND_ROWS]));
  });

  it('falls back to /proc/net/tcp6 for the family whose dump failed', () => {
    const { table, problems } = parseSocketSources([DIAG4, source('tcp-diag-inet6', undefined, 'timeout'), PROC6]);
    expect(problems).toEqual([]);
    expect(tableKeys(table!)).toEqual(expectedKeys([...v4Only(SCENARIO_ROWS), ...v4Only(BOUND_ROWS), ...v6Only(SCENARIO_ROWS)]));
  });

  it('reads a capture made without the addon (/proc/net/tcp only)', () => {
    const { table } = parseSocketSources([source('tcp-diag-inet', undefined, 'unsupported'), PROC4, PROC6]);
    expect(tableKeys(table!)).toEqual(expectedKeys(SCENARIO_ROWS));
  });

  it('has no table when no socket source was read, and no owners without a table', () => {
    const r = parseSocketSources([source('tcp-diag-inet', undefined, 'failed'), OWNERS]);
    expect(r.table).toBeNull();
    expect(r.processNames.size).toBe(0);
  });

  it('names the source of every parse problem', () => {
    const cut = { ...DIAG6, data: DIAG6.data!.subarray(0, 100) };
    const { problems } = parseSocketSources([DIAG4, cut, { ...OWNERS, data: Buffer.from('x\ty\tz\n') }]);
    expect(problems.length).toBeGreaterThan(1);
    expect(problems.every((p) => p.startsWith('tcp-diag-inet6: ') || p.startsWith('socket-owners: '))).toBe(true);
  });
});

/** A fake addon whose reads finish only when the test says so. */
function controlledAddon(): SockDiagAddon & { release(): void; calls: number } {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const fake = {
    calls: 0,
    release: () => release(),
    dumpTcp: async (): Promise<Buffer> => {
      fake.calls++;
      await gate;
      return fixture('tcp-diag-inet.bin');
    },
    scanSocketOwners: async (): Promise<Buffer> => {
      await gate;
      return Buffer.alloc(0);
    },
  };
  return fake;
}

describe('readSocketSources', () => {
  it('reads /proc/net/tcp and tcp6 when the addon is unavailable, and says why', async () => {
    const sources = await readSocketSources({ owners: true, timeoutMs: 5_000, addon: { unavailable: 'not built' } });
    const byName = new Map(sources.map((s) => [s.name, s]));
    expect([...byName.keys()].sort()).toEqual(['proc-net-tcp', 'proc-net-tcp6', 'socket-owners', 'tcp-diag-inet', 'tcp-diag-inet6']);
    expect(byName.get('tcp-diag-inet')).toMatchObject({ status: 'unsupported', error: expect.stringContaining('not built') });
    expect(byName.get('socket-owners')!.status).toBe('unsupported');
    expect(byName.get('proc-net-tcp')!.status).toBe('ok');
    expect(byName.get('proc-net-tcp')!.data!.toString('latin1')).toMatch(/^\s+sl\s+local_address/);
  });

  it('reports a dump that does not finish in time as a timeout, and never starts a second one behind it', async () => {
    const addon = controlledAddon();
    try {
      const first = await readSocketSources({ owners: true, timeoutMs: 50, addon });
      expect(first.map((s) => [s.name, s.status])).toEqual([
        ['tcp-diag-inet', 'timeout'],
        ['tcp-diag-inet6', 'timeout'],
        ['socket-owners', 'timeout'],
      ]);
      const callsAfterFirst = addon.calls;
      const second = await readSocketSources({ owners: true, timeoutMs: 50, addon });
      expect(second.every((s) => s.status === 'timeout' && /still in progress/.test(s.error ?? ''))).toBe(true);
      expect(addon.calls).toBe(callsAfterFirst);
    } finally {
      addon.release();
      await new Promise((r) => setTimeout(r, 10));
    }
    const third = await readSocketSources({ owners: false, timeoutMs: 1_000, addon });
    expect(third.map((s) => s.status)).toEqual(['ok', 'ok']);
  });

  it('reports a failed dump with the reason, the other sources unaffected', async () => {
    const addon: SockDiagAddon = {
      dumpTcp: async (family) => {
        if (family === 6) throw Object.assign(new Error('socket(AF_NETLINK, NETLINK_SOCK_DIAG): Protocol not supported'), { code: 'EPROTONOSUPPORT' });
        return fixture('tcp-diag-inet.bin');
      },
      scanSocketOwners: async () => Buffer.from('1\tinit\t5\n'),
    };
    const sources = await readSocketSources({ owners: true, timeoutMs: 1_000, addon });
    expect(sources.map((s) => s.status)).toEqual(['ok', 'failed', 'ok']);
    expect(sources[1]!.error).toMatch(/Protocol not supported/);
  });

  it('asks the kernel for every state, bound-only sockets included', async () => {
    const masks: number[] = [];
    const addon: SockDiagAddon = {
      dumpTcp: async (_f, mask) => {
        masks.push(mask);
        return fixture('tcp-diag-inet.bin');
      },
      scanSocketOwners: async () => Buffer.alloc(0),
    };
    await readSocketSources({ owners: false, timeoutMs: 1_000, addon });
    for (let s = 1; s <= 13; s++) expect(ALL_TCP_STATES_MASK & (1 << s)).not.toBe(0);
    expect(masks).toEqual([ALL_TCP_STATES_MASK, ALL_TCP_STATES_MASK]);
  });
});

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const scenarioScript = fileURLToPath(new URL('./socket-scenario.ts', import.meta.url));
const readerScript = fileURLToPath(new URL('./ns-reader.ts', import.meta.url));
const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;

async function readInside(ns: Namespace, args: string[]): Promise<ReaderOutput> {
  const r = await ns.execOrThrow([process.execPath, '--import', 'tsx', readerScript, ...args], { cwd: repo, timeoutMs: 30_000 });
  return JSON.parse(r.stdout) as ReaderOutput;
}

const keyOf = (r: ReaderRow): string => rowKey({ ...r, state: r.state as never });

describeNetns('the Linux socket table against the real kernel', () => {
  let ns: Namespace;
  let holder: NsProcess;
  let bound: NsProcess | undefined;

  beforeAll(async () => {
    ns = await createNamespace('sockets');
    holder = ns.spawn([process.execPath, '--import', 'tsx', scenarioScript, '--max-lifetime-ms', '120000'], { cwd: repo });
    await holder.waitForEvent((e) => e.ready === true, 30_000);
    if (hasPython) {
      bound = ns.spawn(boundOnlyProgram(120));
      await bound.waitForLine(/^ready$/, 10_000);
    }
  });
  afterAll(async () => {
    await ns?.destroy();
  });

  it('reads exactly the sockets ss -tanH sees in the same namespace (IPv4, IPv6, every state made)', async () => {
    const out = await readInside(ns, ['--json']);
    expect(out.problems).toEqual([]);
    expect(out.sources.map((s) => [s.name, s.status])).toEqual([
      ['tcp-diag-inet', 'ok'],
      ['tcp-diag-inet6', 'ok'],
      ['socket-owners', 'ok'],
    ]);
    const ours = out.rows.filter((r) => r.state !== 'BOUND').map(keyOf).sort();
    const ss = (await ssSockets(ns)).map((s) => rowKey({ ...s, local: s.local === '*' ? '::' : s.local, remote: s.remote === '*' ? '::' : s.remote, state: s.state as never })).sort();
    expect(ours).toEqual(ss);
    expect(ours).toEqual(expectedKeys(SCENARIO_ROWS));
  });

  it('attaches the pid of the process holding the sockets, and none to TIME-WAIT', async () => {
    const out = await readInside(ns, ['--json']);
    for (const r of out.rows) {
      if (r.state === 'TIME-WAIT') expect(r.pid).toBe(-1);
      else if (r.state === 'BOUND') expect(r.pid).toBe(bound!.pid);
      else expect(r.pid).toBe(holder.pid);
    }
    expect(new Map(out.processNames).get(holder.pid)).toBe(NODE_COMM);
  });

  it('reads the same sockets through the /proc/net/tcp fallback, inode for inode', async () => {
    const [diag, proc] = [await readInside(ns, ['--json', '--no-owners']), await readInside(ns, ['--json', '--fallback'])];
    expect(proc.problems).toEqual([]);
    const inodes = (o: ReaderOutput): string[] => o.rows.filter((r) => r.state !== 'BOUND').map((r) => `${keyOf(r)} ${r.inode}`).sort();
    expect(inodes(proc)).toEqual(inodes(diag));
  });

  it.skipIf(!hasPython)('dumps bound-only sockets only when state 13 (TCP_BOUND_INACTIVE) is asked for', async () => {
    const all = await readInside(ns, ['--mask', ALL_TCP_STATES_MASK.toString(16)]);
    const without13 = await readInside(ns, ['--mask', (0x1fff).toString(16)]);
    const only13 = await readInside(ns, ['--mask', (1 << 13).toString(16)]);
    const bound = (o: ReaderOutput): string[] => o.rows.filter((r) => r.state === 'BOUND').map(keyOf).sort();
    expect(bound(all)).toEqual(expectedKeys(BOUND_ROWS));
    expect(bound(without13)).toEqual([]);
    expect(only13.rows.map(keyOf).sort()).toEqual(expectedKeys(BOUND_ROWS));
  });

  it('sees a TIME-WAIT age that grows with time and stays below 60 s', async () => {
    const age = (o: ReaderOutput): number[] => o.rows.filter((r) => r.state === 'TIME-WAIT').map((r) => r.timeWaitAgeMs);
    const a = age(await readInside(ns, ['--json', '--no-owners']));
    await new Promise((r) => setTimeout(r, 300));
    const b = age(await readInside(ns, ['--json', '--no-owners']));
    expect(a).toHaveLength(2);
    for (let i = 0; i < a.length; i++) {
      expect(b[i]!).toBeGreaterThan(a[i]! + 200);
      expect(b[i]!).toBeLessThan(60_000);
    }
  });
});
