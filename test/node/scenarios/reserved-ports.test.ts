// Scenario f: ports in ip_local_reserved_ports are never handed out by connect(), so usable capacity is
// the range minus the reserved ports inside it (docs/domain.md).
import { afterEach, expect, it } from 'vitest';
import { describeNetns } from '../../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../../netns/netns.js';
import { checkJson } from '../../netns/portwatch-cli.js';
import { describeSample } from '../../netns/sample-queries.js';
import { connectHold, startServer } from '../../netns/workloads.js';

const RANGE = { low: 40000, high: 40009 };
const RESERVED = { low: 40002, high: 40004 };
const USABLE = RANGE.high - RANGE.low + 1 - (RESERVED.high - RESERVED.low + 1);

describeNetns('reserved ports in a namespace with a 10-port range', () => {
  let ns: Namespace | undefined;
  afterEach(async () => {
    await ns?.destroy();
    ns = undefined;
  });

  it('counts reserved ports out of capacity: 7 usable of 10, and 7 connects fill the destination', async () => {
    ns = await createNamespace('reserved');
    await ns.sysctl('net.ipv4.ip_local_port_range', `${RANGE.low} ${RANGE.high}`);
    // Reserved ports outside the range (8080 here) must not reduce capacity: only those inside count.
    await ns.sysctl('net.ipv4.ip_local_reserved_ports', `8080,${RESERVED.low}-${RESERVED.high}`);

    const idle = await checkJson(ns, ['--interval', '0']);
    expect(idle.sample.capacity, describeSample(idle.sample)).toEqual({ rangeSize: 10, reserved: 3, heldByListeners: 0, usable: USABLE });
    expect(idle.sample.kernel.reservedPorts).toEqual([{ low: 8080, high: 8080 }, RESERVED]);

    await startServer(ns, ['127.0.0.1:8080']);
    const client = await connectHold(ns, '127.0.0.1:8080', 10);
    // The kernel: only the 7 unreserved ports are handed out.
    expect([client.connected, client.failed, client.codes]).toEqual([USABLE, 10 - USABLE, { EADDRNOTAVAIL: 10 - USABLE }]);
    expect(client.localPorts.filter((p) => p >= RESERVED.low && p <= RESERVED.high)).toEqual([]);

    const { exitCode, sample } = await checkJson(ns);
    const why = describeSample(sample);
    expect(sample.capacity.usable, why).toBe(USABLE);
    expect(sample.worst, why).toMatchObject({ remoteAddress: '127.0.0.1', remotePort: 8080, inUse: USABLE, capacity: USABLE, utilization: 1 });
    expect([sample.severity, exitCode], why).toEqual(['exhausted', 2]);
  });

  it('counts a listener inside the range as a port taken from everyone', async () => {
    ns = await createNamespace('reserved');
    await ns.sysctl('net.ipv4.ip_local_port_range', `${RANGE.low} ${RANGE.high}`);
    // A service listening inside the range (the outage pattern of ranges that start too low).
    await startServer(ns, ['127.0.0.1:8080', `127.0.0.1:${RANGE.low + 5}`]);
    const client = await connectHold(ns, '127.0.0.1:8080', 10);
    expect([client.connected, client.codes]).toEqual([9, { EADDRNOTAVAIL: 1 }]);
    const { sample } = await checkJson(ns);
    const why = describeSample(sample);
    expect(sample.capacity, why).toMatchObject({ rangeSize: 10, reserved: 0, heldByListeners: 1, usable: 9 });
    expect(sample.worst, why).toMatchObject({ remotePort: 8080, inUse: 9, capacity: 9, utilization: 1 });
    expect(sample.severity, why).toBe('exhausted');
  });
});
