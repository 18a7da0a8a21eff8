// Scenario h: the human report names the severity and the worst destination, and the exit status
// follows the severity (0 ok, 1 warning, 2 critical or exhausted, 3 unknown).
import { afterEach, expect, it } from 'vitest';
import { describeNetns } from '../../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../../netns/netns.js';
import { checkJson, runPortwatch } from '../../netns/portwatch-cli.js';
import { describeSample } from '../../netns/sample-queries.js';
import { connectHold, startServer } from '../../netns/workloads.js';

const RANGE = { low: 40000, high: 40009 };
// Explicit thresholds, so that the expected band of each case does not depend on the defaults.
const THRESHOLDS = ['--warning', '0.5', '--critical', '0.8'];

describeNetns('portwatch check report and exit status in a namespace', () => {
  let ns: Namespace | undefined;
  afterEach(async () => {
    await ns?.destroy();
    ns = undefined;
  });

  async function setUp(): Promise<Namespace> {
    ns = await createNamespace('report');
    await ns.sysctl('net.ipv4.ip_local_port_range', `${RANGE.low} ${RANGE.high}`);
    return ns;
  }

  it('says ok and exits 0 in an idle namespace', async () => {
    const ns = await setUp();
    const human = await runPortwatch(ns, ['check', '--interval', '0']);
    expect(human.exitCode, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/\bOK\b/);
    const { exitCode, sample } = await checkJson(ns, ['--interval', '0']);
    expect([sample.severity, exitCode], describeSample(sample)).toEqual(['ok', 0]);
    expect(sample.worst).toBeNull();
    expect(sample.totalSockets).toBe(0);
  });

  it('names the severity and the worst destination when a destination is exhausted, and exits 2', async () => {
    const ns = await setUp();
    await startServer(ns, ['127.0.0.1:8080', '127.0.0.1:9090']);
    await connectHold(ns, '127.0.0.1:9090', 3);
    await connectHold(ns, '127.0.0.1:8080', 10);
    const human = await runPortwatch(ns, ['check']);
    expect(human.exitCode, human.stderr).toBe(2);
    const lines = human.stdout.split('\n');
    expect(lines.find((l) => /severity/i.test(l)), human.stdout).toMatch(/EXHAUSTED/i);
    // The headline names the worst destination.
    expect(lines.find((l) => /severity/i.test(l)), human.stdout).toMatch(/127\.0\.0\.1:8080\b/);
    // In the destination list (after its heading), the first one is the worst, with its numbers.
    const listed = lines.slice(lines.findIndex((l) => /^Destinations\b/.test(l)) + 1).filter((l) => /127\.0\.0\.1:(8080|9090)\b/.test(l));
    expect(listed, human.stdout).toHaveLength(2);
    expect(listed[0]).toMatch(/127\.0\.0\.1:8080\b.*\b10\/10\b/);
    expect(listed[1]).toMatch(/127\.0\.0\.1:9090\b.*\b3\/10\b/);
  });

  it('exits 1 in the warning band and 2 in the critical band', async () => {
    const ns = await setUp();
    await startServer(ns, ['127.0.0.1:8080']);
    await connectHold(ns, '127.0.0.1:8080', 6); // 60 %: between 0.5 and 0.8
    const warning = await checkJson(ns, THRESHOLDS);
    expect([warning.sample.severity, warning.exitCode], describeSample(warning.sample)).toEqual(['warning', 1]);
    await connectHold(ns, '127.0.0.1:8080', 3); // 90 %: at or above 0.8, below 1
    const critical = await checkJson(ns, THRESHOLDS);
    expect([critical.sample.severity, critical.exitCode], describeSample(critical.sample)).toEqual(['critical', 2]);
  });

  it('exits 3 when it cannot know: a capture bundle that does not exist', async () => {
    const ns = await setUp();
    const r = await runPortwatch(ns, ['check', '--json', '--bundle', '/nonexistent/pw-bundle']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/pw-bundle/);
  });
});
