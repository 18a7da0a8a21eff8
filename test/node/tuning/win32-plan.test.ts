// The Windows planner: a guard-rail table (inputs parsed from the captured netsh/reg outputs by the real
// parsers, in English and German), fast-check properties over random machines and requests, the text.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WIN32_TUNABLE_KEYS, parseHelperPlanDocument, type TuningPlan } from '../../../electron/common/tuning.js';
import { planTuning } from '../../../electron/node/tuning/plan.js';
import { renderPlan, renderReview } from '../../../electron/node/tuning/plan-text.js';
import { reviewPlan } from '../../../electron/node/tuning/review.js';
import type { PlanInput, PlanOptions } from '../../../electron/node/tuning/plan-input.js';
import { winInput, type WinCase } from './win32-plan-fixtures.js';
import { churnSample, okSample } from './plan-fixtures.js';

const V4 = 'win32.ipv4.dynamicport.tcp';
const V6 = 'win32.ipv6.dynamicport.tcp';
const TWD = 'win32.tcpip.TcpTimedWaitDelay';
const rangeOf = (p: TuningPlan, key: string): { start: number; num: number } | null => {
  const s = p.kernel.find((k) => k.key === key)?.setting;
  return s && 'num' in s ? { start: s.start, num: s.num } : null;
};
const twdOf = (p: TuningPlan): number | null => {
  const s = p.kernel.find((k) => k.key === TWD)?.setting;
  return s && 'value' in s ? s.value : null;
};
const UAC = { method: 'uac' as const, prefix: ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', '-NoLogo', '-NoProfile', '-NonInteractive', '-Command'], program: ['C:\\Program Files\\nodejs\\node.exe', 'C:\\Program Files\\Portwatch\\portwatch-helper.js'] };
const allText = (p: TuningPlan): string => [renderPlan(p), renderReview(reviewPlan(p, UAC, 'C:\\Users\\ann\\AppData\\Local\\Temp\\portwatch-plan-a\\plan.json'))].join('\n');

interface Row {
  win?: WinCase;
  over?: Partial<PlanInput>;
  options?: PlanOptions;
  /** Expected IPv4 start and count (null: no step). */
  v4: { start: number; num: number } | null;
  v6?: { start: number; num: number } | null;
  twd?: number | null;
  says?: RegExp;
}

const WIDE = { start: 32768, num: 32768 };
const calm = { sample: okSample() };
const CASES: [string, Row][] = [
  ['TIME-WAIT churn: IPv4 and IPv6 widen to 32768–65535', { v4: WIDE, v6: WIDE }],
  ['the same from German netsh output', { win: { language: 'de' }, v4: WIDE, v6: WIDE }],
  ['a calm machine: nothing', { over: calm, v4: null, v6: null }],
  ['a calm machine with --force: the default range', { over: calm, options: { force: true }, v4: WIDE }],
  ['no sample and nothing asked: nothing', { over: { sample: null }, v4: null }],
  ['an explicit range under 1025: refused, naming the floor', { options: { range: { low: 1024, high: 65535 } }, v4: null, says: /cannot start at 1024: Windows takes nothing below 1025/ }],
  ['an explicit range from 1025 with no listener in the part added: allowed, with the low-range warning', { over: { listeningPorts: [] }, options: { range: { low: 1025, high: 65535 } }, v4: { start: 1025, num: 64511 }, says: /starts at 1025, below 32768/ }],
  ['a range already under 255 ports, widened short of a listener to fewer than 255: refused, not an invalid plan', { win: { ipv4: { start: 65282, num: 2 }, ipv6: { start: 65282, num: 2 } }, over: { listeningPorts: [65281] }, v4: null, says: /leaves 65282–65535, 254 ports, fewer than the 255 Windows takes/ }],
  ['no socket table (listeners unknown): no wider range, even forced or asked', { over: { ...calm, listeningPorts: null, boundPorts: null }, options: { force: true }, v4: null, v6: null, says: /ports services listen on are unknown: no wider range is proposed/ }],
  ['no socket table, an explicit range: refused all the same', { over: { listeningPorts: null, boundPorts: null }, options: { range: { low: 40000, high: 65535 } }, v4: null, says: /ports services listen on are unknown/ }],
  ['an explicit range over a listener (3389): refused with the exclusion hint', { options: { range: { low: 1025, high: 65535 } }, over: { listeningPorts: [3389] }, v4: null, says: /port 3389 ephemeral.*netsh int ipv4 add excludedportrange protocol=tcp startport=PORT numberofports=1/ }],
  ['a narrower range: refused', { options: { range: { low: 50000, high: 65535 } }, v4: null, says: /does not contain the current range 49152–65535: Portwatch only widens/ }],
  ['a range ending below 65535: refused', { options: { range: { low: 40000, high: 65534 } }, v4: null, says: /only widens/ }],
  ['a range starting at 0: refused', { options: { range: { low: 0, high: 65535 } }, v4: null, says: /0–65535 is not a port range/ }],
  ['an explicit range 49000–65535: start 49000, 16,536 ports', { options: { range: { low: 49000, high: 65535 } }, v4: { start: 49000, num: 16536 } }],
  ['the range it already has', { options: { range: { low: 49152, high: 65535 } }, v4: null, says: /already 49152–65535/ }],
  ['a listener at 40000 in the part added: the range starts above it', { over: { listeningPorts: [40000] }, v4: { start: 40001, num: 25535 }, says: /stops short of it \(40001–65535\)/ }],
  ['a listener inside an excluded range (47001) is protected already', { over: { listeningPorts: [47001] }, v4: WIDE }],
  ['a listener protected by an exclusion of this case (44000–45099)', { win: { excluded: ['44000 45099'] }, over: { listeningPorts: [45000] }, v4: WIDE }],
  ['a bound-only port at 33000 counts like a listener', { over: { boundPorts: [33000] }, v4: { start: 33001, num: 32535 } }],
  ['--reserve 40000 with the default range: it stops short', { options: { reserve: [40000] }, v4: { start: 40001, num: 25535 } }],
  ['--reserve 31000 inside an explicit range: refused', { over: { listeningPorts: [] }, options: { range: { low: 30000, high: 65535 }, reserve: [31000] }, v4: null, says: /port 31000 ephemeral/ }],
  ['exclusions inside the new range: counted, and said to move on reboot', { v4: WIDE, says: /261 ports of the new range are excluded \(47001, 49673–49772, 50000–50059, 50060–50159; 1 administered\).*move on reboot/ }],
  ['exclusions unreadable: said so', { win: { excluded: null }, v4: WIDE, says: /excluded port ranges could not be read/ }],
  ['IPv6 unreadable: only IPv4, said so', { win: { ipv6: null }, v4: WIDE, v6: null, says: /IPv6 dynamic port range could not be read/ }],
  ['IPv6 narrower than IPv4 but inside the new range: widened to the same', { win: { ipv6: { start: 50000, num: 15536 } }, v4: WIDE, v6: WIDE }],
  ['IPv6 outside the new range: left alone, said so', { win: { ipv6: { start: 10000, num: 55536 } }, v4: WIDE, v6: null, says: /IPv6 dynamic port range 10000–65535 is not inside 32768–65535: it is left alone/ }],
  ['IPv6 already the new range: only IPv4', { win: { ipv6: WIDE }, v4: WIDE, v6: null }],
  ['IPv4 unreadable: nothing, said so', { win: { ipv4: null, ipv6: null }, over: { kernel: { ...winInput().kernel, portRange: null } }, v4: null, says: /IPv4 dynamic port range could not be read/ }],
  ['the widest range already (1025, 64,511 ports): nothing', { win: { ipv4: { start: 1025, num: 64511 }, ipv6: { start: 1025, num: 64511 } }, v4: null }],
  ['a range from 10000 already: nothing to widen by default', { win: { ipv4: { start: 10000, num: 55536 } }, v4: null }],
  ['the smallest range Windows allows (255 ports): widened', { win: { ipv4: { start: 49152, num: 255 } }, v4: WIDE }],
  ['--time-wait 30 with TcpTimedWaitDelay not set: 30 s after a reboot', { options: { timeWaitSec: 30 }, v4: WIDE, twd: 30 }],
  ['--time-wait 60 with 240 now: 60', { win: { timedWaitDelay: 240 }, options: { timeWaitSec: 60 }, v4: WIDE, twd: 60 }],
  ['--time-wait 30 with 30 now: already', { win: { timedWaitDelay: 30 }, options: { timeWaitSec: 30 }, v4: WIDE, twd: null, says: /already 30 s here/ }],
  ['--time-wait 120 with it not set: already 120 s', { options: { timeWaitSec: 120 }, v4: WIDE, twd: null, says: /already 120 s/ }],
  ['--time-wait 29: not offered (under 30 s)', { options: { timeWaitSec: 29 }, v4: WIDE, twd: null, says: /29 s is not offered on Windows: TcpTimedWaitDelay takes 30 to 300 s/ }],
  ['--time-wait 301: not offered', { options: { timeWaitSec: 301 }, v4: WIDE, twd: null, says: /301 s is not offered/ }],
  ['--time-wait with the registry unreadable: left alone', { win: { timedWaitDelay: null }, options: { timeWaitSec: 30 }, v4: WIDE, twd: null, says: /TcpTimedWaitDelay could not be read/ }],
  ['TcpTimedWaitDelay is never proposed unless asked', { v4: WIDE, twd: null, says: /TcpTimedWaitDelay: not proposed unless you ask/ }],
  ['--time-wait on a calm machine: only the TIME-WAIT step', { over: calm, options: { timeWaitSec: 30 }, v4: null, twd: 30 }],
];

describe('the Windows plan: guard rails', () => {
  it(`has at least 30 cases (${CASES.length})`, () => expect(CASES.length).toBeGreaterThanOrEqual(30));

  it.each(CASES)('%s', (_name, row) => {
    const p = planTuning(winInput(row.win ?? {}, { ...row.over, ...(row.options ? { options: row.options } : {}) }));
    expect(rangeOf(p, V4)).toEqual(row.v4);
    if (row.v6 !== undefined) expect(rangeOf(p, V6)).toEqual(row.v6);
    if (row.twd !== undefined) expect(twdOf(p)).toBe(row.twd);
    if (row.says) expect([...p.warnings, ...p.notProposed].join('\n')).toMatch(row.says);
    for (const s of p.kernel) expect(WIN32_TUNABLE_KEYS).toContain(s.key);
    if (p.kernel.length) expect(parseHelperPlanDocument(p.helperPlan).ok).toBe(true);
    else expect(p.helperPlan).toBeNull();
    // Windows stores the values itself: nothing to persist.
    expect(p.persistence).toBeNull();
  });
});

describe('the Windows plan: what it says', () => {
  it('counts the exclusions in the what-if, before and after', () => {
    const p = planTuning(winInput());
    // 49152–65535 holds 49673–49772 (100), 50000–50059 (60), 50060–50159 (100); the new range also 47001.
    expect(p.whatIf.before.capacity).toMatchObject({ rangeSize: 16384, reserved: 260, usable: 16124 });
    expect(p.whatIf.after.capacity).toMatchObject({ rangeSize: 32768, reserved: 261, usable: 32507 });
    expect(p.whatIf.before.holdSec).toBe(120);
    expect(p.advice[0]!.why).toMatch(/for 120 s in TIME-WAIT/);
  });

  it('says TcpTimedWaitDelay needs a reboot, and the what-if uses the new TIME-WAIT', () => {
    const p = planTuning(winInput({}, { options: { timeWaitSec: 30 } }));
    const tw = p.kernel.find((s) => s.key === TWD)!;
    expect(tw.title).toBe('Shorten TIME-WAIT from 120 s to 30 s (TcpTimedWaitDelay, after the next reboot), as you asked');
    expect(tw.current).toBeNull();
    expect(tw.risks[0]).toMatch(/nothing changes until the next reboot/);
    expect(p.whatIf.after.holdSec).toBe(30);
  });

  it('reviews the exact netsh and reg argv under %SystemRoot%, and the UAC relaunch', () => {
    const p = planTuning(winInput({}, { options: { timeWaitSec: 30 } }));
    const r = reviewPlan(p, UAC, 'C:\\Users\\ann\\AppData\\Local\\Temp\\portwatch-plan-a\\plan.json');
    expect(r.helperCommands!.map((c) => c.argv)).toEqual([
      ['C:\\Windows\\System32\\netsh.exe', 'int', 'ipv4', 'set', 'dynamicport', 'tcp', 'start=32768', 'num=32768'],
      ['C:\\Windows\\System32\\netsh.exe', 'int', 'ipv6', 'set', 'dynamicport', 'tcp', 'start=32768', 'num=32768'],
      ['C:\\Windows\\System32\\reg.exe', 'add', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters', '/v', 'TcpTimedWaitDelay', '/t', 'REG_DWORD', '/d', '30', '/f'],
    ]);
    expect(r.writes).toEqual([]);
    expect(r.commands[0]!.argv).toEqual([
      ...UAC.prefix,
      "$ErrorActionPreference = 'Stop'; $p = Start-Process -FilePath 'C:\\Program Files\\nodejs\\node.exe' -ArgumentList '\"C:\\Program Files\\Portwatch\\portwatch-helper.js\" \"apply\" \"C:\\Users\\ann\\AppData\\Local\\Temp\\portwatch-plan-a\\plan.json\"' -Verb RunAs -Wait -PassThru; exit $p.ExitCode",
    ]);
    expect(r.commands[0]!.why).toMatch(/UAC.*window of its own.*type keep in its window/);
    expect(renderPlan(p)).toContain('Nothing else is persisted: Windows stores the new values itself');
  });

  it('never mentions a Linux knob or myth in its text', () => {
    for (const options of [{}, { timeWaitSec: 30 }, { range: { low: 1025, high: 65535 } }, { force: true }] as PlanOptions[]) {
      expect(allText(planTuning(winInput({}, { options, listeningPorts: [] })))).not.toMatch(/tw_recycle|tw_reuse|fin_timeout|max_tw_buckets|net\.ipv4\.|sysctl|ip_local_/);
    }
  });
});

// ---------------------------------------------------------------------------------------------------

const port = fc.integer({ min: 1, max: 65535 });
const dyn = fc.integer({ min: 1025, max: 65535 - 254 }).chain((start) => fc.integer({ min: 255, max: 65536 - start }).map((num) => ({ start, num })));
const exclusion = fc.tuple(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 300 }), fc.boolean()).map(([low, n, admin]) => `${low} ${Math.min(65535, low + n)}${admin ? ' *' : ''}`);
const inputArb = fc
  .record({
    v4: dyn,
    v6: fc.option(dyn, { nil: null }),
    excluded: fc.option(fc.array(exclusion, { maxLength: 5 }), { nil: null }),
    twd: fc.oneof(fc.constant<'not set'>('not set'), fc.integer({ min: 30, max: 300 })),
    // null: no socket table could be read, so the listeners are unknown
    listening: fc.option(fc.array(port, { maxLength: 10 }), { nil: null, freq: 8 }),
    bound: fc.array(port, { maxLength: 4 }),
    range: fc.option(fc.tuple(fc.integer({ min: 0, max: 70000 }), fc.integer({ min: 0, max: 70000 })).map(([a, b]) => ({ low: a, high: b })), { nil: undefined }),
    reserve: fc.option(fc.array(port, { maxLength: 4 }), { nil: undefined }),
    timeWait: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
    force: fc.boolean(),
    calm: fc.boolean(),
    language: fc.constantFrom<'en' | 'de'>('en', 'de'),
  })
  .map((r) =>
    winInput(
      { ipv4: r.v4, ipv6: r.v6, excluded: r.excluded, timedWaitDelay: r.twd, language: r.language },
      {
        sample: r.calm ? okSample() : churnSample(),
        listeningPorts: r.listening,
        boundPorts: r.listening === null ? null : r.bound,
        options: { ...(r.range ? { range: r.range } : {}), ...(r.reserve ? { reserve: r.reserve } : {}), ...(r.timeWait !== undefined ? { timeWaitSec: r.timeWait } : {}), force: r.force },
      },
    ),
  );

describe('properties of every Windows plan', () => {
  it("stays inside Windows' limits: start ≥ 1025, at least 255 ports, end ≤ 65535; TcpTimedWaitDelay 30–300 s only when asked", () => {
    fc.assert(
      fc.property(inputArb, (inp) => {
        const p = planTuning(inp);
        for (const s of p.kernel) expect(WIN32_TUNABLE_KEYS).toContain(s.key);
        if (p.helperPlan) expect(parseHelperPlanDocument(p.helperPlan).ok).toBe(true);
        for (const key of [V4, V6]) {
          const r = rangeOf(p, key);
          if (!r) continue;
          expect(r.start).toBeGreaterThanOrEqual(1025);
          expect(r.num).toBeGreaterThanOrEqual(255);
          expect(r.start + r.num - 1).toBeLessThanOrEqual(65535);
        }
        const t = twdOf(p);
        if (t !== null) {
          expect(inp.options.timeWaitSec).toBe(t);
          expect(t).toBeGreaterThanOrEqual(30);
          expect(t).toBeLessThanOrEqual(300);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never narrower than now (IPv4 and IPv6), never over an unexcluded port in use or named with --reserve', () => {
    fc.assert(
      fc.property(inputArb, (inp) => {
        const p = planTuning(inp);
        for (const [key, cur] of [[V4, inp.win32!.ipv4], [V6, inp.win32!.ipv6]] as const) {
          const r = rangeOf(p, key);
          if (!r || !cur) continue;
          expect(r.start).toBeLessThanOrEqual(cur.start);
          expect(r.start + r.num).toBeGreaterThanOrEqual(cur.start + cur.count);
        }
        const r = rangeOf(p, V4);
        // Without the socket table a wider range could cover a listener nobody can see: never proposed.
        if (inp.listeningPorts === null) expect([r, rangeOf(p, V6)]).toEqual([null, null]);
        if (!r) return;
        const cur = inp.win32!.ipv4!.range;
        const excluded = inp.win32!.excluded ?? [];
        for (const port of [...(inp.listeningPorts ?? []), ...(inp.boundPorts ?? []), ...(inp.options.reserve ?? [])]) {
          const newlyCovered = port >= r.start && port <= r.start + r.num - 1 && (port < cur.low || port > cur.high);
          if (newlyCovered) expect(excluded.some((x) => port >= x.low && port <= x.high)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never names a Linux knob, tcp_tw_recycle or sysctl', () => {
    fc.assert(
      fc.property(inputArb, (inp) => {
        expect(allText(planTuning(inp))).not.toMatch(/tw_recycle|tw_reuse|fin_timeout|max_tw_buckets|net\.ipv4\.|sysctl/);
      }),
      { numRuns: 500 },
    );
  });
});
