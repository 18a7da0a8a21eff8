// The kernel as the oracle for a burst toward a destination across a veth pair with tcp_tw_reuse=0: every
// closed connection keeps its port 60 s, so the burst's TIME-WAIT sockets fill the range. Portwatch must
// say it is exhausted now, when it filled and with what peak (exit 2), and the kernel must have refused.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { checkJson } from '../netns/portwatch-cli.js';
import { churn, connectHold, startServer } from '../netns/workloads.js';
import { joinByVeth, VETH_SERVER } from './burst-veth.js';

describeNetns('burst between samples, veth with tcp_tw_reuse=0', () => {
  let client: Namespace;
  let server: Namespace;
  beforeEach(async () => {
    client = await createNamespace('ttburstc');
    server = await createNamespace('ttbursts');
    await joinByVeth(client, server);
    await client.sysctl('net.ipv4.ip_local_port_range', '40000 40049');
    await client.sysctl('net.ipv4.tcp_tw_reuse', 0);
  });
  afterEach(async () => {
    await client?.destroy();
    await server?.destroy();
  });

  it('reports the range exhausted by the burst, when it filled and the peak, and exits 2', async () => {
    await startServer(server, [`${VETH_SERVER}:8080`]);
    const started = Date.now();
    const burst = await churn(client, `${VETH_SERVER}:8080`, 400, 300);
    expect(burst.ok).toBe(50);
    expect(burst.codes.EADDRNOTAVAIL ?? 0).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1_000));
    const { sample, exitCode } = await checkJson(client, ['--interval', '0']);
    expect(sample.severity).toBe('exhausted');
    expect(sample.recentExhaustion).toMatchObject({ exhausted: true, peak: 50, capacity: 50, reuse: false, holdSec: 60, remoteAddress: VETH_SERVER });
    expect(sample.recentExhaustion!.time).toBeGreaterThanOrEqual(started - 50);
    expect(sample.recentExhaustion!.time).toBeLessThanOrEqual(started + burst.elapsedMs + 1_000);
    expect(exitCode).toBe(2);
    // and the kernel still refuses: not one more connect toward it
    const more = await connectHold(client, `${VETH_SERVER}:8080`, 1);
    expect(more.connected).toBe(0);
    expect(more.codes.EADDRNOTAVAIL).toBe(1);
  });
});
