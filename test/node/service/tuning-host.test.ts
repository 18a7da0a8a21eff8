// The tuning side of the monitor service, through its contract requests, against the real helper (run
// directly as root) writing a proc root of plain files: plans by id, reviews of a choice, apply with the
// terminal stream and countdown, keep, revert, and every refusal (apply off, untrusted channel, stale
// plan, a change already in progress, a container) leaving the files untouched.
import { afterEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { MonitorEvent } from '../../../electron/common/contract.js';
import type { TuningPlanView, TuningReview, TuningSession, TuningStatus } from '../../../electron/common/tuning-contract.js';
import { CHANNEL_CANNOT_CHANGE, DEFAULT_DISABLED_REASON } from '../../../electron/node/service/tuning-host.js';
import { createTuningWorld, FROM_PAGE, type TuningWorld } from './tuning-world.js';
import { input as planInput, kernel, okSample } from '../tuning/plan-fixtures.js';
import { planTuning } from '../../../electron/node/tuning/plan.js';

const canRunAsRoot = process.getuid?.() === 0;
let w: TuningWorld | null = null;
afterEach(async () => {
  await w?.close();
  w = null;
});

const status = (e: MonitorEvent): TuningSession | null => (e.event === 'tuningStatus' ? e.data : null);

describe('planning and review (no privileges needed)', () => {
  it('offers a plan by id with its steps, what needs what, and whether applying is allowed', async () => {
    w = await createTuningWorld({ allowApply: false });
    const v = await w.ok<TuningPlanView>('getTuningPlan', {});
    expect(v.planId).toMatch(/^plan-[0-9a-f]{20}$/);
    expect(v.plan.kernel.map((s) => s.id)).toEqual(['widen-range', 'tw-reuse']);
    expect(v.plan.advice[0]!.id).toBe('connection-reuse');
    expect(v.sample?.severity).toBe('critical');
    expect(v.apply).toMatchObject({ allowed: false, reason: DEFAULT_DISABLED_REASON, elevation: 'direct' });
    // The same system gives the same id.
    expect((await w.ok<TuningPlanView>('getTuningPlan', {})).planId).toBe(v.planId);
  });

  it('reviews only the chosen steps: settings, the drop-in diff, who wins at boot, the command and a by-hand version', async () => {
    w = await createTuningWorld({ allowApply: false });
    const v = await w.ok<TuningPlanView>('getTuningPlan', {});
    const r = await w.ok<TuningReview>('reviewTuning', { planId: v.planId, steps: ['widen-range'] });
    expect(r.settings).toEqual([{ key: 'net.ipv4.ip_local_port_range', current: '32768\t60999', proposed: '32768\t65535' }]);
    expect(r.files[0]!.path).toBe('/etc/sysctl.d/60-portwatch.conf');
    expect(r.files[0]!.diff.filter((l) => l.startsWith('+'))).toContain('+net.ipv4.ip_local_port_range = 32768 65535');
    expect(r.files[0]!.after).not.toContain('tcp_tw_reuse');
    expect(r.boot).toEqual([expect.objectContaining({ key: 'net.ipv4.ip_local_port_range', oursWins: true })]);
    expect(r.commands[0]!.argv.slice(-2)).toEqual(['apply', '/tmp/portwatch-plan-XXXXXX/plan.json']);
    expect(r.writes[0]).toEqual({ path: '/proc/sys/net/ipv4/ip_local_port_range', data: '32768\t65535\n' });
    expect(r.manual[0]).toBe('sysctl -w net.ipv4.ip_local_port_range="32768 65535"');
    expect(r.helperDocument).toEqual({ kind: 'portwatch-helper-plan', schema: 1, settings: [{ key: 'net.ipv4.ip_local_port_range', low: 32768, high: 65535 }], confirmTimeoutSec: 60 });
    expect([r.whatIf.before.capacity.usable, r.whatIf.after.capacity.usable]).toEqual([28232, 32768]);
  });

  it('names the culprit of a bad choice: an unknown step, an unknown plan', async () => {
    w = await createTuningWorld({ allowApply: false });
    const v = await w.ok<TuningPlanView>('getTuningPlan', {});
    const bad = await w.call('reviewTuning', { planId: v.planId, steps: ['widen-range', 'tw-recycle'] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request', message: 'request.params.steps[1]: "tw-recycle" is not a step of this plan; it offers "widen-range", "tw-reuse"' } });
    const gone = await w.call('reviewTuning', { planId: 'plan-00000000000000000000', steps: ['widen-range'] });
    expect(gone).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('fetch the plan again') } });
  });
});

describe.skipIf(!canRunAsRoot)('applying (the real helper, run directly as root)', () => {
  it('refuses every state-changing request when applying is off, saying how to turn it on, and writes nothing', async () => {
    w = await createTuningWorld({ allowApply: false, disabledReason: 'Started without --allow-apply: restart with it.' });
    const v = await w.ok<TuningPlanView>('getTuningPlan', {});
    const requests: [string, unknown][] = [
      ['applyTuning', { planId: v.planId, steps: ['widen-range'] }],
      ['writeTuningTerminal', { sessionId: 'ts-0123456789ab', data: 'x' }],
      ['resizeTuningTerminal', { sessionId: 'ts-0123456789ab', cols: 80, rows: 24 }],
      ['keepTuning', { sessionId: 'ts-0123456789ab' }],
      ['revertTuning', { sessionId: 'ts-0123456789ab' }],
      ['revertTuning', { txid: '20261124T101500Z-a1b2c3' }],
    ];
    for (const [method, params] of requests) {
      const r = await w.call(method, params, FROM_PAGE);
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: `${method}: Started without --allow-apply: restart with it.` } });
    }
    expect(await w.readSysctl('ip_local_port_range')).toBe('32768\t60999\n');
    expect(w.events.filter((e) => e.event.startsWith('tuning'))).toEqual([]);
  });

  it('refuses a change from a channel the transport does not vouch for, even when applying is on', async () => {
    w = await createTuningWorld({ allowApply: true });
    const v = await w.ok<TuningPlanView>('getTuningPlan', {});
    expect(v.apply).toEqual({ allowed: true, reason: null, elevation: 'direct', elevationProblem: null });
    for (const ctx of [undefined, {}, { mayChange: false }]) {
      const r = await w.call('applyTuning', { planId: v.planId, steps: ['widen-range'] }, ctx);
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: `applyTuning: ${CHANNEL_CANNOT_CHANGE}` } });
    }
    expect(await w.readSysctl('ip_local_port_range')).toBe('32768\t60999\n');
  });

  it('applies the chosen steps: terminal stream without result lines, verified values, countdown, then keep', async () => {
    w = await createTuningWorld({ allowApply: true });
    const v = await w.ok<TuningPlanView>('getTuningPlan', {});
    const s = await w.ok<TuningSession>('applyTuning', { planId: v.planId, steps: ['widen-range', 'tw-reuse'], confirmTimeoutSec: 120 }, FROM_PAGE);
    expect(s).toMatchObject({ kind: 'apply', planId: v.planId, phase: 'applying', ended: false, elevation: 'direct' });
    expect(s.id).toMatch(/^ts-[0-9a-f]{12}$/);
    const awaiting = status(await w.waitFor((e) => status(e)?.verification?.ok === true))!;
    expect(awaiting.phase).toBe('awaiting-confirm');
    expect(awaiting.verification!.settings.map((x) => [x.key, x.now])).toEqual([
      ['net.ipv4.ip_local_port_range', '32768\t65535'],
      ['net.ipv4.tcp_tw_reuse', '1'],
    ]);
    expect(awaiting.deadline! - Date.now()).toBeGreaterThan(100_000);
    expect(awaiting.txid).toMatch(/^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    await w.waitFor((e) => e.event === 'tuningCountdown' && e.data.sessionId === s.id && e.data.secondsLeft > 100);
    // A second change is refused while this one awaits its decision.
    const second = await w.call('applyTuning', { planId: v.planId, steps: ['widen-range'] }, FROM_PAGE);
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('a change is in progress') } });

    const kept = await w.ok<TuningSession>('keepTuning', { sessionId: s.id }, FROM_PAGE);
    expect(kept).toMatchObject({ phase: 'kept', ended: true, deadline: null });
    expect(await w.readSysctl('ip_local_port_range')).toBe('32768\t65535\n');
    expect(await w.readSysctl('tcp_tw_reuse')).toBe('1\n');
    expect(await readFile(w.root.dropIn, 'utf8')).toContain('net.ipv4.ip_local_port_range = 32768 65535');

    const text = w.events.flatMap((e) => (e.event === 'tuningTerminal' && e.data.sessionId === s.id ? [e.data.data] : [])).join('');
    expect(text.startsWith(`$ ${s.display}`)).toBe(true);
    expect(text).toContain('Writing net.ipv4.ip_local_port_range = 32768 65535');
    expect(text).not.toContain('PORTWATCH-HELPER-RESULT');
    const seqs = w.events.flatMap((e) => (e.event === 'tuningTerminal' ? [e.data.seq] : []));
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    // A reloaded page gets the same terminal text back.
    const st = await w.ok<TuningStatus>('getTuningStatus', {});
    expect(st.session).toMatchObject({ id: s.id, phase: 'kept' });
    expect(st.terminal?.data).toBe(text);
    // A finished session takes no more input.
    expect(await w.call('writeTuningTerminal', { sessionId: s.id, data: 'keep\r' }, FROM_PAGE)).toMatchObject({ ok: false, error: { code: 'conflict' } });

    // The kept change can be reverted later by its transaction id: the old values come back exactly.
    const r = await w.ok<TuningSession>('revertTuning', { txid: kept.txid }, FROM_PAGE);
    expect(r).toMatchObject({ kind: 'revert', phase: 'reverting' });
    const done = status(await w.waitFor((e) => status(e)?.id === r.id && status(e)!.ended))!;
    expect(done.phase).toBe('reverted');
    expect(await w.readSysctl('ip_local_port_range')).toBe('32768\t60999\n');
    expect(await w.readSysctl('tcp_tw_reuse')).toBe('2\n');
  });

  it('reverts during the countdown on request: the old values are back exactly', async () => {
    w = await createTuningWorld({ allowApply: true });
    await w.writeSysctl('ip_local_reserved_ports', '61000\n');
    const v = await w.ok<TuningPlanView>('getTuningPlan', {});
    const s = await w.ok<TuningSession>('applyTuning', { planId: v.planId, steps: ['widen-range'] }, FROM_PAGE);
    await w.waitFor((e) => status(e)?.phase === 'awaiting-confirm');
    expect(await w.readSysctl('ip_local_port_range')).toBe('32768\t65535\n');
    const r = await w.ok<TuningSession>('revertTuning', { sessionId: s.id }, FROM_PAGE);
    expect(r).toMatchObject({ phase: 'reverted', ended: true });
    expect(await w.readSysctl('ip_local_port_range')).toBe('32768\t60999\n');
    expect(await w.readSysctl('ip_local_reserved_ports')).toBe('61000\n');
    expect(w.events.some((e) => status(e)?.phase === 'reverting')).toBe(true);
  });

  it('refuses a plan the system has moved away from, and writes nothing', async () => {
    w = await createTuningWorld({ allowApply: true });
    const v = await w.ok<TuningPlanView>('getTuningPlan', {});
    await w.writeSysctl('ip_local_port_range', '40000\t40049\n');
    const r = await w.call('applyTuning', { planId: v.planId, steps: ['widen-range'] }, FROM_PAGE);
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict', message: 'the system changed since this plan was made: net.ipv4.ip_local_port_range is now 40000 40049 (the plan was made when it was 32768 60999); fetch the plan again' } });
    expect(await w.readSysctl('ip_local_port_range')).toBe('40000\t40049\n');
  });

  it('applies the reviewed change when the pressure has ended (or the latest reading failed) by the time Apply is pressed', async () => {
    for (const after of [okSample(), null]) {
      await w?.close();
      w = await createTuningWorld({ allowApply: true });
      const v = await w.ok<TuningPlanView>('getTuningPlan', {});
      expect(v.plan.kernel.map((s) => s.id)).toContain('widen-range');
      // The burst is over (or the latest reading failed): planned now, nothing would call for relief …
      w.inputOver.sample = after;
      expect(planTuning(planInput({ sample: after })).kernel).toEqual([]);
      // … but the change reviewed during the burst is applied: the values it rests on still hold.
      const s = await w.ok<TuningSession>('applyTuning', { planId: v.planId, steps: ['widen-range', 'tw-reuse'] }, FROM_PAGE);
      await w.waitFor((e) => status(e)?.id === s.id && status(e)?.phase === 'awaiting-confirm');
      expect(await w.readSysctl('ip_local_port_range')).toBe('32768\t65535\n');
      // The TIME-WAIT reuse value follows the churn that was reviewed (toward a remote destination: 1).
      expect(await w.readSysctl('tcp_tw_reuse')).toBe('1\n');
      expect(await w.ok<TuningSession>('revertTuning', { sessionId: s.id }, FROM_PAGE)).toMatchObject({ phase: 'reverted', ended: true });
      expect(await w.readSysctl('ip_local_port_range')).toBe('32768\t60999\n');
      expect(await w.readSysctl('tcp_tw_reuse')).toBe('2\n');
    }
  });

  it('refuses when a setting the change rests on cannot be read at Apply, in the planner\'s words', async () => {
    w = await createTuningWorld({ allowApply: true });
    const v = await w.ok<TuningPlanView>('getTuningPlan', {});
    w.inputOver.kernel = kernel({ portRange: null, reservedPorts: [], twReuse: 2 });
    const r = await w.call('applyTuning', { planId: v.planId, steps: ['widen-range'] }, FROM_PAGE);
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('no longer offers "Widen the ephemeral range from 32768–60999 to 32768–65535": The current range could not be read, so no wider one is proposed.') } });
    expect(await w.readSysctl('ip_local_port_range')).toBe('32768\t60999\n');
  });

  it('inside a container offers the pod snippet and refuses to apply', async () => {
    w = await createTuningWorld({ allowApply: true });
    w.inputOver.environment = { container: true, kind: 'kubernetes', evidence: ['KUBERNETES_SERVICE_HOST is set'] };
    const v = await w.ok<TuningPlanView>('getTuningPlan', {});
    expect(v.plan.helperPlan).toBeNull();
    expect(v.plan.containerSnippets?.kubernetes).toContain('securityContext:');
    const review = await w.ok<TuningReview>('reviewTuning', { planId: v.planId, steps: ['widen-range'] });
    expect(review.containerSnippets?.kubernetes).toContain('- name: net.ipv4.ip_local_port_range\n        value: "32768 65535"');
    expect(review.commands).toEqual([]);
    expect(review.manual).toEqual([]);
    const r = await w.call('applyTuning', { planId: v.planId, steps: ['widen-range'] }, FROM_PAGE);
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('inside a container') } });
    expect(await w.readSysctl('ip_local_port_range')).toBe('32768\t60999\n');
  });

  it('says why applying cannot work when the helper cannot get root', async () => {
    w = await createTuningWorld({ allowApply: true, runnerProblem: 'changing kernel settings needs root: run Portwatch as root, or install polkit (pkexec) with Portwatch\'s policy, or sudo' });
    const v = await w.ok<TuningPlanView>('getTuningPlan', {});
    expect(v.apply.allowed).toBe(false);
    expect(v.apply.reason).toMatch(/^Applying is on, but the helper cannot get root here: changing kernel settings needs root/);
    const r = await w.call('applyTuning', { planId: v.planId, steps: ['widen-range'] }, FROM_PAGE);
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    const review = await w.ok<TuningReview>('reviewTuning', { planId: v.planId, steps: ['widen-range'] });
    expect(review.commands).toEqual([]);
    expect(review.manual[0]).toBe('sysctl -w net.ipv4.ip_local_port_range="32768 65535"');
  });
});
