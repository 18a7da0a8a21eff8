// A capture made inside a namespace and analysed elsewhere (`check --bundle`, here on the host) tells the
// same story as a live check inside: the bundle carries the namespace's own range, sockets and owners.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Sample } from '../../../electron/common/model.js';
import { describeNetns } from '../../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../../netns/netns.js';
import { checkJson, runPortwatch, runPortwatchOnHost } from '../../netns/portwatch-cli.js';
import { describeSample } from '../../netns/sample-queries.js';
import { connectHold, startServer } from '../../netns/workloads.js';

const RANGE = { low: 40000, high: 40009 };

describeNetns('capture bundles from a namespace', () => {
  let ns: Namespace | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await ns?.destroy();
    ns = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('analyses a capture of an exhausted namespace on the host exactly as a live check inside does', async () => {
    ns = await createNamespace('capture');
    await ns.sysctl('net.ipv4.ip_local_port_range', `${RANGE.low} ${RANGE.high}`);
    await startServer(ns, ['127.0.0.1:8080']);
    const client = await connectHold(ns, '127.0.0.1:8080', 12);
    expect(client.connected).toBe(10);

    dir = await mkdtemp(join(tmpdir(), 'pw-capture-'));
    const out = join(dir, 'bundle');
    const capture = await runPortwatch(ns, ['capture', '--out', out]);
    expect(capture.exitCode, capture.stderr).toBe(0);
    const live = await checkJson(ns);

    const offline = await runPortwatchOnHost(['check', '--json', '--bundle', out]);
    const sample = JSON.parse(offline.stdout) as Sample;
    const why = describeSample(sample);
    expect(offline.exitCode, offline.stderr).toBe(live.exitCode);
    expect(sample.severity, why).toBe('exhausted');
    // The namespace's range, not the host's.
    expect(sample.kernel.portRange).toEqual(RANGE);
    expect(sample.capacity).toEqual(live.sample.capacity);
    expect(sample.states).toEqual(live.sample.states);
    expect(sample.worst, why).toMatchObject({ remoteAddress: '127.0.0.1', remotePort: 8080, inUse: 10, capacity: 10, utilization: 1 });
    expect(sample.worst!.processes.map((p) => p.pid)).toContain(client.process.pid);
  });
});
