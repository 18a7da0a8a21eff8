// The harness and its workloads, checked against the kernel and against ss before anything relies on them.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { describeNetns, netnsSuiteMode } from './describe-netns.js';
import { createNamespace, type Namespace } from './netns.js';
import { REPO_ROOT } from './portwatch-cli.js';
import { closeCounters, countStates, countWhere, parseSs, ssSockets, ssUntilClosedToward } from './ss.js';
import { bindConnect, burst, churn, closeWait, connectHold, startServer } from './workloads.js';

describe('netnsSuiteMode', () => {
  it('runs namespace suites when namespaces work, whatever CI says', () => {
    expect(netnsSuiteMode({ ok: true }, undefined)).toBe('run');
    expect(netnsSuiteMode({ ok: true }, 'true')).toBe('run');
  });
  it('skips them when namespaces do not work outside CI', () => {
    expect(netnsSuiteMode({ ok: false, reason: 'not root' }, undefined)).toBe('skip');
    expect(netnsSuiteMode({ ok: false, reason: 'not root' }, 'false')).toBe('skip');
  });
  it('fails them when namespaces do not work and CI=true', () => {
    expect(netnsSuiteMode({ ok: false, reason: 'not root' }, 'true')).toBe('fail');
  });
});

describe('parseSs', () => {
  // Captured from `ss -tanHp` in a namespace (server.mjs --close immediate, close-wait.mjs, connect-hold.mjs).
  const captured = [
    'LISTEN     0      4096   127.0.0.1:8080    0.0.0.0:*     users:(("node",pid=8243,fd=19))',
    'FIN-WAIT-2 0      0      127.0.0.1:8080  127.0.0.1:33032 users:(("node",pid=8243,fd=22))',
    'CLOSE-WAIT 0      0      127.0.0.1:33032 127.0.0.1:8080  users:(("node",pid=8255,fd=19))',
    'LISTEN     0      4096        [::]:8082       [::]:*     users:(("node",pid=8243,fd=21))',
    'TIME-WAIT  0      0          [::1]:8081      [::1]:40590                                ',
    'ESTAB      0      0     10.9.0.1%lo:40001 10.9.0.1:80 users:(("Web Content",pid=7,fd=3),("node",pid=9,fd=4))',
  ].join('\n');

  it('reads state, both endpoints and the owning pids of every line', () => {
    const { sockets, problems } = parseSs(captured);
    expect(problems).toEqual([]);
    expect(sockets.map((s) => s.state)).toEqual(['LISTEN', 'FIN-WAIT-2', 'CLOSE-WAIT', 'LISTEN', 'TIME-WAIT', 'ESTABLISHED']);
    expect(sockets[0]).toEqual({ state: 'LISTEN', local: '127.0.0.1', localPort: 8080, remote: '0.0.0.0', remotePort: 0, pids: [8243] });
    expect(sockets[3]).toMatchObject({ local: '::', localPort: 8082, remote: '::', remotePort: 0 });
    expect(sockets[4]).toMatchObject({ local: '::1', localPort: 8081, remote: '::1', remotePort: 40590, pids: [] });
    expect(sockets[5]).toMatchObject({ local: '10.9.0.1', localPort: 40001, pids: [7, 9] });
  });

  it('names the line it cannot read instead of throwing', () => {
    const { sockets, problems } = parseSs('ESTAB 0 0 127.0.0.1:1 127.0.0.1:2\ngarbage here\nESTAB 0 0 nope nope');
    expect(sockets).toHaveLength(1);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('line 2');
    expect(problems[1]).toContain('line 3');
  });

  it('counts states', () => {
    expect(countStates(parseSs(captured).sockets)).toEqual({ LISTEN: 2, 'FIN-WAIT-2': 1, 'CLOSE-WAIT': 1, 'TIME-WAIT': 1, ESTABLISHED: 1 });
  });
});

describeNetns('network namespace harness', () => {
  let ns: Namespace | undefined;
  afterEach(async () => {
    await ns?.destroy();
    ns = undefined;
  });

  it('gives each namespace its own port range and leaves the host range alone', async () => {
    const hostBefore = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    ns = await createNamespace('harness');
    await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40009');
    expect(await ns.readSysctl('net.ipv4.ip_local_port_range')).toBe('40000 40009');
    expect(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).toBe(hostBefore);
    const lo = await ns.execOrThrow(['ip', '-o', 'link', 'show', 'lo']);
    expect(lo.stdout).toMatch(/state UNKNOWN|UP/);
  });

  it('refuses a sysctl value the kernel did not keep, naming the key', async () => {
    ns = await createNamespace('harness');
    // docs/domain.md: the kernel rejects a range whose low end is below ip_unprivileged_port_start (1024).
    await expect(ns.sysctl('net.ipv4.ip_local_port_range', '1000 1009')).rejects.toThrow(/ip_local_port_range/);
    expect(await ns.readSysctlOrNull('net.ipv4.no_such_sysctl')).toBeNull();
  });

  it('reports the program pid that ss shows as the socket owner', async () => {
    ns = await createNamespace('harness');
    const server = await startServer(ns, ['127.0.0.1:8080']);
    const client = await connectHold(ns, '127.0.0.1:8080', 3);
    expect(client.connected).toBe(3);
    const sockets = await ssSockets(ns, { processes: true });
    const clientSide = sockets.filter((s) => s.remotePort === 8080 && s.state === 'ESTABLISHED');
    expect(clientSide.map((s) => s.pids)).toEqual([[client.process.pid], [client.process.pid], [client.process.pid]]);
    expect(clientSide.map((s) => s.localPort).sort()).toEqual([...client.localPorts].sort());
    const listener = sockets.find((s) => s.state === 'LISTEN');
    expect(listener?.pids).toEqual([server.pid]);
  });

  it('kills every process inside and deletes the namespace on destroy', async () => {
    const own = await createNamespace('harness');
    ns = own;
    const server = await startServer(own, ['127.0.0.1:8080']);
    expect(await own.pids()).toContain(server.pid);
    await own.destroy();
    expect(server.exit?.signal).toBe('SIGKILL');
    const list = await own.exec(['true']); // ip netns exec on a deleted namespace fails
    expect(list.code).not.toBe(0);
    await own.destroy(); // twice is harmless
  });

  it('plain connects get the whole range toward each destination, then EADDRNOTAVAIL', async () => {
    ns = await createNamespace('harness');
    await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40009');
    await startServer(ns, ['127.0.0.1:8080', '127.0.0.1:8081']);
    const a = await connectHold(ns, '127.0.0.1:8080', 12);
    const b = await connectHold(ns, '127.0.0.1:8081', 12);
    expect([a.connected, a.failed, a.codes]).toEqual([10, 2, { EADDRNOTAVAIL: 2 }]);
    expect([b.connected, b.failed, b.codes]).toEqual([10, 2, { EADDRNOTAVAIL: 2 }]);
    // The same ten ports serve both destinations.
    expect(new Set([...a.localPorts, ...b.localPorts]).size).toBe(10);
    const sockets = await ssSockets(ns);
    expect(countWhere(sockets, { state: 'ESTABLISHED', remotePort: 8080 })).toBe(10);
    expect(countWhere(sockets, { state: 'ESTABLISHED', remotePort: 8081 })).toBe(10);
  });

  it('bind-connect takes ports for every destination: EADDRINUSE toward a new one', async () => {
    ns = await createNamespace('harness');
    await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40009');
    await startServer(ns, ['127.0.0.1:8080', '127.0.0.1:8081']);
    const a = await bindConnect(ns, '127.0.0.1:8080', 10);
    const b = await bindConnect(ns, '127.0.0.1:8081', 1);
    const plain = await connectHold(ns, '127.0.0.1:8081', 1);
    expect(a.connected).toBe(10);
    expect([b.connected, b.codes]).toEqual([0, { EADDRINUSE: 1 }]);
    // Even a plain connect finds no port: connect() never shares a port that bind() took.
    expect([plain.connected, plain.codes]).toEqual([0, { EADDRNOTAVAIL: 1 }]);
  });

  it('churn leaves one client-side TIME-WAIT per connection', async () => {
    ns = await createNamespace('harness');
    await ns.sysctl('net.ipv4.tcp_tw_reuse', 0);
    await startServer(ns, ['127.0.0.1:8080']);
    const r = await churn(ns, '127.0.0.1:8080', 20, 1_000);
    expect([r.attempts, r.ok, r.failed]).toEqual([20, 20, 0]);
    // On a loaded machine the server may answer some FINs late (churn gives up waiting after 2 s, and
    // those sockets sit in FIN-WAIT-2 until the server's FIN turns them into TIME-WAIT): wait, bounded,
    // until no client socket toward the server is still closing.
    const sockets = await ssUntilClosedToward(ns, 8080);
    // Client side: local port in the default range, remote the server; the server side has no TIME-WAIT.
    const clientStates = countStates(sockets.filter((s) => s.remotePort === 8080));
    expect(countWhere(sockets, { state: 'TIME-WAIT', remotePort: 8080 }), `client sockets toward the server: ${JSON.stringify(clientStates)}; ${await closeCounters(ns)}`).toBe(20);
    expect(countWhere(sockets, { state: 'TIME-WAIT', localPort: 8080 })).toBe(0);
  });

  it('burst makes every connect before the first close: exactly the range connects, even when TIME-WAIT is reusable after 1 ms', async () => {
    ns = await createNamespace('harness');
    await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40049');
    await ns.sysctl('net.ipv4.tcp_tw_reuse', 1);
    await ns.sysctl('net.ipv4.tcp_tw_reuse_delay', 1);
    await startServer(ns, ['127.0.0.1:8080']);
    const b = await burst(ns, '127.0.0.1:8080', 120);
    expect([b.attempts, b.ok, b.codes]).toEqual([120, 50, { EADDRNOTAVAIL: 70 }]);
    // The same 120 paced over 0.3 s: the kernel reuses the first TIME-WAIT ports long before the last
    // connect (what made a paced burst's count depend on the machine's speed at the default 1 s delay).
    const paced = await churn(ns, '127.0.0.1:8080', 400, 300);
    expect(paced.ok).toBeGreaterThan(50);
  });

  it('close-wait leaves client sockets in CLOSE-WAIT owned by the client', async () => {
    ns = await createNamespace('harness');
    await startServer(ns, ['127.0.0.1:8080'], { close: 'immediate' });
    const r = await closeWait(ns, '127.0.0.1:8080', 4);
    expect(r.connected).toBe(4);
    const sockets = await ssSockets(ns, { processes: true });
    const leaked = sockets.filter((s) => s.state === 'CLOSE-WAIT');
    expect(leaked).toHaveLength(4);
    expect(leaked.every((s) => s.remotePort === 8080 && s.pids[0] === r.process.pid)).toBe(true);
  });

  it('adds addresses to the namespace loopback and serves IPv6', async () => {
    ns = await createNamespace('harness');
    await ns.addAddress('10.9.0.1/32');
    await startServer(ns, ['10.9.0.1:80', '[::1]:8080']);
    const v4 = await connectHold(ns, '10.9.0.1:80', 2);
    const v6 = await connectHold(ns, '[::1]:8080', 2);
    expect([v4.connected, v6.connected]).toEqual([2, 2]);
    const sockets = await ssSockets(ns);
    expect(countWhere(sockets, { state: 'ESTABLISHED', remote: '10.9.0.1', remotePort: 80 })).toBe(2);
    expect(countWhere(sockets, { state: 'ESTABLISHED', remote: '::1', remotePort: 8080 })).toBe(2);
  });

  it('says why namespaces cannot be used when not root', async () => {
    // Run the probe as nobody (setpriv drops root) in a child process: the reason must name the cause.
    const probe = `import('./test/netns/netns.ts').then((m) => console.log(JSON.stringify(m.canUseNamespaces())))`;
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--import', 'tsx', '-e', probe], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.error).toBeUndefined();
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ ok: false, reason: expect.stringMatching(/not root \(uid 65534\)/) });
  });

  it('streams stdout lines and rejects a wait that cannot be met, with the output', async () => {
    ns = await createNamespace('harness');
    const p = ns.spawn([process.execPath, '-e', 'console.log("one"); console.log(JSON.stringify({ n: 2 }))']);
    const seen: string[] = [];
    for await (const line of p.linesIterator()) seen.push(line);
    expect(seen).toEqual(['one', '{"n":2}']);
    expect(p.events).toEqual([{ n: 2 }]);
    await expect(p.waitForLine(/never/, 1_000)).rejects.toThrow(/ended .* before printing/);
    const slow = ns.spawn(['sleep', '5']);
    await expect(slow.waitForLine(/x/, 100)).rejects.toThrow(/within 100 ms/);
  });
});
