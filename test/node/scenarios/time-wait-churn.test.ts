// Scenario d: churn. Every connection the client closes first holds its 4-tuple in TIME-WAIT for 60 s
// (Linux, fixed), so rate, not count, runs a destination out; tcp_tw_reuse lets new outgoing connects
// reuse TIME-WAIT tuples after tcp_tw_reuse_delay (1: always, 2, the default: loopback addresses only).
import { afterEach, expect, it } from 'vitest';
import { describeNetns } from '../../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../../netns/netns.js';
import { checkJson } from '../../netns/portwatch-cli.js';
import { diagnosis, destinationTo, describeSample, sleep } from '../../netns/sample-queries.js';
import { closeCounters, countWhere, ssSockets, ssUntil } from '../../netns/ss.js';
import { burst, churn, churnReport, connectHold, startChurn, startServer } from '../../netns/workloads.js';

describeNetns('TIME-WAIT churn in a namespace', () => {
  let ns: Namespace | undefined;
  afterEach(async () => {
    await ns?.destroy();
    ns = undefined;
  });

  it('measures the churn rate, predicts exhaustion and counts TIME-WAIT as ss does when reuse is off', async () => {
    const RANGE = { low: 40000, high: 40199 };
    const USABLE = RANGE.high - RANGE.low + 1;
    const RATE = 20;
    const DURATION_MS = 8_000;
    ns = await createNamespace('twchurn');
    await ns.sysctl('net.ipv4.ip_local_port_range', `${RANGE.low} ${RANGE.high}`);
    await ns.sysctl('net.ipv4.tcp_tw_reuse', 0);
    await startServer(ns, ['127.0.0.1:8080']);

    const churning = startChurn(ns, '127.0.0.1:8080', RATE, DURATION_MS);
    await churning.waitForEvent((e) => e.ready === true, 10_000);
    const churnStart = Date.now();
    await churning.waitForEvent((e) => e.second === 1, 5_000);

    // While it churns: `check` samples twice, 1 s apart (its default), so it sees the rate.
    const during = await checkJson(ns);
    const s = during.sample;
    const why = describeSample(s);
    // Precondition, not a Portwatch property: both samples fell inside the churn.
    expect(s.time - churnStart, 'check ran past the churn: the test machine is too slow for this scenario').toBeLessThan(DURATION_MS);

    const w = destinationTo(s, '127.0.0.1', 8080);
    expect(w, why).toBeDefined();
    expect(s.worst?.key, why).toBe(w!.key);
    expect(s.rates.holdSec, 'tw_reuse 0: a port is held the full 60 s of TIME-WAIT').toBe(60);
    expect(w!.capacity).toBe(USABLE);
    expect(w!.sustainablePerSec).toBeCloseTo(USABLE / 60, 6);
    // Rate tolerance ±25 %: the check counts new connections over a ~1 s window between two samples;
    // each window edge can cut one connection either way (±2/s at 20/s), and under parallel test load
    // the workload's timer and the sampler's own timing jitter by tens of ms (another ±1–2/s). 25 %
    // still tells 20/s apart from the wrong answers that matter: a per-60-s average (≈ 2/s) or the
    // sustainable rate (3.3/s).
    expect(w!.newPerSec, why).not.toBeNull();
    expect(w!.newPerSec!, why).toBeGreaterThanOrEqual(RATE * 0.75);
    expect(w!.newPerSec!, why).toBeLessThanOrEqual(RATE * 1.25);
    // ActiveOpens is per namespace and only the churn opens connections here.
    expect(s.rates.newConnectionsPerSec!, why).toBeGreaterThanOrEqual(RATE * 0.75);
    expect(s.rates.newConnectionsPerSec!, why).toBeLessThanOrEqual(RATE * 1.25);
    // Time to exhaustion: the free ports divided by how fast they go. Nothing expires for 60 s, so ports
    // go at the churn rate (free / rate); a model that credits the sustainable rate gives
    // free / (rate − usable/60). The bounds take half the first and twice the second, which rejects the
    // wrong answers (null, milliseconds, per-minute rates, "never") without fixing the engine's model.
    const free = USABLE - w!.blocking;
    expect(w!.timeToExhaustionSec, why).not.toBeNull();
    expect(w!.timeToExhaustionSec!, why).toBeGreaterThanOrEqual((0.5 * free) / RATE);
    expect(w!.timeToExhaustionSec!, why).toBeLessThanOrEqual((2 * free) / (RATE - USABLE / 60));
    expect(s.timeToExhaustionSec, why).not.toBeNull();
    expect(diagnosis(s, 'time-wait-churn'), why).toBeDefined();
    // Running out within seconds is at least critical (default ttlCriticalSec is 300 s).
    expect(['critical', 'exhausted'], why).toContain(s.severity);
    expect(during.exitCode, why).toBe(2);

    // Once the churn has stopped, the TIME-WAIT sockets stay (60 s): ss and Portwatch must agree on them.
    const report = await churnReport(churning, DURATION_MS + 10_000);
    expect(report.failed).toBe(0);
    expect(report.seconds.filter((x) => x.second <= DURATION_MS / 1000).every((x) => x.ok >= RATE - 1), 'the churn kept its pace').toBe(true);
    // The client closes first, so its socket passes FIN-WAIT-2 until the server's FIN arrives; under
    // parallel test load the last few can still be there when the churn reports. Wait (bounded) until
    // the kernel has every one in TIME-WAIT, so both readings below see the same settled table.
    const settledTable = await ssUntil(ns, (all) => countWhere(all, { state: 'TIME-WAIT' }) >= report.ok, 10_000);
    expect(countWhere(settledTable, { state: 'TIME-WAIT' }), `every churned connection reached TIME-WAIT within 10 s; ${await closeCounters(ns)}`).toBe(report.ok);
    const after = await checkJson(ns);
    const sockets = await ssSockets(ns);
    const ssTimeWait = countWhere(sockets, { state: 'TIME-WAIT' });
    expect(ssTimeWait).toBe(report.ok);
    expect(after.sample.states['TIME-WAIT']).toBe(ssTimeWait);
    const wa = destinationTo(after.sample, '127.0.0.1', 8080);
    expect(wa, describeSample(after.sample)).toMatchObject({ inUse: ssTimeWait, blocking: ssTimeWait, states: { 'TIME-WAIT': ssTimeWait } });

    // The same TIME-WAIT sockets, once tw_reuse=1 and the reuse delay has passed since the last of them:
    // still there, no longer blocking — in Portwatch's view and in the kernel's.
    await ns.sysctl('net.ipv4.tcp_tw_reuse', 1);
    const delayMs = Number((await ns.readSysctlOrNull('net.ipv4.tcp_tw_reuse_delay')) ?? 1000);
    await sleep(Math.max(0, churnStart + DURATION_MS + delayMs + 500 - Date.now()));
    const reused = await checkJson(ns, ['--interval', '0']);
    const wr = destinationTo(reused.sample, '127.0.0.1', 8080);
    expect(reused.sample.states['TIME-WAIT']).toBe(ssTimeWait);
    expect(wr, describeSample(reused.sample)).toMatchObject({ inUse: ssTimeWait, blocking: 0 });
    expect(reused.sample.rates.holdSec, 'with reuse a port is held for the reuse delay only').toBeCloseTo(delayMs / 1000, 6);
    const refill = await connectHold(ns, '127.0.0.1:8080', USABLE);
    expect(refill.connected, 'the kernel lets every port of the range be reused').toBe(USABLE);
  });

  it('stops counting TIME-WAIT as blocking once tw_reuse=1 and tcp_tw_reuse_delay have passed, as the kernel does', async (ctx) => {
    const RANGE = { low: 40000, high: 40009 };
    const SIZE = RANGE.high - RANGE.low + 1;
    const DELAY_MS = 12_000;
    ns = await createNamespace('twreuse');
    if ((await ns.readSysctlOrNull('net.ipv4.tcp_tw_reuse_delay')) === null) {
      ctx.skip('this kernel has no net.ipv4.tcp_tw_reuse_delay (before Linux 6.13 the delay is a fixed 1 s)');
    }
    await ns.sysctl('net.ipv4.ip_local_port_range', `${RANGE.low} ${RANGE.high}`);
    await ns.sysctl('net.ipv4.tcp_tw_reuse', 1);
    // A long delay, so that the first check surely sees TIME-WAIT sockets younger than it.
    await ns.sysctl('net.ipv4.tcp_tw_reuse_delay', DELAY_MS);
    await startServer(ns, ['127.0.0.1:8080']);

    // Every port of the range connects and closes at once (the kernel refuses the 5 more): SIZE
    // TIME-WAIT sockets, none of them older than churnStart.
    const churnStart = Date.now();
    const r = await burst(ns, '127.0.0.1:8080', SIZE + 5);
    const churnEnd = Date.now();
    expect(r.ok).toBe(SIZE);
    expect(r.codes).toEqual({ EADDRNOTAVAIL: 5 });
    // The kernel: TIME-WAIT younger than the delay still blocks.
    const early = await connectHold(ns, '127.0.0.1:8080', 1);
    const earlyAt = Number(early.process.events.find((e) => e.done !== true && e.at !== undefined)?.at);
    // Precondition, not a kernel property: the connect came within the delay of the TIME-WAIT sockets' birth.
    expect(earlyAt - churnStart, 'the connect came after the delay: the test machine stalled for this scenario').toBeLessThan(DELAY_MS);
    // ss only when the kernel freed a port early: what the failure needs to say which socket it was.
    const freedEarly = early.connected > 0 ? `a port was free ${earlyAt - churnStart} ms after the burst; ss:\n${(await ns.execOrThrow(['ss', '-tanoH'])).stdout}` : '';
    expect(early.codes, freedEarly).toEqual({ EADDRNOTAVAIL: 1 });

    const before = (await checkJson(ns, ['--interval', '0'])).sample;
    expect(before.time - churnStart, 'the check came after the delay: the test machine is too slow for this scenario').toBeLessThan(DELAY_MS);
    expect(before.kernel).toMatchObject({ twReuse: 1, twReuseDelayMs: DELAY_MS });
    expect(destinationTo(before, '127.0.0.1', 8080), describeSample(before)).toMatchObject({ inUse: SIZE, blocking: SIZE });
    expect(before.severity, describeSample(before)).toBe('exhausted');

    await sleep(Math.max(0, churnEnd + DELAY_MS + 500 - Date.now()));
    const after = await checkJson(ns, ['--interval', '0']);
    const why = describeSample(after.sample);
    expect(after.sample.states['TIME-WAIT'], why).toBe(SIZE);
    expect(destinationTo(after.sample, '127.0.0.1', 8080), why).toMatchObject({ inUse: SIZE, blocking: 0 });
    expect(after.sample.severity, why).not.toBe('exhausted');
    // The kernel agrees: the whole range is usable again toward that destination.
    const late = await connectHold(ns, '127.0.0.1:8080', SIZE);
    expect(late.connected).toBe(SIZE);
  });

  it('with tw_reuse=2 (the default) reuses TIME-WAIT toward 127.0.0.1 but not toward another address on lo', async () => {
    const RANGE = { low: 40000, high: 40009 };
    const SIZE = RANGE.high - RANGE.low + 1;
    ns = await createNamespace('twloop');
    await ns.sysctl('net.ipv4.ip_local_port_range', `${RANGE.low} ${RANGE.high}`);
    await ns.sysctl('net.ipv4.tcp_tw_reuse', 2);
    const delayMs = Number((await ns.readSysctlOrNull('net.ipv4.tcp_tw_reuse_delay')) ?? 1000);
    // 10.9.0.1 lives on this namespace's lo, but the kernel's "loopback" test is on the addresses (127/8, ::1).
    await ns.addAddress('10.9.0.1/32');
    await startServer(ns, ['127.0.0.1:8080', '10.9.0.1:8080']);
    const loop = await churn(ns, '127.0.0.1:8080', 20, 500);
    const other = await churn(ns, '10.9.0.1:8080', 20, 500);
    expect([loop.ok, other.ok]).toEqual([SIZE, SIZE]);
    await sleep(delayMs + 500);

    const { sample } = await checkJson(ns, ['--interval', '0']);
    const why = describeSample(sample);
    expect(sample.kernel.twReuse).toBe(2);
    expect(sample.states['TIME-WAIT'], why).toBe(2 * SIZE);
    expect(destinationTo(sample, '127.0.0.1', 8080), why).toMatchObject({ inUse: SIZE, blocking: 0 });
    expect(destinationTo(sample, '10.9.0.1', 8080), why).toMatchObject({ inUse: SIZE, blocking: SIZE, utilization: 1 });
    expect(sample.worst?.remoteAddress, why).toBe('10.9.0.1');
    expect(sample.severity, why).toBe('exhausted');

    // The kernel agrees (probed after the check: these connects change the socket table).
    const toOther = await connectHold(ns, '10.9.0.1:8080', 1);
    expect(toOther.codes).toEqual({ EADDRNOTAVAIL: 1 });
    const toLoop = await connectHold(ns, '127.0.0.1:8080', SIZE);
    expect(toLoop.connected).toBe(SIZE);
  });
});
