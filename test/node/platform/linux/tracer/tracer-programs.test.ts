// The two tracer programs against the same failures on the real kernel, side by side. A client in a
// namespace with a 2-port range holds both ports toward 127.0.0.1:8080, then makes every kind of failure
// and near-failure a port tracer could confuse:
// - 3 connects that find no free port (EADDRNOTAVAIL in __inet_hash_connect): the exhaustion itself;
// - 2 connects refused by a closed port (ECONNREFUSED, after a port was assigned): not a port failure;
// - a connect of a socket bound to port 5555 beforehand whose 4-tuple is taken (EADDRNOTAVAIL, decided
//   in __inet_check_established for a port the socket already holds);
// - a listen on port 0 whose bind finds no port (EADDRINUSE).
// The default program (connect-failures.bt, the TCP state tracepoint) must report exactly the 3, and
// nothing for the others; the syscall program (--trace-syscalls) exactly 4 connects (the 3 and the bound
// one) and 1 bind. Both tracers run at once, each its own bpftrace.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConnectFailureTracer, tracerPreflight } from '../../../../../electron/node/platform/linux/tracer/connect-failure-tracer.js';
import type { ConnectFailure } from '../../../../../electron/common/connect-failures.js';
import { describeNetns } from '../../../../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../../../../netns/netns.js';
import { NODE_COMM } from '../../../../netns/node-comm.js';

const canTrace = !('error' in tracerPreflight()) && !('error' in tracerPreflight({ syscalls: true }));

const CLIENT = `
const net = require('net'); const fs = require('fs');
const connect = (o) => new Promise((r) => { const s = net.connect(o); s.on('connect', () => r('ok')); s.on('error', (e) => r(e.code)); });
const listen = (port) => new Promise((r) => { const s = net.createServer(); s.on('error', (e) => r(e.code)); s.listen(port, '127.0.0.1', () => r('ok')); });
(async () => {
  const out = { pid: process.pid, netns: Number(/\\[(\\d+)\\]/.exec(fs.readlinkSync('/proc/self/ns/net'))[1]) };
  out.server = await listen(8080);
  out.held = [await connect({ port: 8080, host: '127.0.0.1' }), await connect({ port: 8080, host: '127.0.0.1' })];
  out.noPort = [];
  for (let i = 0; i < 3; i++) out.noPort.push(await connect({ port: 8080, host: '127.0.0.1' }));
  out.refused = [await connect({ port: 9, host: '127.0.0.1' }), await connect({ port: 9, host: '127.0.0.1' })];
  const bound = { port: 8080, host: '127.0.0.1', localAddress: '127.0.0.1', localPort: 5555 };
  out.bound = [await connect(bound), await connect(bound)];
  out.bind = await listen(0);
  process.stdout.write(JSON.stringify(out) + '\\n');
  setTimeout(() => process.exit(0), 500);
})();`;

describeNetns('the default and the syscall tracer programs on the same failures (real kernel)', () => {
  let ns: Namespace;
  const state = new ConnectFailureTracer({ places: null });
  const syscalls = new ConnectFailureTracer({ places: null, syscalls: true });
  beforeAll(async () => {
    ns = await createNamespace('cfprog');
    await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40001');
  });
  afterAll(async () => {
    await Promise.all([state.stop(), syscalls.stop()]);
    await ns?.destroy();
  });

  it.runIf(canTrace)('the default counts exactly the connects that found no port; the syscall program also the bound connect and the bind', async () => {
    state.start();
    syscalls.start();
    expect(await state.waitAttached(60_000)).toBe(true);
    expect(await syscalls.waitAttached(60_000)).toBe(true);
    const r = await ns.execOrThrow([process.execPath, '-e', CLIENT], { timeoutMs: 30_000 });
    const client = JSON.parse(r.stdout) as { pid: number; netns: number; server: string; held: string[]; noPort: string[]; refused: string[]; bound: string[]; bind: string };
    // what the kernel answered the client
    expect(client).toMatchObject({ server: 'ok', held: ['ok', 'ok'], noPort: ['EADDRNOTAVAIL', 'EADDRNOTAVAIL', 'EADDRNOTAVAIL'], refused: ['ECONNREFUSED', 'ECONNREFUSED'], bound: ['ok', 'EADDRNOTAVAIL'], bind: 'EADDRINUSE' });

    const mine = (t: ConnectFailureTracer): Omit<ConnectFailure, 'firstSeen' | 'lastSeen' | 'recentCount'>[] =>
      t
        .snapshot()
        .filter((f) => f.pid === client.pid)
        .map(({ firstSeen: _f, lastSeen: _l, recentCount: _r, ...f }) => f)
        .sort((a, b) => a.syscall.localeCompare(b.syscall));
    const total = (t: ConnectFailureTracer): number => mine(t).reduce((n, f) => n + f.count, 0);
    const end = Date.now() + 15_000;
    while ((total(state) < 3 || total(syscalls) < 5) && Date.now() < end) await new Promise((res) => setTimeout(res, 200));
    await new Promise((res) => setTimeout(res, 2_200)); // two more prints: nothing more may arrive

    const who = { pid: client.pid, name: NODE_COMM, netns: client.netns };
    expect(mine(state)).toEqual([{ ...who, syscall: 'connect', remoteAddress: '127.0.0.1', remotePort: 8080, errno: 99, count: 3 }]);
    expect(mine(syscalls)).toEqual([
      { ...who, syscall: 'bind', remoteAddress: '127.0.0.1', remotePort: 0, errno: 98, count: 1 },
      { ...who, syscall: 'connect', remoteAddress: '127.0.0.1', remotePort: 8080, errno: 99, count: 4 },
    ]);
    expect(state.problems + syscalls.problems).toBe(0);
  }, 120_000);
});
