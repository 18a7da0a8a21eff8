// The macOS planner: a guard-rail table (inputs parsed from the captured sysctl output by the real
// parsers), fast-check properties over random Macs and requests, and the plan's text.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DARWIN_LAUNCHD_PLIST_PATH, DARWIN_TUNABLE_KEYS, parseHelperPlanDocument, type TuningPlan } from '../../../electron/common/tuning.js';
import { renderLaunchdPlist } from '../../../electron/helper/darwin-launchd.js';
import { planTuning } from '../../../electron/node/tuning/plan.js';
import { renderPlan, renderReview } from '../../../electron/node/tuning/plan-text.js';
import { reviewPlan } from '../../../electron/node/tuning/review.js';
import type { PlanInput, PlanOptions } from '../../../electron/node/tuning/plan-input.js';
import { macInput, type MacCase } from './darwin-plan-fixtures.js';
import { churnSample, okSample } from './plan-fixtures.js';

const FIRST = 'net.inet.ip.portrange.first';
const LAST = 'net.inet.ip.portrange.last';
const MSL = 'net.inet.tcp.msl';
const valueOf = (p: TuningPlan, key: string): number | null => {
  const s = p.kernel.find((k) => k.key === key)?.setting;
  return s && 'value' in s ? s.value : null;
};
const allText = (p: TuningPlan): string =>
  [renderPlan(p), ...p.kernel.map((s) => JSON.stringify(s.setting)), renderReview(reviewPlan(p, { method: 'sudo', prefix: ['/usr/bin/sudo', '--', '/usr/bin/node', '/h.js'] }, '/tmp/p/plan.json'))].join('\n');

interface Row {
  mac?: MacCase;
  over?: Partial<PlanInput>;
  options?: PlanOptions;
  /** Expected proposed values (null: no step for that key). */
  first: number | null;
  last?: number | null;
  msl?: number | null;
  /** Something the warnings or the not-proposed notes must say. */
  says?: RegExp;
}

const calm = { sample: okSample() };
const CASES: [string, Row][] = [
  ['TIME-WAIT churn: the low end goes down to 32768, the high end is already 65535', { first: 32768, last: null }],
  ['a calm Mac: nothing', { over: calm, first: null }],
  ['a calm Mac with --force: the default range', { over: calm, options: { force: true }, first: 32768 }],
  ['no sample and nothing asked: nothing', { over: { sample: null }, first: null }],
  ['no sample, an explicit range: that range', { over: { sample: null }, options: { range: { low: 40000, high: 65535 } }, first: 40000 }],
  ['an explicit range under 1024: refused, naming the floor', { options: { range: { low: 1023, high: 65535 } }, first: null, says: /cannot start at 1023: macOS takes nothing below 1024/ }],
  ['an explicit range from 1024 with no listener inside: allowed, with the low-range warning', { over: { listeningPorts: [] }, options: { range: { low: 1024, high: 65535 } }, first: 1024, says: /starts at 1024, below 32768: real outages/ }],
  ['no socket table (listeners unknown): no wider range, even forced', { over: { ...calm, listeningPorts: null, boundPorts: null }, options: { force: true }, first: null, says: /ports services listen on are unknown: no wider range is proposed/ }],
  ['no socket table, an explicit range: refused all the same', { over: { listeningPorts: null, boundPorts: null }, options: { range: { low: 40000, high: 65535 } }, first: null, says: /ports services listen on are unknown/ }],
  ['an explicit range from 1024 over a listener (8080): refused', { options: { range: { low: 1024, high: 65535 } }, first: null, says: /would make port 8080 ephemeral.*no reserved-port list/ }],
  ['a narrower range (low end above now): refused', { options: { range: { low: 50000, high: 65535 } }, first: null, says: /does not contain the current range 49152–65535: Portwatch only widens/ }],
  ['a narrower range (high end below now): refused', { options: { range: { low: 40000, high: 60000 } }, first: null, says: /only widens/ }],
  ['a range whose ends are equal: refused', { options: { range: { low: 40000, high: 40000 } }, first: null, says: /40000–40000 is not a port range/ }],
  ['a range past 65535: refused', { options: { range: { low: 40000, high: 70000 } }, first: null, says: /is not a port range/ }],
  ['the range it already has', { options: { range: { low: 49152, high: 65535 } }, first: null }],
  ['a listener at 40000 in the part added: the range starts above it', { over: { listeningPorts: [40000] }, first: 40001, says: /Port 40000 is in use .* stops short of it \(40001–65535\)/ }],
  ['a listener at 32768: the range starts at 32769', { over: { listeningPorts: [32768] }, first: 32769 }],
  ['a listener at 49151, just below: nothing left to add', { over: { listeningPorts: [49151] }, first: null, says: /stops short/ }],
  ['a listener below 32768 is not in the way', { over: { listeningPorts: [30000] }, first: 32768 }],
  ['a listener inside the current range is not in the way', { over: { listeningPorts: [50000] }, first: 32768 }],
  ['a bound-only port at 45000 counts like a listener', { over: { listeningPorts: [], boundPorts: [45000] }, first: 45001 }],
  ['--reserve 40000 with the default range: it stops short', { options: { reserve: [40000] }, first: 40001 }],
  ['--reserve 31000 inside an explicit range: refused', { over: { listeningPorts: [] }, options: { range: { low: 30000, high: 65535 }, reserve: [31000] }, first: null, says: /port 31000 ephemeral/ }],
  ['a custom high end (60999): both ends widen', { mac: { last: 60999 }, first: 32768, last: 65535 }],
  ['a custom high end with a listener at 61000: only the low end', { mac: { last: 60999 }, over: { listeningPorts: [61000] }, first: 32768, last: null }],
  ['first above last (misconfigured): no range, a warning', { mac: { first: 60000, last: 50000 }, first: null, last: null, says: /is above net.inet.ip.portrange.last \(50000\): the kernel does not check the order/ }],
  ['first and last unreadable: no range, said so', { mac: { first: null, last: null }, over: { kernel: { ...macInput().kernel, portRange: null } }, first: null, says: /could not be read, so no wider range/ }],
  ['a range already from 1024: nothing to widen', { mac: { first: 1024 }, first: null }],
  ['--time-wait 20: msl 10000, as asked', { options: { timeWaitSec: 20 }, first: 32768, msl: 10000 }],
  ['--time-wait 10: msl 5000, the lowest offered', { options: { timeWaitSec: 10 }, first: 32768, msl: 5000 }],
  ['--time-wait 5: not offered (under 10 s)', { options: { timeWaitSec: 5 }, first: 32768, msl: null, says: /5 s is not offered on macOS: .* between 5000 and 15000 ms/ }],
  ['--time-wait 40: not offered (over 30 s)', { options: { timeWaitSec: 40 }, first: 32768, msl: null, says: /40 s is not offered/ }],
  ['--time-wait 30 with the default msl: already that long', { options: { timeWaitSec: 30 }, first: 32768, msl: null, says: /already 30 s here/ }],
  ['--time-wait 15 with msl 10000 now: msl 7500', { mac: { msl: 10000 }, options: { timeWaitSec: 15 }, first: 32768, msl: 7500 }],
  ['--time-wait with msl unreadable: left alone', { mac: { msl: null }, options: { timeWaitSec: 20 }, first: 32768, msl: null, says: /net.inet.tcp.msl could not be read/ }],
  ['--time-wait on a calm Mac: only the TIME-WAIT step', { over: calm, options: { timeWaitSec: 20 }, first: null, msl: 10000 }],
  ['msl is never proposed unless asked', { first: 32768, msl: null, says: /net.inet.tcp.msl: not proposed unless you ask/ }],
  ['lowfirst/lowlast are never touched, and say so', { first: 32768, says: /lowfirst\/lowlast: never touched/ }],
  ['another LaunchDaemon sets first: warned that it may win', { mac: { bootFiles: [{ path: '/Library/LaunchDaemons/com.example.plist', text: '<string>net.inet.ip.portrange.first=10000</string>\n' }] }, first: 32768, says: /com.example.plist:1 also sets net.inet.ip.portrange.first = 10000 .* may win/ }],
  ['/etc/sysctl.conf sets first: noted as not applied by current macOS', { mac: { bootFiles: [{ path: '/etc/sysctl.conf', text: 'net.inet.ip.portrange.first=20000\n' }] }, first: 32768, says: /current macOS does not apply that file at boot/ }],
  ['a plan from a capture (boot files unread): warned', { mac: { bootFiles: null }, first: 32768, says: /LaunchDaemons of this Mac were not read/ }],
  ['an explicit high end only (last lower now): raises last', { mac: { last: 60000 }, options: { range: { low: 49152, high: 65535 } }, first: null, last: 65535 }],
];

describe('the macOS plan: guard rails', () => {
  it(`has at least 30 cases (${CASES.length})`, () => expect(CASES.length).toBeGreaterThanOrEqual(30));

  it.each(CASES)('%s', (_name, row) => {
    const p = planTuning(macInput(row.mac ?? {}, { ...row.over, ...(row.options ? { options: row.options } : {}) }));
    expect(valueOf(p, FIRST)).toBe(row.first);
    if (row.last !== undefined) expect(valueOf(p, LAST)).toBe(row.last);
    if (row.msl !== undefined) expect(valueOf(p, MSL)).toBe(row.msl);
    if (row.says) expect([...p.warnings, ...p.notProposed].join('\n')).toMatch(row.says);
    // Whatever the case: only macOS keys, a valid helper document when there is a step, never the low range keys.
    for (const s of p.kernel) expect(DARWIN_TUNABLE_KEYS).toContain(s.key);
    if (p.kernel.length) expect(parseHelperPlanDocument(p.helperPlan).ok).toBe(true);
    else expect(p.helperPlan).toBeNull();
  });
});

describe('the macOS plan: what it says and persists', () => {
  it('persists in a LaunchDaemon that keeps what the file held and runs the same sysctl argv', () => {
    const held = renderLaunchdPlist(null, [{ key: MSL, value: 10000 }]);
    const p = planTuning(macInput({ bootFiles: [{ path: DARWIN_LAUNCHD_PLIST_PATH, text: held }] }));
    expect(p.persistence).toMatchObject({ path: DARWIN_LAUNCHD_PLIST_PATH, before: held, boot: [] });
    expect(p.persistence!.after).toContain('<string>/usr/sbin/sysctl</string>\n\t\t<string>-w</string>\n\t\t<string>net.inet.ip.portrange.first=32768</string>\n\t\t<string>net.inet.tcp.msl=10000</string>');
    expect(p.persistence!.how).toMatch(/RunAtLoad/);
  });

  it('states the what-if with macOS TIME-WAIT (2 × msl): 30 s, then 20 s when asked', () => {
    const p = planTuning(macInput({}, { options: { timeWaitSec: 20 } }));
    expect(p.whatIf.before).toMatchObject({ holdSec: 30, capacity: { rangeSize: 16384, usable: 16384 } });
    expect(p.whatIf.after).toMatchObject({ holdSec: 20, capacity: { rangeSize: 32768, usable: 32768 } });
    expect(p.whatIf.after.sustainablePerDestinationPerSec).toBeCloseTo(32768 / 20, 6);
    const tw = p.kernel.find((s) => s.id === 'time-wait')!;
    expect(tw.title).toBe('Shorten TIME-WAIT from 30 s to 20 s (net.inet.tcp.msl 15000 → 10000 ms), as you asked');
    expect(tw.risks.join(' ')).toMatch(/every TCP connection of this Mac, incoming and outgoing/);
    expect(tw.risks.join(' ')).toMatch(/delayed segment of an old connection/);
    expect(p.advice[0]!.why).toMatch(/for 30 s in TIME-WAIT/);
  });

  it('reviews the exact sysctl argv the helper runs and the LaunchDaemon it writes', () => {
    const p = planTuning(macInput({ last: 60999 }, { options: { timeWaitSec: 20 } }));
    const r = reviewPlan(p, { method: 'sudo', prefix: ['/usr/bin/sudo', '--', '/usr/local/bin/node', '/Applications/Portwatch.app/helper.js'] }, '/private/var/folders/x/T/portwatch-plan-a/plan.json');
    expect(r.commands[0]!.argv).toEqual(['/usr/bin/sudo', '--', '/usr/local/bin/node', '/Applications/Portwatch.app/helper.js', 'apply', '/private/var/folders/x/T/portwatch-plan-a/plan.json']);
    expect(r.commands[0]!.why).toMatch(/sudo for your password \(a macOS administrator's\).*sysctl -w.*sysctl -n.*launchd/);
    expect(r.helperCommands!.map((c) => c.argv)).toEqual([
      ['/usr/sbin/sysctl', '-w', 'net.inet.ip.portrange.first=32768'],
      ['/usr/sbin/sysctl', '-w', 'net.inet.ip.portrange.last=65535'],
      ['/usr/sbin/sysctl', '-w', 'net.inet.tcp.msl=10000'],
    ]);
    expect(r.writes).toEqual([{ path: DARWIN_LAUNCHD_PLIST_PATH, data: p.persistence!.after }]);
    expect(renderReview(r)).toContain('/usr/sbin/sysctl -w net.inet.ip.portrange.last=65535');
  });

  it('never mentions a Linux knob or myth in its text', () => {
    for (const options of [{}, { timeWaitSec: 20 }, { range: { low: 1024, high: 65535 } }, { force: true }] as PlanOptions[]) {
      const text = allText(planTuning(macInput({}, { options, listeningPorts: [] })));
      expect(text).not.toMatch(/tw_recycle|tw_reuse|fin_timeout|max_tw_buckets|net\.ipv4\.|sysctl\.d|ip_local_/);
    }
  });
});

// ---------------------------------------------------------------------------------------------------

const port = fc.integer({ min: 1, max: 65535 });
const macArb = fc.record({
  first: fc.oneof(fc.integer({ min: 1024, max: 65535 }), fc.constant(49152)),
  last: fc.oneof(fc.integer({ min: 1024, max: 65535 }), fc.constant(65535)),
  msl: fc.oneof(fc.integer({ min: 1, max: 60000 }), fc.constant(15000)),
});
const inputArb = fc
  .record({
    mac: macArb,
    // null: no socket table could be read, so the listeners are unknown
    listening: fc.option(fc.array(port, { maxLength: 10 }), { nil: null, freq: 8 }),
    bound: fc.array(port, { maxLength: 4 }),
    range: fc.option(fc.tuple(fc.integer({ min: 0, max: 70000 }), fc.integer({ min: 0, max: 70000 })).map(([a, b]) => ({ low: a, high: b })), { nil: undefined }),
    reserve: fc.option(fc.array(port, { maxLength: 4 }), { nil: undefined }),
    timeWait: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    force: fc.boolean(),
    calm: fc.boolean(),
  })
  .map((r) =>
    macInput(r.mac, {
      sample: r.calm ? okSample() : churnSample(),
      listeningPorts: r.listening,
      boundPorts: r.listening === null ? null : r.bound,
      options: { ...(r.range ? { range: r.range } : {}), ...(r.reserve ? { reserve: r.reserve } : {}), ...(r.timeWait !== undefined ? { timeWaitSec: r.timeWait } : {}), force: r.force },
    }),
  );

describe('properties of every macOS plan', () => {
  it('only allow-listed macOS keys in bounds: first ≥ 1024, first below last, msl in 5000–15000 and only when asked', () => {
    fc.assert(
      fc.property(inputArb, (inp) => {
        const p = planTuning(inp);
        for (const s of p.kernel) expect(DARWIN_TUNABLE_KEYS).toContain(s.key);
        if (p.helperPlan) expect(parseHelperPlanDocument(p.helperPlan).ok).toBe(true);
        const first = valueOf(p, FIRST) ?? inp.darwin!.first!;
        const last = valueOf(p, LAST) ?? inp.darwin!.last!;
        if (valueOf(p, FIRST) !== null || valueOf(p, LAST) !== null) {
          expect(first).toBeGreaterThanOrEqual(1024);
          expect(last).toBeLessThanOrEqual(65535);
          expect(first).toBeLessThan(last);
        }
        const msl = valueOf(p, MSL);
        if (msl !== null) {
          expect(inp.options.timeWaitSec).toBeDefined();
          expect(msl).toBeGreaterThanOrEqual(5000);
          expect(msl).toBeLessThanOrEqual(15000);
          expect(msl).toBeLessThan(inp.darwin!.mslMs!);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never narrower than now, and never over a port in use or named with --reserve', () => {
    fc.assert(
      fc.property(inputArb, (inp) => {
        const p = planTuning(inp);
        const f = valueOf(p, FIRST);
        const l = valueOf(p, LAST);
        if (f === null && l === null) return;
        // Without the socket table a wider range could cover a listener nobody can see: never proposed.
        expect(inp.listeningPorts).not.toBeNull();
        const cur = { low: inp.darwin!.first!, high: inp.darwin!.last! };
        const r = { low: f ?? cur.low, high: l ?? cur.high };
        expect(r.low <= cur.low && r.high >= cur.high).toBe(true);
        expect(r.low < cur.low || r.high > cur.high).toBe(true);
        for (const port of [...(inp.listeningPorts ?? []), ...(inp.boundPorts ?? []), ...(inp.options.reserve ?? [])]) {
          const newlyCovered = port >= r.low && port <= r.high && (port < cur.low || port > cur.high);
          expect(newlyCovered).toBe(false);
        }
        if (!inp.options.range && r.low < cur.low) expect(r.low).toBeGreaterThanOrEqual(32768);
      }),
      { numRuns: 3000 },
    );
  });

  it('never names a Linux knob, tcp_tw_recycle or a sysctl.d file', () => {
    fc.assert(
      fc.property(inputArb, (inp) => {
        expect(allText(planTuning(inp))).not.toMatch(/tw_recycle|tw_reuse|fin_timeout|max_tw_buckets|net\.ipv4\.|sysctl\.d/);
      }),
      { numRuns: 500 },
    );
  });
});
