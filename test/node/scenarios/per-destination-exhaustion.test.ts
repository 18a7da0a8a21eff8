// Scenarios a and b: a plain connect() needs a unique 4-tuple, so a 10-port range gives 10 connections
// toward each destination (docs/domain.md). Portwatch, run inside the namespace, must say exactly that.
import { afterEach, expect, it } from 'vitest';
import { describeNetns } from '../../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../../netns/netns.js';
import { checkJson } from '../../netns/portwatch-cli.js';
import { destinationTo, describeSample } from '../../netns/sample-queries.js';
import { connectHold, startServer } from '../../netns/workloads.js';

const RANGE = { low: 40000, high: 40009 };
const RANGE_SIZE = RANGE.high - RANGE.low + 1;

describeNetns('per-destination exhaustion in a namespace with a 10-port range', () => {
  let ns: Namespace | undefined;
  afterEach(async () => {
    await ns?.destroy();
    ns = undefined;
  });

  async function setUp(): Promise<Namespace> {
    ns = await createNamespace('exhaust');
    await ns.sysctl('net.ipv4.ip_local_port_range', `${RANGE.low} ${RANGE.high}`);
    await ns.sysctl('net.ipv4.ip_local_reserved_ports', '');
    return ns;
  }

  it('reports "exhausted" toward the destination whose 10 ports are all taken, naming the client', async () => {
    const ns = await setUp();
    await startServer(ns, ['127.0.0.1:8080']);
    const client = await connectHold(ns, '127.0.0.1:8080', RANGE_SIZE + 5);
    // The kernel's side of the story: the range holds exactly 10, the rest fail as users see it.
    expect([client.connected, client.failed, client.codes]).toEqual([RANGE_SIZE, 5, { EADDRNOTAVAIL: 5 }]);
    expect(client.localPorts.every((p) => p >= RANGE.low && p <= RANGE.high)).toBe(true);

    const { exitCode, sample } = await checkJson(ns);
    const why = describeSample(sample);
    expect(sample.severity, why).toBe('exhausted');
    expect(exitCode, why).toBe(2);
    expect(sample.kernel.portRange).toEqual(RANGE);
    expect(sample.capacity).toMatchObject({ rangeSize: RANGE_SIZE, reserved: 0, heldByListeners: 0, usable: RANGE_SIZE });
    expect(sample.worst, why).toMatchObject({
      remoteAddress: '127.0.0.1',
      remotePort: 8080,
      localAddress: '127.0.0.1',
      inUse: RANGE_SIZE,
      blocking: RANGE_SIZE,
      capacity: RANGE_SIZE,
      utilization: 1,
    });
    expect(sample.worst!.states).toEqual({ ESTABLISHED: RANGE_SIZE });
    expect(sample.worst!.processes.map((p) => p.pid), why).toContain(client.process.pid);
    expect(sample.worst!.processes.find((p) => p.pid === client.process.pid)?.sockets).toBe(RANGE_SIZE);
    // The server's accepted sockets (local port 8080, outside the range) are not outbound use.
    expect(sample.destinationCount, why).toBe(1);
  });

  it('still finds the whole range free toward a second destination and shows both at 10/10', async () => {
    const ns = await setUp();
    await startServer(ns, ['127.0.0.1:8080', '127.0.0.2:8080']);
    const first = await connectHold(ns, '127.0.0.1:8080', RANGE_SIZE + 5);
    const second = await connectHold(ns, '127.0.0.2:8080', RANGE_SIZE);
    expect(first.connected).toBe(RANGE_SIZE);
    // Per destination, not global: the same ten ports serve the second destination.
    expect([second.connected, second.failed]).toEqual([RANGE_SIZE, 0]);
    expect(new Set([...first.localPorts, ...second.localPorts]).size).toBe(RANGE_SIZE);

    const { exitCode, sample } = await checkJson(ns);
    const why = describeSample(sample);
    expect([sample.severity, exitCode], why).toEqual(['exhausted', 2]);
    expect(sample.destinationCount, why).toBe(2);
    for (const [remote, proc] of [['127.0.0.1', first.process.pid], ['127.0.0.2', second.process.pid]] as const) {
      const d = destinationTo(sample, remote, 8080);
      expect(d, `${remote}:8080 listed; ${why}`).toBeDefined();
      expect(d).toMatchObject({ inUse: RANGE_SIZE, blocking: RANGE_SIZE, capacity: RANGE_SIZE, utilization: 1 });
      expect(d!.processes.map((p) => p.pid)).toEqual([proc]);
    }
    // Plain connects share ports across destinations: no global pressure, no bind() evidence.
    expect(sample.global.bindBeforeConnectEvidence, why).toBe(false);
    expect(sample.global.distinctPortsInUse, why).toBe(RANGE_SIZE);
    expect(sample.diagnoses.map((d) => d.id), why).not.toContain('bind-before-connect');
  });
});
