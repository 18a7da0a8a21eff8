// `portwatch check` with the connect-failure tracer, on the real kernel, the CLI run as a user would:
// - --netns host: failures made in two pod-like namespaces are attributed each to its own namespace
//   (pid, name, netns, destination, exact count), never to the other;
// - --watch (one namespace, and --netns host): one bpftrace for the whole watch (same pid), failures
//   seen in later redraws, the earlier ones kept; stopped with the watch (no bpftrace left behind); a
//   one-namespace watch shows only its own namespace's failures, not those of another;
// - --ssh: the remote report says the tracer is not run there, and no bpftrace is started.
// Failures are made only once the CLI's bpftrace holds its attached probes (seen from /proc), so the
// counts are exact, not a race with start-up.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConnectFailure } from '../../electron/common/connect-failures.js';
import type { Sample } from '../../electron/common/model.js';
import type { HostCheckDocument } from '../../electron/cli/host-report.js';
import { tracerPreflight } from '../../electron/node/platform/linux/tracer/connect-failure-tracer.js';
import { bpftraceChildren, waitForAttachedBpftrace } from '../netns/bpftrace-child.js';
import { describeNetns } from '../netns/describe-netns.js';
import { notAvailable, runFailingClient, type FailingClientResult } from '../netns/failing-client.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';
import { NODE_COMM } from '../netns/node-comm.js';

const canTrace = !('error' in tracerPreflight());

/** The CLI as a child process (argv, no shell), stdout and stderr kept. */
function startCli(argv: readonly string[]): { child: ChildProcess; out: () => string; err: () => string; done: Promise<number | null> } {
  const child = spawn(argv[0]!, argv.slice(1), { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, done };
}

/** Bounded wait for a condition polled every 200 ms. */
async function until(what: string, ok: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// times vary; recentCount (the last minute's) equals count here; place is looked up asynchronously and
// may not be there yet (checked apart when it is)
const strip = ({ firstSeen: _f, lastSeen: _l, recentCount: _r, place: _p, ...f }: ConnectFailure): Omit<ConnectFailure, 'firstSeen' | 'lastSeen' | 'recentCount' | 'place'> => f;

describeNetns('check with the connect-failure tracer (real kernel, real bpftrace)', () => {
  let a: Namespace;
  let b: Namespace;
  beforeAll(async () => {
    a = await createNamespace('tracerproof4a');
    b = await createNamespace('tracerproof4b');
    await a.sysctl('net.ipv4.ip_local_port_range', '40000 40001');
    await b.sysctl('net.ipv4.ip_local_port_range', '40000 40001');
  });
  afterAll(async () => {
    await a?.destroy();
    await b?.destroy();
  });

  it.runIf(canTrace)('--netns host: each namespace gets exactly its own failures (process, netns, destination, count)', async () => {
    const cli = startCli([process.execPath, '--import', 'tsx', CLI_ENTRY, 'check', '--netns', 'host', '--json', '--interval', '3', '--no-owners']);
    try {
      await waitForAttachedBpftrace(cli.child.pid!, 60_000);
      // 2 connects succeed in each 2-port range, the rest fail: 3 in a, 5 in b (another port)
      const inA = await runFailingClient(a, { port: 8080, total: 5 });
      const inB = await runFailingClient(b, { port: 9090, total: 7 });
      expect([notAvailable(inA), notAvailable(inB)]).toEqual([3, 5]);
      expect(await cli.done).toBe(2); // exhausted: observed failures are facts
      const doc = JSON.parse(cli.out()) as HostCheckDocument;
      const ns = (inode: number) => doc.host.namespaces.find((n) => n.identity.inode === inode);
      expect(ns(inA.netns)?.severity).toBe('exhausted');
      expect(ns(inA.netns)?.connectFailures?.map(strip)).toEqual([
        { pid: inA.pid, name: NODE_COMM, netns: inA.netns, syscall: 'connect', remoteAddress: '127.0.0.1', remotePort: 8080, errno: 99, count: 3 },
      ]);
      expect(ns(inB.netns)?.connectFailures?.map(strip)).toEqual([
        { pid: inB.pid, name: NODE_COMM, netns: inB.netns, syscall: 'connect', remoteAddress: '127.0.0.1', remotePort: 9090, errno: 99, count: 5 },
      ]);
      for (const [n, c] of [[a, inA], [b, inB]] as const) {
        for (const f of ns(c.netns)?.connectFailures ?? []) {
          expect(f.recentCount ?? f.count).toBe(f.count);
          if (f.place !== undefined) expect(f.place).toBe(`netns ${n.name}`);
        }
      }
      // the tracer is one of every sampled namespace's sources, and it ran
      expect(doc.sources).toContainEqual(expect.objectContaining({ name: 'connect-tracer', status: 'ok' }));
      expect(bpftraceChildren(cli.child.pid!)).toEqual([]);
    } finally {
      cli.child.kill('SIGKILL');
    }
  }, 180_000);

  for (const [scope, firstPort] of [['self', 8081], ['host', 8083]] as const) {
    it.runIf(canTrace)(`--watch --netns ${scope}: one tracer for the whole watch, later failures in later redraws, earlier ones kept, none left behind`, async () => {
      // self: inside namespace a (entered with nsenter: \`ip netns exec\` remounts /sys without tracefs);
      // host: from the host's namespace. One JSON document per line.
      const where = scope === 'self' ? ['nsenter', `--net=/run/netns/${a.name}`] : [];
      const cli = startCli([...where, process.execPath, '--import', 'tsx', CLI_ENTRY, 'check', '--watch', '--json', '--netns', scope, '--interval', '1', '--no-owners']);
      try {
        const tracer = await waitForAttachedBpftrace(cli.child.pid!, 60_000);
        const docs = (): (Sample | HostCheckDocument)[] => cli.out().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Sample);
        // scope host: a's failures belong to a's entry; scope self: to the one sample
        const failuresOf = (d: Sample | HostCheckDocument, netns: number): ConnectFailure[] =>
          (scope === 'host' ? (d as HostCheckDocument).host.namespaces.find((n) => n.identity.inode === netns)?.connectFailures : d.connectFailures?.filter((f) => !f.elsewhere)) ?? [];
        const countOf = (d: Sample | HostCheckDocument, c: FailingClientResult): number => failuresOf(d, c.netns).filter((f) => f.pid === c.pid).reduce((n, f) => n + f.count, 0);
        const first = await runFailingClient(a, { port: firstPort, total: 5 });
        expect(notAvailable(first)).toBe(3);
        await until('a redraw with the first 3 failures', () => docs().some((d) => countOf(d, first) === 3), 30_000);
        const second = await runFailingClient(a, { port: firstPort + 1, total: 6 });
        expect(notAvailable(second)).toBe(4);
        await until('a redraw with both clients', () => docs().some((d) => countOf(d, second) === 4), 30_000);
        // another namespace's failures are not this one's (scope self: listed as elsewhere, never judged), but are shown under it (host)
        const other = await runFailingClient(b, { port: firstPort + 2, total: 3 });
        expect(notAvailable(other)).toBe(1);
        if (scope === 'host') await until('a redraw with b\'s failure', () => docs().some((d) => countOf(d, other) === 1), 30_000);
        else {
          await until('a redraw listing b\'s failure', () => docs().some((d) => (d.connectFailures ?? []).some((f) => f.pid === other.pid)), 30_000);
          const listed = docs().flatMap((d) => (d.connectFailures ?? []).filter((f) => f.pid === other.pid));
          expect(listed.map((f) => [f.netns, f.count, f.elsewhere])).toContainEqual([other.netns, 1, true]);
          expect(listed.every((f) => f.elsewhere === true)).toBe(true);
          expect((docs().at(-1) as Sample).diagnoses.map((x) => x.id)).toContain('port-allocation-failures-elsewhere');
        }
        const last = docs().at(-1)!;
        expect(countOf(last, first)).toBe(3);
        expect(countOf(last, second)).toBe(4);
        expect(last.severity).toBe('exhausted');
        expect(last.sources).toContainEqual(expect.objectContaining({ name: 'connect-tracer', status: 'ok' }));
        // the same bpftrace throughout: it was never restarted between redraws
        expect(bpftraceChildren(cli.child.pid!)).toEqual([tracer]);
        cli.child.kill('SIGTERM');
        expect(await cli.done).toBe(2);
        await until('bpftrace to be gone', () => !existsSync(`/proc/${tracer}`), 10_000);
      } finally {
        cli.child.kill('SIGKILL');
      }
    }, 180_000);
  }

  it('--ssh: the remote report says the tracer is not run there, and no bpftrace is started', async () => {
    // nothing listens on port 1: the check reports the host unreachable, with every source it knows
    const cli = startCli(['ip', 'netns', 'exec', b.name, process.execPath, '--import', 'tsx', CLI_ENTRY, 'check', '--ssh', 'root@127.0.0.1:1', '--json', '--interval', '0']);
    let tracers: number[] = [];
    const watcher = setInterval(() => (tracers = [...tracers, ...bpftraceChildren(cli.child.pid!)]), 50);
    try {
      expect(await cli.done).toBe(3);
      const doc = JSON.parse(cli.out()) as Sample;
      expect(doc.sources).toContainEqual(
        expect.objectContaining({ name: 'connect-tracer', status: 'unsupported', error: expect.stringMatching(/not run on a remote host over ssh.*fix: run portwatch check as root on that host/) }),
      );
      expect(tracers).toEqual([]);
    } finally {
      clearInterval(watcher);
      cli.child.kill('SIGKILL');
    }
  }, 60_000);
});
