// The connect-failure tracer on the real kernel: bpftrace runs in the host namespace (as Portwatch does),
// a client in a pod-like namespace with a 2-port range makes exactly 3 IPv4 and 2 IPv6 connects fail, and
// the tracer reports exactly those, with the client's pid, command name, netns inode and destination.
// Degraded cases say why and how to fix; a killed bpftrace is restarted; stop leaves no bpftrace behind.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectFailureTracer, tracerPreflight } from '../../../../../electron/node/platform/linux/tracer/connect-failure-tracer.js';
import { withConnectFailures } from '../../../../../electron/common/connect-failures.js';
import { describeNetns } from '../../../../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../../../../netns/netns.js';
import { makeSample } from '../../../service/make-sample.js';
import { NODE_COMM } from '../../../../netns/node-comm.js';

const canTrace = !('error' in tracerPreflight());

// Listens on 127.0.0.1:8080 and [::1]:8080, connects 5 times to each family's address (2 succeed in a
// 2-port range, the rest fail with EADDRNOTAVAIL) and prints its pid, netns and failures.
const CLIENT = `
const net = require('net'); const fs = require('fs');
const servers = ['127.0.0.1', '::1'].map((h) => new Promise((r) => net.createServer(() => {}).listen(8080, h, r)));
const connect = (h) => new Promise((r) => { const s = net.connect(8080, h); s.on('connect', () => r('ok')); s.on('error', (e) => r(e.code)); });
(async () => {
  await Promise.all(servers);
  const out = { pid: process.pid, netns: Number(/\\[(\\d+)\\]/.exec(fs.readlinkSync('/proc/self/ns/net'))[1]), v4: [], v6: [] };
  for (let i = 0; i < 5; i++) out.v4.push(await connect('127.0.0.1'));
  for (let i = 0; i < 4; i++) out.v6.push(await connect('::1'));
  process.stdout.write(JSON.stringify(out) + '\\n');
  setTimeout(() => process.exit(0), 2500);
})();`;

describe('tracer preflight', () => {
  it('says why it cannot run and how to fix it', () => {
    expect(tracerPreflight({ euid: 1000 })).toMatchObject({ status: 'unsupported', error: expect.stringMatching(/needs root/), fix: expect.stringMatching(/as root/) });
    if (process.platform !== 'linux') return;
    expect(tracerPreflight({ euid: 0, bpftrace: ['/nonexistent/bpftrace'] })).toMatchObject({ status: 'unsupported', error: expect.stringMatching(/^bpftrace is not installed/), fix: expect.stringMatching(/apt-get install bpftrace/) });
    expect(tracerPreflight({ euid: 0, bpftrace: ['/bin/sh'], tracefs: ['/nonexistent'] })).toMatchObject({ status: 'failed', fix: 'mount -t tracefs nodev /sys/kernel/tracing' });
  });

  it('reports the reason as its source status, and a sample without failures keeps its severity', async () => {
    const t = new ConnectFailureTracer({ euid: 1000 });
    t.start();
    expect(await t.waitAttached(10)).toBe(false);
    expect(t.status()).toMatchObject({ name: 'connect-tracer', status: 'unsupported', error: expect.stringMatching(/needs root .*fix: run Portwatch as root/) });
    const s = makeSample(Date.now());
    expect(withConnectFailures(s, t.snapshot(), Date.now(), null)).toMatchObject({ severity: s.severity, connectFailures: [] });
    await t.stop();
  });
});

describeNetns('the connect-failure tracer on the real kernel', () => {
  let ns: Namespace;
  let tracer: ConnectFailureTracer;
  beforeAll(async () => {
    ns = await createNamespace('cftrace');
    await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40001');
  });
  afterAll(async () => {
    await tracer?.stop();
    await ns?.destroy();
  });

  it.runIf(canTrace)('reports exactly the failed connects of a process in a pod-like namespace, IPv4 and IPv6, with pid, name, netns and destination', async () => {
    tracer = new ConnectFailureTracer();
    tracer.start();
    expect(await tracer.waitAttached(60_000)).toBe(true);
    const r = await ns.execOrThrow([process.execPath, '-e', CLIENT], { timeoutMs: 30_000 });
    const client = JSON.parse(r.stdout) as { pid: number; netns: number; v4: string[]; v6: string[] };
    expect(client.v4).toEqual(['ok', 'ok', 'EADDRNOTAVAIL', 'EADDRNOTAVAIL', 'EADDRNOTAVAIL']);
    expect(client.v6).toEqual(['ok', 'ok', 'EADDRNOTAVAIL', 'EADDRNOTAVAIL']);
    const end = Date.now() + 10_000;
    const mine = () => tracer.snapshot().filter((f) => f.pid === client.pid);
    while (mine().reduce((n, f) => n + f.count, 0) < 5 && Date.now() < end) await new Promise((res) => setTimeout(res, 200));
    await new Promise((res) => setTimeout(res, 1500)); // one more print: nothing extra may arrive
    const seen = mine().sort((a, b) => b.count - a.count);
    expect(seen.map(({ firstSeen: _f, lastSeen: _l, ...f }) => f)).toEqual([
      { pid: client.pid, name: NODE_COMM, netns: client.netns, syscall: 'connect', remoteAddress: '127.0.0.1', remotePort: 8080, errno: 99, count: 3, recentCount: 3, place: `netns ${ns.name}` },
      { pid: client.pid, name: NODE_COMM, netns: client.netns, syscall: 'connect', remoteAddress: '::1', remotePort: 8080, errno: 99, count: 2, recentCount: 2, place: `netns ${ns.name}` },
    ]);
    // Facts, not inference: the namespace's sample is exhausted and says who failed where.
    const s = withConnectFailures(makeSample(Date.now()), seen, Date.now(), client.netns);
    expect(s.severity).toBe('exhausted');
    expect(s.severityReason).toContain(`${NODE_COMM} (pid ${client.pid}) in netns ${ns.name} failed 3 connects to 127.0.0.1:8080 in the last minute (EADDRNOTAVAIL)`);
    expect(s.diagnoses[0]).toMatchObject({ id: 'port-allocation-failures', severity: 'critical' });
  }, 120_000);

  it.runIf(canTrace)('restarts bpftrace when it is killed, and leaves none behind when stopped', async () => {
    const first = tracer.pid!;
    process.kill(first, 'SIGKILL');
    const end = Date.now() + 60_000;
    while ((tracer.pid === undefined || tracer.pid === first || tracer.status().status !== 'ok') && Date.now() < end) await new Promise((res) => setTimeout(res, 200));
    expect(tracer.status()).toMatchObject({ status: 'ok' });
    const second = tracer.pid!;
    expect(second).not.toBe(first);
    await tracer.stop();
    expect(existsSync(`/proc/${second}`)).toBe(false);
  }, 120_000);
});
