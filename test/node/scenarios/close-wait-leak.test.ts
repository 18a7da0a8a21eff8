// Scenario e: CLOSE-WAIT piling up means the application never closes its side after the peer closed:
// a leak to fix in the program, not a tuning problem (docs/domain.md, look-alikes). Portwatch must say so and
// name the program that holds the sockets.
import { afterEach, expect, it } from 'vitest';
import { describeNetns } from '../../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../../netns/netns.js';
import { checkJson } from '../../netns/portwatch-cli.js';
import { diagnosis, diagnosisText, describeSample } from '../../netns/sample-queries.js';
import { countWhere, ssSockets } from '../../netns/ss.js';
import { closeWait, connectHold, startServer } from '../../netns/workloads.js';

// Above the level where CLOSE-WAIT counts as piling up (the engine calls 50 or more a leak; a few are
// transient), well inside the 100-port range so the leak is not also an exhaustion.
const LEAKED = 60;

describeNetns('CLOSE-WAIT leak in a namespace', () => {
  let ns: Namespace | undefined;
  afterEach(async () => {
    await ns?.destroy();
    ns = undefined;
  });

  it('diagnoses a close-wait leak and names the client process that holds the sockets', async () => {
    ns = await createNamespace('closewait');
    await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40099');
    const server = await startServer(ns, ['127.0.0.1:8080'], { close: 'immediate' });
    const client = await closeWait(ns, '127.0.0.1:8080', LEAKED);
    expect(client.connected).toBe(LEAKED);
    const sockets = await ssSockets(ns, { processes: true });
    expect(countWhere(sockets, { state: 'CLOSE-WAIT', remotePort: 8080 })).toBe(LEAKED);

    const { sample } = await checkJson(ns);
    const why = describeSample(sample);
    expect(sample.states['CLOSE-WAIT'], why).toBe(LEAKED);
    const d = diagnosis(sample, 'close-wait-leak');
    expect(d, why).toBeDefined();
    const text = diagnosisText(d!);
    // Named by pid: both programs are called "node" here, so only the pid tells the leaking one.
    expect(text, 'the diagnosis names the client pid').toMatch(new RegExp(`\\b${client.process.pid}\\b`));
    expect(text, 'the diagnosis does not blame the server').not.toMatch(new RegExp(`\\b${server.pid}\\b`));
    expect(d!.recommendations.some((r) => r.kind === 'application'), 'the cure is in the application').toBe(true);
    // A leak is not cured by kernel tuning: no recommendation of this diagnosis may touch tcp_fin_timeout
    // (it does not shorten CLOSE-WAIT or TIME-WAIT) or tcp_tw_recycle (removed in 4.12).
    expect(text).not.toMatch(/tw_recycle/);
    expect(d!.recommendations.map((r) => r.setting?.key ?? '')).not.toContain('net.ipv4.tcp_fin_timeout');
    const owner = sample.processes.find((p) => p.pid === client.process.pid);
    expect(owner, why).toMatchObject({ sockets: LEAKED });
  });

  it('does not diagnose a leak when every connection is closed properly', async () => {
    ns = await createNamespace('closewait');
    await startServer(ns, ['127.0.0.1:8080']);
    // Held open, not half-closed: ESTABLISHED on both sides, no CLOSE-WAIT anywhere.
    const held = await connectHold(ns, '127.0.0.1:8080', LEAKED);
    expect(held.connected).toBe(LEAKED);
    const { sample } = await checkJson(ns);
    expect(sample.states['CLOSE-WAIT']).toBe(0);
    expect(diagnosis(sample, 'close-wait-leak'), describeSample(sample)).toBeUndefined();
  });
});
