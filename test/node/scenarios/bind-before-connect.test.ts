// Scenario c: bind() before connect() takes a port for every destination, so such a client exhausts the
// range globally (EADDRINUSE even toward a new destination) while no single destination looks full.
import { afterEach, expect, it } from 'vitest';
import { describeNetns } from '../../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../../netns/netns.js';
import { checkJson } from '../../netns/portwatch-cli.js';
import { diagnosis, destinationTo, describeSample } from '../../netns/sample-queries.js';
import { ssSockets } from '../../netns/ss.js';
import { bindConnect, connectHold, startServer } from '../../netns/workloads.js';

const RANGE = { low: 40000, high: 40019 };
const RANGE_SIZE = RANGE.high - RANGE.low + 1;
const HALF = RANGE_SIZE / 2;

describeNetns('bind() before connect() in a namespace with a 20-port range', () => {
  let ns: Namespace | undefined;
  afterEach(async () => {
    await ns?.destroy();
    ns = undefined;
  });

  it('reports global exhaustion with bind-before-connect evidence when every port is bound', async () => {
    ns = await createNamespace('bindconn');
    await ns.sysctl('net.ipv4.ip_local_port_range', `${RANGE.low} ${RANGE.high}`);
    await startServer(ns, ['127.0.0.1:8080', '127.0.0.1:8081', '127.0.0.1:8082']);
    const a = await bindConnect(ns, '127.0.0.1:8080', HALF);
    const b = await bindConnect(ns, '127.0.0.1:8081', HALF);
    const c = await bindConnect(ns, '127.0.0.1:8082', 1);
    const plainC = await connectHold(ns, '127.0.0.1:8082', 1);
    // The kernel: 10 + 10 fill the range; a third destination gets nothing, bound or plain.
    expect([a.connected, b.connected]).toEqual([HALF, HALF]);
    expect([c.connected, c.codes]).toEqual([0, { EADDRINUSE: 1 }]);
    expect([plainC.connected, plainC.codes]).toEqual([0, { EADDRNOTAVAIL: 1 }]);
    // No port is shared between the two destinations (plain connects would share some).
    expect(new Set([...a.localPorts, ...b.localPorts]).size).toBe(RANGE_SIZE);

    const { exitCode, sample } = await checkJson(ns);
    const why = describeSample(sample);
    expect(sample.global.bindBeforeConnectEvidence, why).toBe(true);
    expect(sample.global.distinctPortsInUse, why).toBe(RANGE_SIZE);
    // Every port of the range is taken from everyone: utilization 20/20 (within float rounding).
    expect(sample.global.utilization, why).toBeCloseTo(1, 6);
    expect(sample.global.exclusivelyHeld, why).toBe(RANGE_SIZE);
    expect(diagnosis(sample, 'bind-before-connect'), why).toBeDefined();
    // The table cannot prove how the ports were taken: that rests on inference, so it never pages
    // (docs/port-model.md), and the figure for a new destination says so with its bounds.
    expect([sample.severity, exitCode], why).toEqual(['warning', 1]);
    expect(sample.severityReason, why).toMatch(/by inference/);
    expect(sample.newDestination, why).toMatchObject({ kind: 'inferred', left: 0, low: 0, high: RANGE_SIZE });
    // Each destination alone holds only half of the range.
    for (const port of [8080, 8081]) {
      expect(destinationTo(sample, '127.0.0.1', port), why).toMatchObject({ inUse: HALF });
    }
    // Agreement with ss on what is there: 20 established client sockets in the range.
    const inRange = (await ssSockets(ns)).filter((s) => s.state === 'ESTABLISHED' && s.localPort >= RANGE.low && s.localPort <= RANGE.high);
    expect(inRange).toHaveLength(RANGE_SIZE);
  });

  it('does not claim bind-before-connect for plain connects that fill a destination', async () => {
    ns = await createNamespace('bindconn');
    await ns.sysctl('net.ipv4.ip_local_port_range', `${RANGE.low} ${RANGE.high}`);
    await startServer(ns, ['127.0.0.1:8080', '127.0.0.1:8081']);
    const a = await connectHold(ns, '127.0.0.1:8080', HALF);
    const b = await connectHold(ns, '127.0.0.1:8081', HALF);
    expect([a.connected, b.connected]).toEqual([HALF, HALF]);
    // Plain connects pick ports per destination (and prefer even ports since Linux 4.2), so the two
    // destinations share ports: the very thing bind() before connect() never does.
    expect(new Set([...a.localPorts, ...b.localPorts]).size).toBeLessThan(RANGE_SIZE);

    const { exitCode, sample } = await checkJson(ns);
    const why = describeSample(sample);
    expect(sample.global.bindBeforeConnectEvidence, why).toBe(false);
    expect(diagnosis(sample, 'bind-before-connect'), why).toBeUndefined();
    // 10 of 20 toward each destination is 50 %, below the default warning threshold (70 %).
    expect([sample.severity, exitCode], why).toEqual(['ok', 0]);
  });
});
