// The kernel is the oracle (issue 10): each pattern is built for real in a namespace with a 50-port
// range, Portwatch reports (`check --json`, and the engine in this process on a capture), then connects
// toward the worst destination and toward a fresh one run until the kernel refuses, and the counts are
// compared with what Portwatch said was left (docs/port-model.md).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Sample } from '../../electron/common/model.js';
import { readBundle } from '../../electron/node/capture/bundle.js';
import { Analyzer } from '../../electron/node/engine/analyzer.js';
import { parseSnapshot } from '../../electron/node/platform/parse-snapshot.js';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { checkJson, runPortwatch } from '../netns/portwatch-cli.js';
import { describeSample, sleep } from '../netns/sample-queries.js';
import { connectHold, startServer } from '../netns/workloads.js';
import { kernelAgrees, ORACLE_RANGE, ORACLE_RANGE_SIZE } from './oracle.js';
import { portctl } from './portctl.js';

const LO = '127.0.0.1';

describeNetns('the kernel as oracle: static patterns in a 50-port range', () => {
  let ns: Namespace | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await ns?.destroy();
    ns = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function setUp(label: string, listen: string[] = [`${LO}:8080`, `${LO}:8081`, `${LO}:8089`]): Promise<Namespace> {
    ns = await createNamespace(label);
    await ns.sysctl('net.ipv4.ip_local_port_range', `${ORACLE_RANGE.low} ${ORACLE_RANGE.high}`);
    await startServer(ns, listen);
    return ns;
  }

  it('plain connects to two destinations: ports are shared, each destination and a new one exact', async () => {
    const n = await setUp('orplain');
    expect((await connectHold(n, `${LO}:8080`, 30)).connected).toBe(30);
    expect((await connectHold(n, `${LO}:8081`, 20)).connected).toBe(20);
    const { sample, exitCode } = await checkJson(n);
    const why = describeSample(sample);
    expect(sample.global.exclusivelyHeld, why).toBe(0);
    expect(sample.worst, why).toMatchObject({ remotePort: 8080, blocking: 30 });
    // 30 of 50 is 60 %: below the warning threshold.
    expect([sample.severity, exitCode], why).toEqual(['ok', 0]);
    const worst = await kernelAgrees(n, sample, { remote: LO, port: 8080 }, 'exact');
    expect(worst.kernel).toBe(20);
    expect((await kernelAgrees(n, sample, { remote: LO, port: 8081 }, 'exact')).kernel).toBe(30);
    expect((await kernelAgrees(n, sample, { remote: LO, port: 8089 }, 'exact')).kernel).toBe(ORACLE_RANGE_SIZE);
  });

  it('one bound-only socket beside 40 plain connects holds 1 port, not 25, and pages nobody (issue 10, bug 1)', async () => {
    const n = await setUp('orbound');
    expect((await connectHold(n, `${LO}:8080`, 40)).connected).toBe(40);
    const bound = await portctl(n, 'bind-only', { count: 1 });
    expect(bound.ok).toBe(1);

    // The engine in this process, on a capture of the namespace.
    dir = await mkdtemp(join(tmpdir(), 'pw-oracle-'));
    const out = join(dir, 'bundle');
    const capture = await runPortwatch(n, ['capture', '--out', out]);
    expect(capture.exitCode, capture.stderr).toBe(0);
    const [raw] = await readBundle(out);
    const engine: Sample = new Analyzer().analyze(parseSnapshot(raw!), { wallMs: 0, cpuMs: 0 });

    const { sample, exitCode } = await checkJson(n);
    for (const s of [engine, sample]) {
      const why = describeSample(s);
      expect(s.global, why).toMatchObject({ exclusivelyHeld: 1, bindBeforeConnectEvidence: false });
      expect(s.capacity, why).toMatchObject({ heldByListeners: 1, usable: 49 });
      expect(s.worst, why).toMatchObject({ blocking: 40, capacity: 49 });
      expect(s.worst?.basis?.kind, why).toBe('kernel-exact');
      // 40 of 49 (82 %): warning, not critical, not exhausted.
      expect(s.severity, why).toBe('warning');
    }
    expect(exitCode).toBe(1);
    expect((await kernelAgrees(n, sample, { remote: LO, port: 8080 }, 'exact')).kernel).toBe(9);
    expect((await kernelAgrees(n, sample, { remote: LO, port: 8089 }, 'exact')).kernel).toBe(49);
  });

  it('bind()+connect without IP_BIND_ADDRESS_NO_PORT in a program that keeps spare bound sockets: 40 left, not 45 (issue 10, bug 2)', async () => {
    const n = await setUp('orbindc');
    const client = await portctl(n, 'bind-connect', { count: 5, to: `${LO}:8080`, idle: 5 });
    expect(client.ok).toBe(5);
    const { sample, exitCode } = await checkJson(n);
    const why = describeSample(sample);
    expect(sample.global, why).toMatchObject({ exclusivelyHeld: 10, bindBeforeConnectEvidence: true });
    expect(sample.newDestination, why).toMatchObject({ kind: 'inferred', left: 40, low: 40, high: 45 });
    expect(sample.newDestination?.reason, why).toMatch(/bound-only sockets/);
    expect([sample.severity, exitCode], why).toEqual(['ok', 0]);
    // The kernel agrees with the best figure, here exactly.
    expect((await kernelAgrees(n, sample, { remote: LO, port: 8080 }, 'exact')).kernel).toBe(40);
    expect((await kernelAgrees(n, sample, { remote: LO, port: 8089 }, 'exact')).kernel).toBe(40);
  });

  it('bind()+connect with no other evidence: the figure says it is inferred, and the kernel stays within its bounds', async () => {
    const n = await setUp('orbindn');
    const client = await portctl(n, 'bind-connect', { count: 5, to: `${LO}:8080` });
    expect(client.ok).toBe(5);
    const { sample } = await checkJson(n);
    const why = describeSample(sample);
    expect(sample.newDestination, why).toMatchObject({ kind: 'inferred', low: 45, high: 50 });
    expect(sample.newDestination?.reason, why).toMatch(/taken as connect\(\)'s/);
    const fresh = await kernelAgrees(n, sample, { remote: LO, port: 8089 }, 'within-bounds');
    expect(fresh.kernel).toBe(45);
    // Toward its own destination the figure does not depend on how its ports were taken.
    expect((await kernelAgrees(n, sample, { remote: LO, port: 8080 }, 'exact')).kernel).toBe(45);
  });

  it('bind()+connect with IP_BIND_ADDRESS_NO_PORT behaves like plain connects: nothing held from a new destination', async () => {
    const n = await setUp('ornoport');
    const client = await portctl(n, 'nobind-connect', { count: 5, to: `${LO}:8080`, src: LO });
    expect(client.ok).toBe(5);
    const { sample } = await checkJson(n);
    const why = describeSample(sample);
    expect(sample.global.exclusivelyHeld, why).toBe(0);
    expect((await kernelAgrees(n, sample, { remote: LO, port: 8080 }, 'exact')).kernel).toBe(45);
    expect((await kernelAgrees(n, sample, { remote: LO, port: 8089 }, 'exact')).kernel).toBe(ORACLE_RANGE_SIZE);
  });

  it('TIME-WAIT of bind()+connect sockets keeps their ports from everyone, tcp_tw_reuse or not: within the stated bounds', async () => {
    const n = await setUp('ortwbound');
    const client = await portctl(n, 'bind-connect', { count: 5, to: `${LO}:8080` });
    expect(client.ok).toBe(5);
    client.process.kill('SIGKILL'); // the client closes first: its 5 sockets go to TIME-WAIT
    await client.process.wait(5_000);
    await sleep(1_500); // older than tcp_tw_reuse_delay (1 s): a plain TIME-WAIT would be reusable on loopback
    const { sample } = await checkJson(n);
    const why = describeSample(sample);
    expect(sample.states['TIME-WAIT'], why).toBe(5);
    // The table cannot tell these TIME-WAIT sockets were bound: the figure says so, and the kernel
    // (45, not 50) stays inside its bounds.
    expect(sample.newDestination, why).toMatchObject({ kind: 'inferred', low: 45, high: 50 });
    expect((await kernelAgrees(n, sample, { remote: LO, port: 8089 }, 'within-bounds')).kernel).toBe(45);
  });

  it('reserved ports are left out exactly', async () => {
    const n = await setUp('orresv');
    await n.sysctl('net.ipv4.ip_local_reserved_ports', '40010-40019');
    expect((await connectHold(n, `${LO}:8080`, 20)).connected).toBe(20);
    const { sample } = await checkJson(n);
    const why = describeSample(sample);
    expect(sample.capacity, why).toMatchObject({ reserved: 10, usable: 40 });
    expect(sample.worst?.basis, why).toMatchObject({ kind: 'kernel-exact', left: 20 });
    expect((await kernelAgrees(n, sample, { remote: LO, port: 8080 }, 'exact')).kernel).toBe(20);
    expect((await kernelAgrees(n, sample, { remote: LO, port: 8089 }, 'exact')).kernel).toBe(40);
  });

  it('two source addresses each get the whole range toward the same destination', async () => {
    ns = await createNamespace('orsrc');
    const n = ns;
    await n.sysctl('net.ipv4.ip_local_port_range', `${ORACLE_RANGE.low} ${ORACLE_RANGE.high}`);
    for (const a of ['10.9.0.1/32', '10.9.0.2/32', '10.9.0.3/32']) await n.addAddress(a);
    await startServer(n, ['10.9.0.3:8080', '10.9.0.3:8089']);
    expect((await portctl(n, 'connect', { count: 30, to: '10.9.0.3:8080', src: '10.9.0.1' })).ok).toBe(30);
    expect((await portctl(n, 'connect', { count: 20, to: '10.9.0.3:8080', src: '10.9.0.2' })).ok).toBe(20);
    const { sample } = await checkJson(n);
    const why = describeSample(sample);
    expect(sample.destinations.filter((d) => d.remoteAddress === '10.9.0.3'), why).toHaveLength(2);
    expect(sample.worst, why).toMatchObject({ localAddress: '10.9.0.1', blocking: 30 });
    expect((await kernelAgrees(n, sample, { remote: '10.9.0.3', port: 8080, src: '10.9.0.1' }, 'exact')).kernel).toBe(20);
    expect((await kernelAgrees(n, sample, { remote: '10.9.0.3', port: 8080, src: '10.9.0.2' }, 'exact')).kernel).toBe(30);
    expect((await kernelAgrees(n, sample, { remote: '10.9.0.3', port: 8089, src: '10.9.0.1' }, 'exact')).kernel).toBe(ORACLE_RANGE_SIZE);
  });

  it('a listener inside the range takes its port from everyone, exactly', async () => {
    const n = await setUp('orlisten', [`${LO}:8080`, `${LO}:8089`, `${LO}:40007`]);
    expect((await connectHold(n, `${LO}:8080`, 20)).connected).toBe(20);
    const { sample } = await checkJson(n);
    const why = describeSample(sample);
    expect(sample.capacity, why).toMatchObject({ heldByListeners: 1, usable: 49 });
    expect(sample.worst?.basis, why).toMatchObject({ kind: 'kernel-exact', left: 29 });
    expect((await kernelAgrees(n, sample, { remote: LO, port: 8080 }, 'exact')).kernel).toBe(29);
    expect((await kernelAgrees(n, sample, { remote: LO, port: 8089 }, 'exact')).kernel).toBe(49);
  });
});
