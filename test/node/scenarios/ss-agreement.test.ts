// Scenario g: on a quiet namespace holding sockets in many states, Portwatch's counts equal what ss
// counts on the same sockets: per state, in total, and per destination.
import { afterEach, expect, it } from 'vitest';
import { ALL_TCP_STATES } from '../../../electron/common/tcp-state.js';
import { describeNetns } from '../../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../../netns/netns.js';
import { checkJson } from '../../netns/portwatch-cli.js';
import { destinationTo, describeSample } from '../../netns/sample-queries.js';
import { countStates, ssSockets } from '../../netns/ss.js';
import { bindConnect, churn, closeWait, connectHold, startServer } from '../../netns/workloads.js';

const RANGE = { low: 40000, high: 40099 };

describeNetns('Portwatch and ss agree in a namespace', () => {
  let ns: Namespace | undefined;
  afterEach(async () => {
    await ns?.destroy();
    ns = undefined;
  });

  it('counts every state, the total and each destination exactly as ss does', async () => {
    ns = await createNamespace('ssagree');
    await ns.sysctl('net.ipv4.ip_local_port_range', `${RANGE.low} ${RANGE.high}`);
    await ns.sysctl('net.ipv4.tcp_tw_reuse', 0);
    // LISTEN (IPv4 and IPv6), ESTABLISHED on both sides, TIME-WAIT, CLOSE-WAIT with the server's
    // FIN-WAIT-2 opposite, bind-before-connect sockets; all of them stay put for the 60 s TIME-WAIT lasts.
    await startServer(ns, ['127.0.0.1:8080', '[::1]:8080']);
    await startServer(ns, ['127.0.0.1:9090'], { close: 'immediate' });
    await connectHold(ns, '127.0.0.1:8080', 7);
    await connectHold(ns, '[::1]:8080', 5);
    await bindConnect(ns, '127.0.0.1:8080', 3);
    await churn(ns, '127.0.0.1:8080', 50, 240); // 12 connections → 12 TIME-WAIT
    await closeWait(ns, '127.0.0.1:9090', 4);

    // Let the closes settle (FIN-WAIT-1 becomes FIN-WAIT-2 once the peer's ACK is processed, which a
    // loaded machine can delay): wait, bounded, until two readings agree and nothing is in flight.
    let before = countStates(await ssSockets(ns));
    for (let i = 0; i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const again = countStates(await ssSockets(ns));
      const settled = JSON.stringify(again) === JSON.stringify(before) && !again['FIN-WAIT-1'] && !again['SYN-SENT'];
      before = again;
      if (settled) break;
    }
    const { sample } = await checkJson(ns);
    const sockets = await ssSockets(ns);
    const ss = countStates(sockets);
    expect(ss, 'the namespace was quiet while Portwatch looked').toEqual(before);
    const why = describeSample(sample);

    const portwatch = Object.fromEntries(ALL_TCP_STATES.filter((n) => sample.states[n] > 0).map((n) => [n, sample.states[n]]));
    expect(portwatch, why).toEqual(ss);
    expect(sample.totalSockets).toBe(sockets.length);
    // The mix really has what the test claims (so that equality above means something).
    expect(ss).toMatchObject({ LISTEN: 3, 'TIME-WAIT': 12, 'CLOSE-WAIT': 4, 'FIN-WAIT-2': 4 });

    // Per destination: sockets with a local port in the range toward it, any state but LISTEN.
    const inRange = sockets.filter((s) => s.state !== 'LISTEN' && s.localPort >= RANGE.low && s.localPort <= RANGE.high);
    const byDestination = new Map<string, number>();
    for (const s of inRange) byDestination.set(`${s.remote}|${s.remotePort}`, (byDestination.get(`${s.remote}|${s.remotePort}`) ?? 0) + 1);
    expect(sample.destinationCount, why).toBe(byDestination.size);
    for (const [key, n] of byDestination) {
      const [remote, port] = key.split('|') as [string, string];
      expect(destinationTo(sample, remote, Number(port))?.inUse, `${key}: ${why}`).toBe(n);
    }
    expect(byDestination.get('127.0.0.1|8080')).toBe(7 + 3 + 12);
  });
});
