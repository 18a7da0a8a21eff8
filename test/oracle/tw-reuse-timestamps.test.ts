// The kernel as the oracle for tcp_tw_reuse toward a peer with and without TCP timestamps. Reuse takes a
// TIME-WAIT 4-tuple only when that connection used timestamps (tcp_twsk_unique needs tw_ts_recent_stamp),
// and the socket table does not show whether it did. So Portwatch must not call "free" kernel-exact: its
// figure toward the destination is inferred, says it rests on timestamps, and its bounds hold the
// kernel's answer either way, which the test then takes by connecting until connect() fails.
//
// The pattern: a client with a 10-port range and tcp_tw_reuse=1 holds 10 connections toward :8081, then
// makes and closes 10 toward :8080 on the same ports (shared ports: proven connect()'s, nothing else
// uncertain), and waits past tcp_tw_reuse_delay. The server's tcp_timestamps decides what the kernel does.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { checkJson } from '../netns/portwatch-cli.js';
import { describeSample, destinationTo } from '../netns/sample-queries.js';
import { countWhere, ssUntilClosedToward } from '../netns/ss.js';
import { burst, connectHold, startServer } from '../netns/workloads.js';
import { joinByVeth, VETH_SERVER } from './burst-veth.js';

describeNetns('tcp_tw_reuse rests on TCP timestamps the socket table does not show', () => {
  let client: Namespace;
  let server: Namespace;
  beforeEach(async () => {
    client = await createNamespace('twtsc');
    server = await createNamespace('twtss');
    await joinByVeth(client, server);
    await client.sysctl('net.ipv4.ip_local_port_range', '40000 40009');
    await client.sysctl('net.ipv4.tcp_tw_reuse', 1);
    await client.sysctl('net.ipv4.tcp_timestamps', 1);
    if ((await client.readSysctlOrNull('net.ipv4.tcp_tw_reuse_delay')) !== null) await client.sysctl('net.ipv4.tcp_tw_reuse_delay', 1000);
  });
  afterEach(async () => {
    await client?.destroy();
    await server?.destroy();
  });

  it.each([
    { peer: 'off', peerTimestamps: 0, kernelGives: 'low' as const },
    { peer: 'on', peerTimestamps: 1, kernelGives: 'high' as const },
  ])('peer timestamps $peer: the kernel gives the $kernelGives bound', async ({ peerTimestamps, kernelGives }) => {
    await server.sysctl('net.ipv4.tcp_timestamps', peerTimestamps);
    await startServer(server, [`${VETH_SERVER}:8080`, `${VETH_SERVER}:8081`]);
    expect((await connectHold(client, `${VETH_SERVER}:8081`, 10)).connected).toBe(10);
    const closed = await burst(client, `${VETH_SERVER}:8080`, 10);
    expect(closed.ok).toBe(10);
    const table = await ssUntilClosedToward(client, 8080);
    const timeWait = countWhere(table, { state: 'TIME-WAIT', remotePort: 8080 });
    expect(timeWait).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1_500)); // past tcp_tw_reuse_delay: reusable by the settings

    const { sample } = await checkJson(client, ['--interval', '0']);
    const d = destinationTo(sample, VETH_SERVER, 8080);
    expect(d, describeSample(sample)).toBeDefined();
    expect(d!.states['TIME-WAIT']).toBe(timeWait);
    expect(d!.basis).toMatchObject({ kind: 'inferred', left: 10, low: 10 - timeWait, high: 10 });
    expect(d!.basis!.reason).toContain(`${timeWait} TIME-WAIT sockets toward it count as free (tcp_tw_reuse takes them after 1,000 ms) only if their connections used TCP timestamps`);

    // The oracle: connect toward it until connect() fails.
    const more = await connectHold(client, `${VETH_SERVER}:8080`, 10);
    expect(more.connected).toBeGreaterThanOrEqual(d!.basis!.low);
    expect(more.connected).toBeLessThanOrEqual(d!.basis!.high);
    expect(more.connected).toBe(d!.basis![kernelGives]);
    if (more.connected < 10) expect(more.codes).toEqual({ EADDRNOTAVAIL: 10 - more.connected });
  });
});
