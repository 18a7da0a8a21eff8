import { describe, expect, it } from 'vitest';
import { DIAGNOSIS_IDS } from '../../../electron/common/diagnosis-id.js';
import fc from 'fast-check';
import type { DestinationUsage, KernelSettings, PortRange } from '../../../electron/common/model.js';
import { DROP_IN_PATH, TUNABLE_KEYS, inRanges, parseHelperPlanDocument, rangesCover, type HelperSetting, type TuningPlan } from '../../../electron/common/tuning.js';
import { planTuning } from '../../../electron/node/tuning/plan.js';
import { HELD_PORTS_UNKNOWN, type PlanInput } from '../../../electron/node/tuning/plan-input.js';
import { renderPlan } from '../../../electron/node/tuning/plan-text.js';
import { churnSample, destination, diagnosis, input, kernel, okSample } from './plan-fixtures.js';

const setting = <K extends HelperSetting['key']>(p: TuningPlan, key: K) => p.kernel.find((s) => s.key === key)?.setting as Extract<HelperSetting, { key: K }> | undefined;
const allText = (p: TuningPlan): string =>
  [p.summary, ...p.warnings, ...p.notProposed, ...p.advice.flatMap((a) => [a.title, a.text, a.why]), ...p.kernel.flatMap((s) => [s.title, s.why, s.effect.summary, ...s.risks]), ...(p.containerSnippets?.notes ?? [])].join('\n');

describe('the tuning plan for a machine', () => {
  it('puts the application cure first, then widens the range and turns on TIME-WAIT reuse for remote churn', () => {
    const p = planTuning(input());
    expect(p.advice.map((a) => a.id)).toEqual(['connection-reuse', 'more-source-addresses']);
    expect(p.advice[0]!.forDiagnoses).toEqual(['time-wait-churn']);
    expect(p.kernel.map((s) => [s.id, s.current, s.proposed])).toEqual([
      ['widen-range', '32768\t60999', '32768\t65535'],
      ['tw-reuse', '2', '1'],
    ]);
    expect(p.helperPlan).toEqual({
      kind: 'portwatch-helper-plan',
      schema: 1,
      settings: [
        { key: 'net.ipv4.ip_local_port_range', low: 32768, high: 65535 },
        { key: 'net.ipv4.tcp_tw_reuse', value: 1 },
      ],
      confirmTimeoutSec: 60,
    });
    expect(parseHelperPlanDocument(p.helperPlan).ok).toBe(true);
  });

  it('states the what-if: usable ports and sustainable rate per destination, before and after each step', () => {
    const p = planTuning(input());
    expect(p.whatIf.before.capacity).toMatchObject({ rangeSize: 28232, usable: 28232 });
    expect(p.whatIf.before.holdSec).toBe(60);
    expect(p.whatIf.before.sustainablePerDestinationPerSec).toBeCloseTo(28232 / 60, 6);
    expect(p.whatIf.after.capacity).toMatchObject({ rangeSize: 32768, usable: 32768 });
    expect(p.whatIf.after.holdSec).toBe(1);
    expect(p.whatIf.after.sustainablePerDestinationPerSec).toBe(32768);
    const [range, tw] = p.kernel;
    expect(range!.effect.after.sustainablePerDestinationPerSec).toBeCloseTo(32768 / 60, 6);
    expect(range!.effect.summary).toBe('Usable ports per destination 28,232 → 32,768; sustainable new connections per (non-loopback) destination 471/s → 546/s.');
    expect(tw!.effect.before).toEqual(range!.effect.after);
    expect(tw!.effect.summary).toContain('holds its port 60 s → 1 s');
    expect(p.whatIf.destinations[0]).toMatchObject({ label: '10.0.0.1 → 10.0.0.2:443', loopback: false, newPerSec: 400, before: { holdSec: 60 }, after: { holdSec: 1, sustainablePerSec: 32768 } });
  });

  it('uses the kernel reuse delay in the what-if (100 ms → 10× the rate of 1 s)', () => {
    const p = planTuning(input({ kernel: kernel({ twReuseDelayMs: 100 }) }));
    expect(p.whatIf.after.holdSec).toBe(0.1);
    expect(p.whatIf.after.sustainablePerDestinationPerSec).toBeCloseTo(327680, 6);
  });

  it('proposes nothing on a calm machine', () => {
    const p = planTuning(input({ sample: okSample() }));
    expect(p.kernel).toEqual([]);
    expect(p.advice).toEqual([]);
    expect(p.helperPlan).toBeNull();
    expect(p.summary).toBe('Nothing to tune: no destination is under pressure (severity ok).');
  });

  it('proposes nothing on a sample that cannot tell, and does not call it calm', () => {
    const reason = 'No socket source could be read (see the sources for why), so nothing can be said about port use.';
    const p = planTuning(input({ sample: { ...okSample(), severity: 'unknown', severityReason: reason, worst: null, destinations: [] } }));
    expect(p.kernel).toEqual([]);
    expect(p.summary).toBe(`Nothing is proposed: this sample cannot tell whether a destination is under pressure. ${reason}`);
  });

  it('proposes nothing without a sample unless asked explicitly', () => {
    expect(planTuning(input({ sample: null })).kernel).toEqual([]);
    const asked = planTuning(input({ sample: null, options: { range: { low: 32768, high: 65535 } } }));
    expect(asked.kernel.map((s) => s.id)).toEqual(['widen-range']);
  });

  it('proposes the range when forced on a calm machine, but not TIME-WAIT reuse without TIME-WAIT', () => {
    const p = planTuning(input({ sample: okSample(), options: { force: true } }));
    expect(p.kernel.map((s) => s.id)).toEqual(['widen-range']);
  });

  it('does not propose tcp_tw_reuse when timestamps are off, and says why', () => {
    const p = planTuning(input({ kernel: kernel({ timestamps: 0 }) }));
    expect(p.kernel.map((s) => s.id)).toEqual(['widen-range']);
    expect(p.notProposed.join('\n')).toMatch(/needs TCP timestamps, and net.ipv4.tcp_timestamps is 0 here/);
  });

  it('leaves tcp_tw_reuse at 2 for loopback-only churn, and proposes 2 when it is off', () => {
    const lo = destination({ 'TIME-WAIT': 20000 }, { localAddress: '127.0.0.1', remoteAddress: '127.0.0.1', remotePort: 8080 });
    const sample = churnSample({ destinations: [lo], worst: lo });
    const at2 = planTuning(input({ sample }));
    expect(at2.kernel.map((s) => s.id)).toEqual(['widen-range']);
    expect(at2.notProposed.join('\n')).toMatch(/already applies to these loopback connections/);
    expect(at2.whatIf.destinations[0]!.before.holdSec).toBe(1);
    const at0 = planTuning(input({ sample, kernel: kernel({ twReuse: 0 }) }));
    expect(at0.kernel.find((s) => s.id === 'tw-reuse')?.proposed).toBe('2');
  });

  it('never proposes tcp_tw_reuse with --no-tw-reuse', () => {
    expect(planTuning(input({ options: { noTwReuse: true } })).kernel.map((s) => s.id)).toEqual(['widen-range']);
  });

  it('answers bind() before connect() with IP_BIND_ADDRESS_NO_PORT and does not claim reuse helps it', () => {
    const p = planTuning(input({ sample: churnSample({ diagnoses: [diagnosis('bind-before-connect'), diagnosis('time-wait-churn')] }) }));
    expect(p.advice.map((a) => a.id)).toEqual(['bind-address-no-port', 'connection-reuse', 'more-source-addresses']);
    expect(p.notProposed.join('\n')).toMatch(/only helps plain connect\(\)/);
  });

  it('answers a CLOSE-WAIT leak and a full conntrack table without a kernel change of their own', () => {
    const d = destination({ 'CLOSE-WAIT': 300 });
    const p = planTuning(input({ sample: { ...okSample(), diagnoses: [diagnosis('close-wait-leak'), diagnosis('conntrack-near-full')], destinations: [d], worst: d } }));
    expect(p.advice.map((a) => a.id)).toEqual(['close-sockets']);
    expect(p.kernel).toEqual([]);
    expect(p.notProposed.join('\n')).toMatch(/No kernel setting is proposed for CLOSE-WAIT/);
    expect(p.notProposed.join('\n')).toMatch(/does not change net.netfilter.nf_conntrack_max/);
  });

  it('reserves listening ports the wider range newly covers, writing them before the range', () => {
    const p = planTuning(input({ listeningPorts: [22, 62000] }));
    expect(p.kernel.map((s) => [s.key, s.proposed])).toEqual([
      ['net.ipv4.ip_local_reserved_ports', '62000'],
      ['net.ipv4.ip_local_port_range', '32768\t65535'],
      ['net.ipv4.tcp_tw_reuse', '1'],
    ]);
    expect(p.whatIf.after.capacity).toMatchObject({ reserved: 1, heldByListeners: 0, usable: 32767 });
  });

  it('proposes no wider range without the socket table (the listeners are unknown), forced or asked, and calls its figures ceilings', () => {
    const unread = { listeningPorts: null, boundPorts: null };
    for (const options of [{ force: true }, { range: { low: 32768, high: 65535 } }]) {
      const p = planTuning(input({ ...unread, sample: okSample(), options }));
      expect(p.kernel.map((s) => s.key)).not.toContain('net.ipv4.ip_local_port_range');
      expect(p.notProposed).toContain(HELD_PORTS_UNKNOWN);
      expect(p.whatIf.before.capacity).toMatchObject({ rangeSize: 28232, heldByListeners: null, usable: 28232 });
      expect(renderPlan(p, null)).toContain('Now: at most 28,232 usable ports per destination (the ports listening sockets hold are unknown');
    }
    // TIME-WAIT reuse does not depend on the listeners: still proposed under churn, its figures ceilings.
    const churn = planTuning(input(unread));
    expect(churn.kernel.map((s) => s.id)).toEqual(['tw-reuse']);
    expect(churn.kernel[0]!.effect.summary).toBe(
      'Usable ports per destination at most 28,232 → at most 28,232; a closed outgoing connection holds its port 60 s → 1 s; sustainable new connections per (non-loopback) destination at most 471/s → at most 28,232/s.',
    );
    // Ports the user names are reserved all the same: that needs no knowledge of the listeners.
    const named = planTuning(input({ ...unread, options: { reserve: [40000] } }));
    expect(named.kernel.map((s) => [s.key, s.proposed])).toContainEqual(['net.ipv4.ip_local_reserved_ports', '40000']);
  });

  it('inside a container: says the host is not changed, gives the pod and docker snippets, and offers nothing to apply', () => {
    const p = planTuning(input({ environment: { container: true, kind: 'kubernetes', evidence: ['KUBERNETES_SERVICE_HOST is set'] } }));
    expect(p.warnings[0]).toMatch(/inside a container \(kubernetes\).*not the host/);
    expect(p.helperPlan).toBeNull();
    expect(p.persistence).toBeNull();
    expect(p.containerSnippets?.kubernetes).toBe(
      'spec:\n  securityContext:\n    sysctls:\n      - name: net.ipv4.ip_local_port_range\n        value: "32768 65535"\n      - name: net.ipv4.tcp_tw_reuse\n        value: "1"\n',
    );
    expect(p.containerSnippets?.docker).toBe('docker run --sysctl net.ipv4.ip_local_port_range="32768 65535" --sysctl net.ipv4.tcp_tw_reuse="1" IMAGE');
    expect(p.containerSnippets?.notes.join('\n')).toMatch(/ip_local_port_range is a "safe" sysctl/);
    expect(p.containerSnippets?.notes.join('\n')).toMatch(/tcp_tw_reuse is not a "safe" sysctl/);
  });

  it('shows which file wins at boot, and warns when another file overrides the drop-in', () => {
    const files = [
      { path: '/etc/sysctl.d/99-sysctl.conf', text: '' },
      { path: '/etc/sysctl.conf', text: 'net.ipv4.ip_local_port_range = 1024 65000\n' },
      { path: DROP_IN_PATH, text: '# mine\nvm.swappiness = 10\n' },
    ];
    const p = planTuning(input({ sysctlFiles: files }));
    expect(p.persistence?.before).toBe('# mine\nvm.swappiness = 10\n');
    expect(p.persistence?.after).toBe('# mine\nvm.swappiness = 10\nnet.ipv4.ip_local_port_range = 32768 65535\nnet.ipv4.tcp_tw_reuse = 1\n');
    const range = p.persistence?.boot.find((b) => b.key === 'net.ipv4.ip_local_port_range');
    expect(range).toEqual({
      key: 'net.ipv4.ip_local_port_range',
      systemd: { path: DROP_IN_PATH, line: 3, value: '32768 65535' },
      procps: { path: '/etc/sysctl.conf', line: 1, value: '1024 65000' },
      oursWins: false,
    });
    expect(p.warnings.join('\n')).toMatch(/\/etc\/sysctl.conf:1 sets net.ipv4.ip_local_port_range = 1024 65000 after .*wins with sysctl --system/);
    expect(p.persistence?.boot.find((b) => b.key === 'net.ipv4.tcp_tw_reuse')?.oursWins).toBe(true);
  });

  it('plans with the platform\'s own keys on macOS and Windows, never a Linux one (see darwin-plan and win32-plan tests)', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const p = planTuning(input({ platform }));
      expect(p.kernel.length).toBeGreaterThan(0);
      expect(p.kernel.every((s) => !s.key.startsWith('net.ipv4.'))).toBe(true);
      expect(p.persistence?.path ?? null).not.toBe(DROP_IN_PATH);
    }
  });

  it('refuses an explicit range below the floor, naming the floor', () => {
    const p = planTuning(input({ kernel: kernel({ unprivilegedPortStart: 1024 }), options: { range: { low: 900, high: 65535 } } }));
    expect(p.kernel.find((s) => s.id === 'widen-range')).toBeUndefined();
    expect(p.notProposed.join('\n')).toMatch(/cannot start at 900.*1024/);
  });

  it('states the myths the right way round on Linux', () => {
    const text = planTuning(input()).notProposed.join('\n');
    expect(text).toMatch(/tcp_tw_recycle: never.*removed in Linux 4.12/);
    expect(text).toMatch(/tcp_max_tw_buckets: never lowered/);
    expect(text).toMatch(/tcp_fin_timeout: left alone. It does not shorten TIME-WAIT/);
  });

  it('carries the countdown asked for into the helper plan', () => {
    expect(planTuning(input({ options: { confirmTimeoutSec: 5 } })).helperPlan?.confirmTimeoutSec).toBe(5);
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties over arbitrary machines

const portArb = fc.integer({ min: 1, max: 65535 });
const rangeArb: fc.Arbitrary<PortRange> = fc.tuple(portArb, portArb).map(([a, b]) => ({ low: Math.min(a, b), high: Math.max(a, b) }));
const kernelArb: fc.Arbitrary<KernelSettings> = fc.record({
  portRange: fc.option(rangeArb, { nil: null }),
  reservedPorts: fc.option(fc.array(rangeArb, { maxLength: 6 }), { nil: null }),
  unprivilegedPortStart: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: null }),
  twReuse: fc.constantFrom(0, 1, 2, null),
  twReuseDelayMs: fc.option(fc.integer({ min: 1, max: 60000 }), { nil: null }),
  timestamps: fc.constantFrom(0, 1, 2, null),
}).map((k) => kernel(k as Partial<KernelSettings>));
const addressArb = fc.constantFrom('10.0.0.1', '127.0.0.1', '::1', '192.0.2.7', '::ffff:127.0.0.1', '2001:db8::1');
const destinationArb: fc.Arbitrary<DestinationUsage> = fc
  .record({ tw: fc.nat(30000), est: fc.nat(30000), local: addressArb, remote: addressArb, port: portArb })
  .map(({ tw, est, local, remote, port }) => destination({ 'TIME-WAIT': tw, ESTABLISHED: est }, { localAddress: local, remoteAddress: remote, remotePort: port }));
// Every id the engine can make (an id outside the union is refused by the sample schema before it reaches a plan).
const diagnosisIds = [...DIAGNOSIS_IDS];
const inputArb: fc.Arbitrary<PlanInput> = fc
  .record({
    platform: fc.constantFrom('linux', 'linux', 'linux', 'darwin', 'win32'),
    kernel: kernelArb,
    severity: fc.constantFrom('ok', 'warning', 'critical', 'exhausted', 'unknown'),
    diagnoses: fc.subarray(diagnosisIds),
    destinations: fc.array(destinationArb, { maxLength: 4 }),
    hasSample: fc.boolean(),
    // null: no socket table could be read, so the listeners are unknown
    listening: fc.option(fc.array(portArb, { maxLength: 12 }), { nil: null, freq: 8 }),
    bound: fc.array(portArb, { maxLength: 4 }),
    container: fc.boolean(),
    range: fc.option(rangeArb, { nil: undefined }),
    reserve: fc.option(fc.array(portArb, { maxLength: 5 }), { nil: undefined }),
    force: fc.boolean(),
    noTwReuse: fc.boolean(),
  })
  .map((r) =>
    input({
      platform: r.platform as PlanInput['platform'],
      kernel: r.kernel,
      sample: r.hasSample
        ? { ...churnSample(), severity: r.severity as 'ok', diagnoses: r.diagnoses.map(diagnosis), destinations: r.destinations, worst: r.destinations[0] ?? null }
        : null,
      listeningPorts: r.listening,
      boundPorts: r.listening === null ? null : r.bound,
      environment: r.container ? { container: true, kind: 'docker', evidence: ['/.dockerenv exists'] } : { container: false, kind: null, evidence: [] },
      options: { ...(r.range ? { range: r.range } : {}), ...(r.reserve ? { reserve: r.reserve } : {}), force: r.force, noTwReuse: r.noTwReuse },
    }),
  );

describe('properties of every generated plan', () => {
  it('never contains a key outside the allow-list (no tcp_tw_recycle, tcp_max_tw_buckets, tcp_fin_timeout)', () => {
    fc.assert(
      fc.property(inputArb, (inp) => {
        const p = planTuning(inp);
        for (const s of p.kernel) expect(TUNABLE_KEYS).toContain(s.key);
        for (const s of p.helperPlan?.settings ?? []) expect(TUNABLE_KEYS).toContain(s.key);
        const json = JSON.stringify(p.helperPlan);
        expect(json).not.toMatch(/tw_recycle|max_tw_buckets|fin_timeout/);
        expect(p.kernel.map((s) => s.key)).not.toContain('net.ipv4.tcp_tw_recycle');
      }),
      { numRuns: 3000 },
    );
  });

  it('never proposes a range below the floor, narrower than now, or starting under 32768 with an unreserved listener inside', () => {
    fc.assert(
      fc.property(inputArb, (inp) => {
        const p = planTuning(inp);
        const r = setting(p, 'net.ipv4.ip_local_port_range');
        const reservedAfter = setting(p, 'net.ipv4.ip_local_reserved_ports')?.ranges ?? inp.kernel.reservedPorts ?? [];
        // Without the socket table a wider range could cover a listener nobody can see: never proposed.
        if (inp.listeningPorts === null) expect(r).toBeUndefined();
        if (r && inp.listeningPorts) {
          const cur = inp.kernel.portRange!;
          expect(r.low).toBeGreaterThanOrEqual(Math.max(inp.kernel.unprivilegedPortStart ?? 1024, 1024));
          expect(r.low).toBeLessThanOrEqual(cur.low);
          expect(r.high).toBeGreaterThanOrEqual(cur.high);
          expect(r.high).toBeLessThanOrEqual(65535);
          expect(r.low <= cur.low && r.high >= cur.high && (r.low < cur.low || r.high > cur.high)).toBe(true);
          if (r.low < 32768) for (const l of inp.listeningPorts) if (l >= r.low && l <= r.high) expect(inRanges(reservedAfter, l)).toBe(true);
          // Newly covered listening ports are reserved in the same plan.
          for (const l of inp.listeningPorts) if (l >= r.low && l <= r.high && (l < cur.low || l > cur.high)) expect(inRanges(reservedAfter, l)).toBe(true);
          // The default proposal never goes under 32768 on its own.
          if (!inp.options.range && r.low < cur.low) expect(r.low).toBeGreaterThanOrEqual(32768);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('only ever adds reserved ports, and the helper document it makes is valid', () => {
    fc.assert(
      fc.property(inputArb, (inp) => {
        const p = planTuning(inp);
        const res = setting(p, 'net.ipv4.ip_local_reserved_ports');
        if (res) expect(rangesCover(res.ranges, inp.kernel.reservedPorts ?? [])).toBe(true);
        if (p.helperPlan) expect(parseHelperPlanDocument(p.helperPlan).ok).toBe(true);
        if (inp.environment.container) expect(p.helperPlan).toBeNull();
        const tw = setting(p, 'net.ipv4.tcp_tw_reuse');
        if (tw) {
          expect(inp.kernel.timestamps === 0 || inp.kernel.timestamps === null).toBe(false);
          expect(inp.options.noTwReuse).toBe(false);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never says that tcp_fin_timeout shortens TIME-WAIT, nor suggests tcp_tw_recycle', () => {
    fc.assert(
      fc.property(inputArb, (inp) => {
        const text = allText(planTuning(inp));
        for (const sentence of text.split(/(?<=\.)\s|\n/)) {
          if (/fin_timeout/.test(sentence)) expect(sentence).toMatch(/does not shorten TIME-WAIT|left alone/);
          if (/tw_recycle/.test(sentence)) expect(sentence).toMatch(/never/);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
