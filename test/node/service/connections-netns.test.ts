// getConnections against the kernel: sockets built for real in a namespace (LISTEN on IPv4 and IPv6,
// ESTABLISHED both ways, TIME-WAIT, CLOSE-WAIT) listed by a real Sampler + MonitorService running inside
// it, compared socket by socket with `ss -tanHp` there; then the filters, the sort and the paging.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Connection, ConnectionPage, ConnectionQuery, ResponseMessage } from '../../../electron/common/contract.js';
import { describeNetns } from '../../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../../netns/netns.js';
import { REPO_ROOT } from '../../netns/portwatch-cli.js';
import { ssSockets, type SsSocket } from '../../netns/ss.js';
import { churn, closeWait, connectHold, startServer, type ConnectReport } from '../../netns/workloads.js';
import { NODE_COMM } from '../../netns/node-comm.js';

const SCRIPT = fileURLToPath(new URL('./connections-in-ns.ts', import.meta.url));

/** Asks a fresh monitor inside the namespace; returns each answer's page (failing on an error answer). */
async function ask(ns: Namespace, queries: ConnectionQuery[]): Promise<ConnectionPage[]> {
  const r = await ns.exec([process.execPath, '--import', 'tsx', SCRIPT, JSON.stringify(queries)], { cwd: REPO_ROOT, timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`connections-in-ns exited ${r.code}: ${r.stderr}`);
  return (JSON.parse(r.stdout) as ResponseMessage[]).map((m) => {
    if (!m.ok) throw new Error(`getConnections refused: ${m.error.message}`);
    return m.result as ConnectionPage;
  });
}

const key = (r: Connection) => `${r.state} ${r.localAddress}:${r.localPort} ${r.remoteAddress}:${r.remotePort}`;
const bare = (a: string) => a.replace(/^\[|\]$/g, '');
const ssKey = (s: SsSocket) => `${s.state} ${bare(s.local)}:${s.localPort} ${bare(s.remote)}:${s.remotePort}`;

describeNetns('getConnections lists what the kernel holds', () => {
  let ns: Namespace;
  let held: ConnectReport;
  let closing: ConnectReport;
  let pages: ConnectionPage[];
  let ss: SsSocket[];
  const queries: ConnectionQuery[] = [
    { offset: 0, limit: 5000 },
    { filter: { state: 'TIME-WAIT' }, offset: 0, limit: 5000 },
    { filter: { destination: '127.0.0.1:8080' }, offset: 0, limit: 5000 },
    { filter: { destination: '[::1]:8080' }, offset: 0, limit: 5000 },
    { filter: { process: 'PID' }, offset: 0, limit: 5000 },
    { filter: { text: '9090' }, offset: 0, limit: 5000 },
    { filter: { port: 8080, state: 'ESTABLISHED' }, sort: { key: 'local', descending: true }, offset: 0, limit: 5000 },
    { filter: { port: 8080, state: 'ESTABLISHED' }, sort: { key: 'local', descending: true }, offset: 3, limit: 4 },
    { sort: { key: 'timeWaitLeft' }, offset: 0, limit: 5000 },
    { filter: { namespace: 'no-such-namespace' }, offset: 0, limit: 10 },
  ];

  beforeAll(async () => {
    ns = await createNamespace('conns4');
    await startServer(ns, ['127.0.0.1:8080', '[::1]:8080']);
    await startServer(ns, ['127.0.0.1:9090'], { close: 'immediate' });
    held = await connectHold(ns, '127.0.0.1:8080', 6);
    await connectHold(ns, '[::1]:8080', 4);
    await churn(ns, '127.0.0.1:8080', 40, 250); // connections closed by us → TIME-WAIT for 60 s
    closing = await closeWait(ns, '127.0.0.1:9090', 3);
    queries[4] = { filter: { process: String(held.process.pid) }, offset: 0, limit: 5000 };
    // Settle: nothing in flight (FIN-WAIT-1, SYN-SENT) before the two readings are compared.
    for (let i = 0; i < 50; i++) {
      const s = await ssSockets(ns);
      if (!s.some((x) => x.state === 'FIN-WAIT-1' || x.state === 'SYN-SENT')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    pages = await ask(ns, queries);
    ss = await ssSockets(ns, { processes: true });
  }, 120_000);
  afterAll(async () => ns?.destroy());

  it('lists every socket ss sees, with its state, both ends and its owning pid', () => {
    const all = pages[0]!;
    expect(all.unavailable).toBeNull();
    expect(all.total).toBe(ss.length);
    expect(all.matched).toBe(ss.length);
    expect(all.rows.map(key).sort()).toEqual(ss.map(ssKey).sort());
    // Owners: every socket ss attributes to a process carries that pid here, named by its command.
    const byKey = new Map(all.rows.map((r) => [key(r), r]));
    const owned = ss.filter((s) => s.pids.length > 0);
    expect(owned.length).toBeGreaterThan(10);
    for (const s of owned) {
      const row = byKey.get(ssKey(s))!;
      expect(s.pids, ssKey(s)).toContain(row.pid);
      expect(row.process, ssKey(s)).toBe(NODE_COMM);
    }
    expect(all.rows.filter((r) => r.protocol === 'TCPv6').length).toBe(ss.filter((s) => s.local.includes(':')).length);
    // The mix really holds what the filters below pick out.
    expect(ss.filter((s) => s.state === 'TIME-WAIT').length).toBeGreaterThanOrEqual(5);
    expect(ss.filter((s) => s.state === 'CLOSE-WAIT').length).toBe(3);
  });

  it('gives TIME-WAIT sockets their time left and age, within the kernel TIME-WAIT length, and no owner', () => {
    const tw = pages[1]!;
    expect(tw.matched).toBe(ss.filter((s) => s.state === 'TIME-WAIT').length);
    for (const r of tw.rows) {
      expect(r.state).toBe('TIME-WAIT');
      expect(r.pid).toBeNull();
      expect(r.timeWaitLeftMs).toBeGreaterThan(0);
      expect(r.timeWaitLeftMs! + r.ageMs!).toBe(60_000);
    }
    expect(pages[0]!.rows.filter((r) => r.state !== 'TIME-WAIT').every((r) => r.timeWaitLeftMs === null && r.ageMs === null)).toBe(true);
  });

  it('filters by destination (IPv4 and IPv6), by process id, and by free text as ss would select', () => {
    expect(pages[2]!.matched).toBe(ss.filter((s) => s.remote === '127.0.0.1' && s.remotePort === 8080).length);
    expect(pages[2]!.matched).toBeGreaterThanOrEqual(6 + 5);
    expect(pages[3]!.matched).toBe(4);
    expect(pages[3]!.rows.every((r) => r.remoteAddress === '::1' && r.remotePort === 8080)).toBe(true);
    expect(pages[4]!.rows.map(key).sort()).toEqual(ss.filter((s) => s.pids.includes(held.process.pid)).map(ssKey).sort());
    expect(pages[4]!.matched).toBe(6);
    expect(pages[5]!.matched).toBe(ss.filter((s) => s.localPort === 9090 || s.remotePort === 9090).length);
    expect(pages[5]!.rows.filter((r) => r.state === 'CLOSE-WAIT').map((r) => r.pid)).toEqual([closing.process.pid, closing.process.pid, closing.process.pid]);
    expect(pages[9]!.matched).toBe(0);
  });

  it('sorts in the monitor and pages through the same order', () => {
    const sorted = pages[6]!;
    const expected = ss.filter((s) => s.state === 'ESTABLISHED' && (s.localPort === 8080 || s.remotePort === 8080));
    expect(sorted.matched).toBe(expected.length);
    // Descending by local endpoint: IPv6 after IPv4 ascending, so first here; ports descending within an address.
    const locals = sorted.rows.map((r) => [r.localAddress, r.localPort] as const);
    for (let i = 1; i < locals.length; i++) {
      const [a, p] = locals[i - 1]!;
      const [b, q] = locals[i]!;
      if (a === b) expect(p).toBeGreaterThanOrEqual(q);
    }
    expect(locals[0]![0]).toBe('::1');
    expect(pages[7]!.rows).toEqual(sorted.rows.slice(3, 7));
    expect(pages[7]!.offset).toBe(3);
    const byLeft = pages[8]!.rows.map((r) => r.timeWaitLeftMs);
    const known = byLeft.filter((x): x is number => x !== null);
    expect(known).toEqual([...known].sort((a, b) => a - b));
    expect(byLeft.slice(0, known.length)).toEqual(known); // unknowns after every known value
  });
});
