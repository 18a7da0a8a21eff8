// Choosing steps from a plan: the chosen steps as a plan of their own (drop-in, what-if, helper document),
// steps that must go together, and noticing that the system moved since the plan was made.
import { describe, expect, it } from 'vitest';
import { manualCommands, planFingerprint, selectSteps, staleness, stepRequirements } from '../../../electron/node/service/tuning-selection.js';
import { planTuning } from '../../../electron/node/tuning/plan.js';
import { input, kernel } from '../tuning/plan-fixtures.js';

describe('stepRequirements and selectSteps', () => {
  it('makes widening the range need the reservations planned with it', () => {
    // A service listens on 40000, which the wider range (down to 32768) newly covers.
    const i = input({ kernel: kernel({ portRange: { low: 45000, high: 60999 } }), listeningPorts: [40000] });
    const plan = planTuning(i);
    expect(plan.kernel.map((s) => s.id)).toEqual(['reserve-listeners', 'widen-range', 'tw-reuse']);
    expect(stepRequirements(plan)).toEqual([{ step: 'widen-range', needs: ['reserve-listeners'] }]);
    expect(selectSteps(plan, i, ['widen-range'])).toEqual({ ok: false, error: 'steps: "widen-range" needs "reserve-listeners" in the same change (services listen inside the wider range; their ports must be reserved first)' });
    const both = selectSteps(plan, i, ['widen-range', 'reserve-listeners']);
    expect(both.ok && both.plan.helperPlan?.settings.map((s) => s.key)).toEqual(['net.ipv4.ip_local_reserved_ports', 'net.ipv4.ip_local_port_range']);
  });

  it('gives the chosen steps their own drop-in, what-if and helper document', () => {
    const i = input();
    const plan = planTuning(i);
    const only = selectSteps(plan, i, ['tw-reuse'], 90);
    if (!only.ok) throw new Error(only.error);
    expect(only.plan.kernel.map((s) => s.id)).toEqual(['tw-reuse']);
    expect(only.plan.persistence?.after).toContain('net.ipv4.tcp_tw_reuse = 1');
    expect(only.plan.persistence?.after).not.toContain('ip_local_port_range');
    expect(only.plan.helperPlan).toEqual({ kind: 'portwatch-helper-plan', schema: 1, settings: [{ key: 'net.ipv4.tcp_tw_reuse', value: 1 }], confirmTimeoutSec: 90 });
    // tw_reuse alone: the same ports, held 1 s instead of 60 s.
    expect(only.plan.whatIf.after.capacity.usable).toBe(28232);
    expect(only.plan.whatIf.after.holdSec).toBe(1);
    expect(only.plan.whatIf.destinations[0]!.after.sustainablePerSec).toBe(28232);
    expect(manualCommands(only.plan)[0]).toBe('sysctl -w net.ipv4.tcp_tw_reuse="1"');
  });

  it('refuses a step the plan does not offer, naming it', () => {
    const i = input();
    expect(selectSteps(planTuning(i), i, ['tcp-tw-recycle'])).toEqual({ ok: false, error: 'steps[0]: "tcp-tw-recycle" is not a step of this plan; it offers "widen-range", "tw-reuse"' });
  });
});

describe('staleness and the fingerprint', () => {
  it('finds nothing when the system is the same, and names the key that moved', () => {
    const plan = planTuning(input());
    expect(staleness(plan, planTuning(input()), ['widen-range', 'tw-reuse'])).toBeNull();
    expect(planFingerprint(planTuning(input()))).toBe(planFingerprint(plan));
    const moved = planTuning(input({ kernel: kernel({ twReuse: 0 }) }));
    expect(staleness(plan, moved, ['widen-range'])).toBeNull();
    expect(staleness(plan, moved, ['tw-reuse'])).toBe('net.ipv4.tcp_tw_reuse is now 0 (the plan was made when it was 2)');
    expect(planFingerprint(moved)).not.toBe(planFingerprint(plan));
  });

  it('notices a drop-in file changed behind the plan', () => {
    const plan = planTuning(input());
    const later = planTuning(input({ sysctlFiles: [{ path: '/etc/sysctl.d/60-portwatch.conf', text: 'net.ipv4.tcp_tw_reuse = 1\n' }] }));
    expect(staleness(plan, later, ['widen-range'])).toBe('/etc/sysctl.d/60-portwatch.conf changed');
  });
});
