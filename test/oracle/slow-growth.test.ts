// The kernel as the oracle for the time to exhaustion. In a namespace with a 50-port range, plain
// connections toward one destination grow at a known rate (one a second, each held open) until connect()
// fails. Meanwhile `check --interval 30` (inside the namespace) and `check --netns host --interval 30` (on
// the host, every namespace) fit the trend and say how long is left; the moment they predict must agree
// with the moment the kernel refused the first connect. A second namespace grows for 15 s and stops:
// no countdown next to a flat line, from either check.
//
// Tolerance (not a timed assertion on Portwatch's speed): a 30 s check samples every STEP_SEC = 5 s
// (check-trend.ts), so its last reading can be up to one step behind the growth it fits, and the count
// toward the destination is known to ±1 port, i.e. ±1 s at one connection a second: one step plus two
// connections' worth of time, 7 s. The host check also reads every other namespace on the machine; the
// time it ran past its interval (measured) is added to its tolerance, since its JSON carries one time.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Sample } from '../../electron/common/model.js';
import type { HostCheckDocument } from '../../electron/cli/host-report.js';
import { trendSteps } from '../../electron/cli/check-trend.js';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace, type NsProcess } from '../netns/netns.js';
import { runPortwatch, runPortwatchOnHost } from '../netns/portwatch-cli.js';
import { describeSample } from '../netns/sample-queries.js';
import { connectGrow, startServer } from '../netns/workloads.js';
import { ORACLE_RANGE, ORACLE_RANGE_SIZE } from './oracle.js';

const EVERY_MS = 1_000; // one new connection a second
const INTERVAL_SEC = 30;
const STEP_SEC = INTERVAL_SEC / trendSteps(INTERVAL_SEC);
const TOLERANCE_MS = STEP_SEC * 1000 + 2 * EVERY_MS;
const TARGET = '127.0.0.1:8080';

/** Time to exhaustion toward 127.0.0.1:8080 in a sample (undefined: no such destination). */
const tteToward = (s: { destinations: Sample['destinations'] }): number | null | undefined =>
  s.destinations.find((d) => d.remoteAddress === '127.0.0.1' && d.remotePort === 8080)?.timeToExhaustionSec;

async function prepare(label: string): Promise<Namespace> {
  const ns = await createNamespace(label);
  await ns.sysctl('net.ipv4.ip_local_port_range', `${ORACLE_RANGE.low} ${ORACLE_RANGE.high}`);
  await startServer(ns, [TARGET]);
  return ns;
}

/** The first refused connect of a growing workload (waits for it), as epoch ms and errno name. */
async function firstRefusal(p: NsProcess, timeoutMs: number): Promise<{ at: number; code: string; connected: number }> {
  const e = await p.waitForEvent((x) => typeof x.failed === 'number', timeoutMs);
  return { at: Number(e.at), code: String(e.code), connected: p.events.filter((x) => typeof x.connected === 'number' && x.done !== true).length };
}

describeNetns('time to exhaustion against the kernel: slow growth at a known rate', () => {
  let growing: Namespace;
  let stopping: Namespace;
  beforeAll(async () => {
    growing = await prepare('episodes4grow');
    stopping = await prepare('episodes4flat');
  }, 60_000);
  afterAll(async () => {
    await growing?.destroy();
    await stopping?.destroy();
  });

  it('predicts when connect() will fail, within one sampling step, from one namespace and from the host; no countdown once growth stops', async () => {
    // 60 attempts at 1/s toward a 50-port destination: the 51st is refused about 50 s in.
    const grower = await connectGrow(growing, TARGET, ORACLE_RANGE_SIZE + 10, EVERY_MS);
    // 15 connections in 15 s, then nothing: a 40 s check ends with 25 s of flat line.
    const stopper = await connectGrow(stopping, TARGET, 15, EVERY_MS);
    const hostStart = Date.now();
    const [inside, host, flat] = await Promise.all([
      runPortwatch(growing, ['check', '--json', '--interval', String(INTERVAL_SEC)], 120_000),
      runPortwatchOnHost(['check', '--netns', 'host', '--json', '--interval', String(INTERVAL_SEC)], 120_000).then((r) => ({ ...r, end: Date.now() })),
      runPortwatch(stopping, ['check', '--json', '--interval', '40'], 120_000),
    ]);
    const refused = await firstRefusal(grower, 90_000);

    // The kernel's word: the range ran out at 50 connections.
    expect(refused.code).toBe('EADDRNOTAVAIL');
    expect(refused.connected).toBe(ORACLE_RANGE_SIZE);

    // Inside the namespace: one Sample with its own time.
    const s = JSON.parse(inside.stdout) as Sample;
    const tte = tteToward(s);
    const why = `check said ${tte} s at ${new Date(s.time).toISOString()}; the kernel refused at ${new Date(refused.at).toISOString()}. ${describeSample(s)}`;
    expect(tte, why).toBeTypeOf('number');
    expect(Math.abs(s.time + tte! * 1000 - refused.at), why).toBeLessThanOrEqual(TOLERANCE_MS);

    // From the host: the namespace's summary in host.namespaces (its worst destination is the one growing).
    const doc = JSON.parse(host.stdout) as HostCheckDocument;
    const mine = doc.host.namespaces.find((n) => n.identity.names.includes(growing.name));
    expect(mine, `the host check lists ${growing.name}: ${doc.host.namespaces.map((n) => n.identity.names.join(',')).join(' | ')}`).toBeDefined();
    expect(mine!.worst?.remotePort).toBe(8080);
    const hostTte = mine!.worst!.timeToExhaustionSec;
    const lateMs = Math.max(0, host.end - hostStart - INTERVAL_SEC * 1000);
    const hostWhy = `host check said ${hostTte} s, ended ${new Date(host.end).toISOString()} (${lateMs} ms past its interval); the kernel refused at ${new Date(refused.at).toISOString()}`;
    expect(hostTte, hostWhy).toBeTypeOf('number');
    expect(Math.abs(host.end + hostTte! * 1000 - refused.at), hostWhy).toBeLessThanOrEqual(TOLERANCE_MS + lateMs);

    // Growth that stopped: 15 connections held, no countdown, in the namespace or from the host.
    const f = JSON.parse(flat.stdout) as Sample;
    expect(stopper.events.filter((x) => typeof x.connected === 'number' && x.done !== true)).toHaveLength(15);
    expect(f.worst?.inUse, describeSample(f)).toBe(15);
    expect(tteToward(f), describeSample(f)).toBeNull();
    expect(f.timeToExhaustionSec).toBeNull();
    const flatFromHost = doc.host.namespaces.find((n) => n.identity.names.includes(stopping.name));
    expect(flatFromHost?.worst?.timeToExhaustionSec ?? null).toBeNull();
  }, 240_000);
});
