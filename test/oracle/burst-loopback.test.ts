// The kernel as the oracle for exhaustion between samples, on loopback with tcp_tw_reuse=2: a burst fills
// a 50-port range and ends; a second later every port is reusable again and the socket table alone looks
// healthy. Portwatch must still say the range was exhausted (the right peak, exit 2), and the workload
// must really have been refused (EADDRNOTAVAIL).
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { checkJson } from '../netns/portwatch-cli.js';
import { burst, churn, startServer } from '../netns/workloads.js';
import { closeCounters, countStates, countWhere, ssUntilClosedToward } from '../netns/ss.js';

/** A namespace with a 50-port range whose TIME-WAIT ports loopback may reuse after 1 s. */
async function burstNamespace(): Promise<Namespace> {
  const ns = await createNamespace('ttburstlo');
  await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40049');
  await ns.sysctl('net.ipv4.tcp_tw_reuse', 2);
  await ns.sysctl('net.ipv4.tcp_tw_reuse_delay', 1000);
  return ns;
}

describeNetns('burst between samples, loopback with tcp_tw_reuse=2', () => {
  let ns: Namespace;
  beforeEach(async () => {
    ns = await burstNamespace();
  });
  afterEach(async () => {
    await ns?.destroy();
  });

  it('reports the exhaustion that the burst caused and exits 2, although every port is free again', async () => {
    // The burst's only trace once it is over is its 50 client TIME-WAIT sockets. On a loaded machine a
    // few may be gone before Portwatch reads (seen once in CI: 45 left, though the kernel had given out
    // all 50 ports), and what left no trace no reader can count. So the pattern is built again, in a
    // fresh namespace, until ss (the reference) sees all 50; at most three times. The assertion on
    // Portwatch stays exact.
    let attempt = 0;
    const lost: string[] = [];
    for (;;) {
      attempt += 1;
      if (attempt > 1) {
        await ns.destroy();
        ns = await burstNamespace();
      }
      await startServer(ns, ['127.0.0.1:8080']);
      // 120 connects at once toward one destination with 50 ports that are held 1 s after each close.
      const b = await burst(ns, '127.0.0.1:8080', 120);
      // the kernel's word: it refused connects for want of a port
      expect(b.codes).toEqual({ EADDRNOTAVAIL: 70 });
      expect(b.ok).toBe(50);
      await new Promise((r) => setTimeout(r, 2_000)); // the burst is over and every port reusable again
      // A server that answered some FINs late leaves those client sockets in FIN-WAIT-2 a while longer.
      const sockets = await ssUntilClosedToward(ns, 8080);
      const traces = countWhere(sockets, { state: 'TIME-WAIT', remotePort: 8080 });
      if (traces === 50) break;
      lost.push(`${50 - traces} (client sockets ${JSON.stringify(countStates(sockets.filter((s) => s.remotePort === 8080)))}; ${await closeCounters(ns)})`);
      if (attempt === 3) throw new Error(`the burst left fewer than 50 TIME-WAIT sockets three times (lost ${lost.join(', ')}): nothing for Portwatch to count`);
    }
    const { sample, exitCode, stdout } = await checkJson(ns, ['--interval', '0']);
    expect(sample.worst?.blocking ?? 0).toBe(0); // what the table says of now
    expect(sample.recentExhaustion, stdout.slice(0, 2000)).toMatchObject({ exhausted: true, peak: 50, capacity: 50, reuse: true, holdSec: 1, basis: 'timers', remotePort: 8080 });
    expect(sample.recentExhaustion!.closeSpanSec).toBeLessThan(1);
    expect(Date.now() - sample.recentExhaustion!.time).toBeLessThan(30_000);
    expect(sample.severity).toBe('critical');
    expect(sample.severityReason).toMatch(/^Exhausted \d+ s ago toward 127\.0\.0\.1:8080: 50 of 50 ports held at once/);
    expect(exitCode).toBe(2);
  });

  it('a slow churn that never fills the range is not called an exhaustion', async () => {
    await startServer(ns, ['127.0.0.1:8080']);
    const slow = await churn(ns, '127.0.0.1:8080', 20, 1_500); // 20/s against 50/s sustainable
    expect(slow.failed).toBe(0);
    const { sample, exitCode } = await checkJson(ns, ['--interval', '0']);
    expect(sample.recentExhaustion ?? null).toBeNull();
    expect(exitCode).toBe(0);
  });
});
