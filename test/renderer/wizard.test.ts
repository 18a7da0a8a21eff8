// The tuning wizard's steps in jsdom, against the real contract: a MonitorService whose tuning host plans
// for a test machine (and, as root, runs the real helper on a proc root of plain files). Driven through
// the DOM: what each step says, what can be chosen, what is disabled and why, the terminal, the countdown,
// keep and revert.
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import Harness from './wizard-harness.svelte';
import { ServiceTransport } from './wizard-transport.js';
import { PortwatchClient } from '../../renderer/src/api/client.js';
import { MonitorState } from '../../renderer/src/state/monitor.svelte.js';
import { WizardState } from '../../renderer/src/wizard/wizard-state.svelte.js';
import { DEFAULT_DISABLED_REASON } from '../../electron/node/service/tuning-host.js';
import { createTuningWorld, type TuningWorld } from '../node/service/tuning-world.js';
import { kernel } from '../node/tuning/plan-fixtures.js';
import { makeSample } from '../node/service/make-sample.js';

const canRunAsRoot = process.getuid?.() === 0;

interface Setup {
  w: TuningWorld;
  el: HTMLElement;
  wizard: WizardState;
  monitor: MonitorState;
  closed: () => number;
}

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
  document.body.innerHTML = '';
});

async function setup(o: Parameters<typeof createTuningWorld>[0], prepare?: (w: TuningWorld) => Promise<void> | void): Promise<Setup> {
  const w = await createTuningWorld(o);
  cleanups.push(() => w.close());
  await prepare?.(w);
  const client = new PortwatchClient(new ServiceTransport(w.service, { mayChange: true }));
  const monitor = new MonitorState(client);
  const wizard = new WizardState(client);
  let closed = 0;
  const el = document.createElement('div');
  document.body.appendChild(el);
  const m = mount(Harness, { target: el, props: { wizard, monitor, onClose: () => closed++ } });
  cleanups.push(() => {
    unmount(m);
    wizard.dispose();
  });
  await wizard.open();
  flushSync();
  return { w, el, wizard, monitor, closed: () => closed };
}

/** Polls (flushing Svelte) until `ok` holds. */
async function until(ok: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    flushSync();
    if (ok()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const q = (el: HTMLElement, id: string) => el.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const text = (el: HTMLElement, id: string) => q(el, id)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const click = async (el: HTMLElement, id: string): Promise<void> => {
  const b = q(el, id) as HTMLButtonElement | null;
  if (!b) throw new Error(`no ${id}`);
  expect(b.disabled).toBe(false);
  b.click();
  await Promise.resolve();
  flushSync();
};

describe('the tuning wizard (planning and review)', () => {
  it('explains what is happening with the numbers, then offers the cure first and the kernel steps after', async () => {
    const { el, wizard } = await setup({ allowApply: false });
    expect(text(el, 'step-title')).toBe('1. What is happening');
    expect(text(el, 'wizard-severity')).toContain('critical');
    expect(text(el, 'wizard-worst')).toBe('24,000 of 28,232 usable ports in use (85.0 %)');
    expect(text(el, 'wizard-usable')).toBe('28,232');
    expect(el.textContent).toContain('= the range 32768–60999 (28,232 ports) − 0 reserved − 0 held');
    expect(text(el, 'plan-summary')).toMatch(/^The plan: 2 application fixes \(the cure\) and 2 kernel changes \(relief\)/);
    await click(el, 'next-button');
    await until(() => wizard.step === 'choose', 'the choose step');
    const advice = q(el, 'advice')!;
    const firstStep = q(el, 'kernel-step')!;
    // The cure comes before the relief.
    expect(advice.compareDocumentPosition(firstStep) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const steps = [...el.querySelectorAll<HTMLElement>('[data-testid="kernel-step"]')];
    expect(steps.map((s) => s.dataset.step)).toEqual(['widen-range', 'tw-reuse']);
    expect(text(steps[0]!, 'step-current')).toBe('32768 60999');
    expect(text(steps[0]!, 'step-proposed')).toBe('32768 65535');
    expect(text(steps[0]!, 'step-effect')).toContain('usable ports per destination 28,232 → 32,768');
    expect(text(steps[1]!, 'step-effect')).toContain('holds its port 60 s → 1 s');
    expect(steps[1]!.textContent).toContain('Risks (3)');
  });

  it('reviews only what was chosen: the setting diff, the drop-in, who wins at boot, the command; Apply is off and says how to turn it on', async () => {
    const { el, wizard } = await setup({ allowApply: false });
    await wizard.goTo('choose');
    flushSync();
    const tw = el.querySelector<HTMLInputElement>('[data-step="tw-reuse"] input[type="checkbox"]')!;
    tw.click();
    flushSync();
    expect(wizard.chosen).toEqual(['widen-range']);
    await click(el, 'next-button');
    await until(() => wizard.review !== null, 'the review');
    expect(text(el, 'review-settings')).toBe('net.ipv4.ip_local_port_range: 32768 60999 → 32768 65535');
    expect(text(el, 'review-file-diff')).toContain('+net.ipv4.ip_local_port_range = 32768 65535');
    expect(text(el, 'review-file-diff')).not.toContain('tcp_tw_reuse');
    expect(text(el, 'review-boot')).toContain('/etc/sysctl.d/60-portwatch.conf wins at boot');
    expect(text(el, 'review-command')).toMatch(/ apply \/tmp\/portwatch-plan-XXXXXX\/plan\.json$/);
    expect(text(el, 'review-manual')).toContain('sysctl -w net.ipv4.ip_local_port_range="32768 65535"');
    const apply = q(el, 'apply-button') as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    expect(apply.getAttribute('aria-describedby')).toBe('apply-why');
    expect(text(el, 'apply-disabled-reason')).toBe(DEFAULT_DISABLED_REASON);
  });

  it('keeps steps that must go together together', async () => {
    const { el, wizard } = await setup({ allowApply: false }, (w) => {
      // A service listens on 40000: widening 45000–60999 down to 32768 must reserve it first.
      w.inputOver.kernel = kernel({ portRange: { low: 45000, high: 60999 } });
      w.inputOver.listeningPorts = [40000];
    });
    await wizard.goTo('choose');
    flushSync();
    const box = (id: string) => el.querySelector<HTMLInputElement>(`[data-step="${id}"] input[type="checkbox"]`)!;
    expect(wizard.chosen).toEqual(['reserve-listeners', 'widen-range', 'tw-reuse']);
    expect(el.querySelector('[data-step="reserve-listeners"]')!.textContent).toContain('Needed by widen-range');
    box('reserve-listeners').click();
    flushSync();
    expect(wizard.chosen).toEqual(['tw-reuse']);
    expect(box('widen-range').checked).toBe(false);
    box('widen-range').click();
    flushSync();
    expect(wizard.chosen).toEqual(['reserve-listeners', 'widen-range', 'tw-reuse']);
  });

  it('inside a container shows the pod securityContext.sysctls snippet instead of an Apply button', async () => {
    const { el, wizard } = await setup({ allowApply: true }, (w) => {
      w.inputOver.environment = { container: true, kind: 'kubernetes', evidence: ['KUBERNETES_SERVICE_HOST is set'] };
    });
    await wizard.goTo('review');
    await until(() => wizard.review !== null, 'the review');
    expect(text(el, 'pod-snippet')).toContain('securityContext: sysctls: - name: net.ipv4.ip_local_port_range value: "32768 65535"');
    expect(q(el, 'apply-button')).toBeNull();
    expect(q(el, 'review-command')).toBeNull();
  });

  it('cannot skip ahead: apply, verify and keep stay locked before anything ran', async () => {
    const { el } = await setup({ allowApply: true });
    for (const id of ['apply', 'verify', 'keep']) expect((q(el, `step-${id}`) as HTMLButtonElement).disabled).toBe(true);
    expect((q(el, 'step-diagnosis') as HTMLButtonElement).getAttribute('aria-current')).toBe('step');
  });
});

describe.skipIf(!canRunAsRoot)('the tuning wizard (applying through the real helper, run directly as root)', () => {
  it('applies: the terminal shows the helper, the values are read back, live use before and after, then keep', async () => {
    const { el, wizard, w } = await setup({ allowApply: true });
    await wizard.goTo('review');
    await until(() => wizard.review !== null, 'the review');
    const select = q(el, 'confirm-timeout') as HTMLSelectElement;
    select.value = '120';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => wizard.review?.helperDocument?.confirmTimeoutSec === 120, 'the review with a 120 s countdown');
    expect(text(el, 'review-command')).toBeTruthy();
    expect(el.textContent).toContain('reverts after 120 s unless you keep them');
    await click(el, 'apply-button');
    await until(() => wizard.step === 'apply', 'the apply step');
    await until(() => text(el, 'terminal-text').includes('Writing net.ipv4.ip_local_port_range = 32768 65535'), 'the helper output in the terminal');
    expect(text(el, 'terminal-text')).not.toContain('PORTWATCH-HELPER-RESULT');
    expect(text(el, 'terminal-text').startsWith('$ ')).toBe(true);
    await until(() => wizard.session?.verification?.ok === true, 'the verification');
    expect(text(el, 'session-phase')).toContain('Applied and read back');
    expect(text(el, 'countdown')).toMatch(/^(1[01]\d|120) s until the old values come back/);

    await click(el, 'next-button');
    await until(() => wizard.step === 'verify', 'the verify step');
    expect([...q(el, 'verification')!.querySelectorAll('li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim())).toEqual([
      '✓ net.ipv4.ip_local_port_range = 32768 65535',
      '✓ net.ipv4.tcp_tw_reuse = 1',
    ]);
    expect(text(el, 'after-usable')).toBe('… (expected 32,768)');
    // The monitor's next sample, taken after the change, shows the new capacity.
    const after = makeSample(Date.now() + 1000, 24_000, { kernel: { ...makeSample(0).kernel, portRange: { low: 32768, high: 65535 } }, capacity: { rangeSize: 32768, reserved: 0, heldByListeners: 0, usable: 32768 } });
    w.sampler.emitSample(after);
    await until(() => text(el, 'after-range') === '32768–65535', 'the after column');
    expect(text(el, 'after-usable')).toBe('32,768 (expected 32,768)');

    await click(el, 'next-button');
    await until(() => wizard.step === 'keep', 'the keep step');
    await click(el, 'keep-button');
    await until(() => wizard.session?.ended === true, 'the end of the session');
    expect(text(el, 'final-outcome')).toBe('Kept: the new values stay.');
    expect(text(el, 'persisted')).toContain('/etc/sysctl.d/60-portwatch.conf, which wins at boot');
    const cells = [...q(el, 'final-changes')!.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));
    expect(cells[0]).toEqual(['net.ipv4.ip_local_port_range', '32768 60999', '32768 65535', '32768 65535']);
    expect(await w.readSysctl('ip_local_port_range')).toBe('32768\t65535\n');
  });

  it('reverts on request: the old values are back exactly and the wizard says so', async () => {
    const { el, wizard, w } = await setup({ allowApply: true });
    await wizard.goTo('review');
    await until(() => wizard.review !== null, 'the review');
    await click(el, 'apply-button');
    await until(() => wizard.session?.phase === 'awaiting-confirm', 'the countdown');
    await wizard.goTo('keep');
    flushSync();
    await click(el, 'revert-button');
    await until(() => wizard.session?.ended === true, 'the end of the session');
    expect(text(el, 'final-outcome')).toBe('Reverted: the old values are back.');
    expect(await w.readSysctl('ip_local_port_range')).toBe('32768\t60999\n');
    expect(await w.readSysctl('tcp_tw_reuse')).toBe('2\n');
  });

  it('says when the system changed behind the plan, and fetches a fresh one on request', async () => {
    const { el, wizard, w } = await setup({ allowApply: true });
    await wizard.goTo('review');
    await until(() => wizard.review !== null, 'the review');
    await w.writeSysctl('ip_local_port_range', '40000\t40049\n');
    await click(el, 'apply-button');
    await until(() => wizard.error !== null, 'the refusal');
    expect(text(el, 'wizard-error')).toContain('the system changed since this plan was made: net.ipv4.ip_local_port_range is now 40000 40049');
    expect(await w.readSysctl('ip_local_port_range')).toBe('40000\t40049\n');
    const again = [...q(el, 'wizard-error')!.querySelectorAll('button')].find((b) => b.textContent === 'Fetch the plan again')!;
    again.click();
    await until(() => wizard.step === 'diagnosis' && wizard.error === null && wizard.view?.plan.kernel[0]?.current === '40000\t40049', 'a fresh plan');
  });

  it('comes back to a change in progress after a reload: verify step, same terminal text', async () => {
    const first = await setup({ allowApply: true });
    await first.wizard.goTo('review');
    await until(() => first.wizard.review !== null, 'the review');
    await click(first.el, 'apply-button');
    await until(() => first.wizard.session?.phase === 'awaiting-confirm', 'the countdown');
    // A second page on the same monitor (a reload).
    const client = new PortwatchClient(new ServiceTransport(first.w.service, { mayChange: true }));
    const again = new WizardState(client);
    cleanups.push(() => again.dispose());
    await again.open();
    expect(again.step).toBe('verify');
    expect(again.session?.id).toBe(first.wizard.session?.id);
    expect(again.transcript).toBe(first.wizard.transcript);
    await first.wizard.revert();
  });
});
