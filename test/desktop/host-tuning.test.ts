// The tuning wizard on a remote host's page, through that host's own monitor in the desktop app
// (HostMonitors), against a real sshd in a namespace whose 10-port range a client exhausted (its
// /etc/sysctl.d and Portwatch's remote state directory are private tmpfs mounts: the "remote host's"
// drop-in is not this machine's). The kernel is the oracle: every value is read from the server
// namespace's own sysctls. The plan is that host's; the review shows the exact ssh command; apply runs the
// fixed remote script in the session's terminal and verifies over ssh; keep is a second run in the same
// terminal, and the value stays past the countdown; a revert by transaction id restores it; an apply
// nobody answers is reverted by the host itself, and the session says so from the values read back.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RESULT_SCHEMAS, type MethodName, type MonitorEvent, type TuningPlanView, type TuningReview, type TuningSession } from '../../electron/common/contract.js';
import { validate, type Schema } from '../../electron/common/schema.js';
import { DROP_IN_PATH } from '../../electron/common/tuning.js';
import { HostMonitors } from '../../electron/desktop/host-monitors.js';
import { REMOTE_TUNE_DIR } from '../../electron/node/remote/remote-tune-script.js';
import { createSshRunner } from '../../electron/node/remote/ssh-command.js';
import type { MonitorService } from '../../electron/node/service/monitor-service.js';
import { describeNetns } from '../netns/describe-netns.js';
import { exhaustRemote } from '../remote/remote-exhaustion.js';
import { startSshdPair, type SshdPair } from '../remote/sshd-pair.js';

const OLD_RANGE = '40000 40009';
// Long enough to apply, verify over ssh and keep (a second ssh -t run) on a loaded machine.
const COUNTDOWN_SEC = 25;

const until = async <T>(what: string, get: () => T | undefined | false | null, ms: number): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined && v !== false && v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

describeNetns('the tuning wizard on a remote host\'s page (real sshd, real ssh -t, the kernel as the oracle)', () => {
  let pair: SshdPair;
  let monitors: HostMonitors;
  let service: MonitorService;
  const events: MonitorEvent[] = [];

  beforeAll(async () => {
    mkdirSync(REMOTE_TUNE_DIR, { recursive: true, mode: 0o700 });
    pair = await startSshdPair('htune', { privateDirs: ['/etc/sysctl.d', REMOTE_TUNE_DIR] });
    await exhaustRemote(pair); // 10 connects hold the whole 10-port range: the plan proposes a wider one
    const inNamespace = ['/usr/sbin/ip', 'netns', 'exec', pair.client.name];
    const host = `root@${pair.serverAddress}`;
    // assumeHost: the "remote host" is this machine's namespace, and this machine may look like a container.
    monitors = new HostMonitors({ controlDir: join(mkdtempSync(join(pair.dir, 'ctl-')), 'c'), version: 'test', sshConfig: pair.keyConfig, runner: createSshRunner(inNamespace), loginLauncher: inNamespace, assumeHost: true });
    void monitors.sync([host]);
    await until('the exhausted host', () => monitors.readings()[0]?.sample?.severity === 'exhausted', 90_000);
    service = monitors.service(host)!;
    service.subscribe((e) => events.push(e));
  }, 150_000);

  afterAll(async () => {
    await monitors?.close();
    await pair?.close();
  }, 30_000);

  let id = 0;
  async function ask<T>(method: MethodName, params: unknown): Promise<T> {
    const r = await service.handle({ id: ++id, method, params }, { mayChange: true });
    if (!r.ok) throw new Error(`${method}: ${r.error.code}: ${r.error.message}`);
    // What the page would accept: the contract's schema of the result.
    expect(validate(RESULT_SCHEMAS[method] as Schema<unknown>, JSON.parse(JSON.stringify(r.result)), `${method} result`)).toMatchObject({ ok: true });
    return r.result as T;
  }
  const range = () => pair.server.readSysctl('net.ipv4.ip_local_port_range');
  const sessionEvents = (sessionId: string) => events.filter((e): e is Extract<MonitorEvent, { event: 'tuningStatus' }> => e.event === 'tuningStatus' && e.data.id === sessionId).map((e) => e.data);
  const terminal = (sessionId: string) =>
    events
      .filter((e): e is Extract<MonitorEvent, { event: 'tuningTerminal' }> => e.event === 'tuningTerminal' && e.data.sessionId === sessionId)
      .map((e) => e.data.data)
      .join('');
  const phase = async (sessionId: string, wanted: TuningSession['phase'], ms: number): Promise<TuningSession> => until(`phase ${wanted}`, () => sessionEvents(sessionId).find((s) => s.phase === wanted), ms);

  async function planAndApply(): Promise<{ session: TuningSession; proposed: string }> {
    const view = await ask<TuningPlanView>('getTuningPlan', {});
    expect(view.apply).toMatchObject({ allowed: true, elevation: 'direct' });
    const step = view.plan.kernel.find((s) => s.id === 'widen-range');
    expect(step, JSON.stringify(view.plan.kernel.map((s) => s.id))).toBeDefined();
    const proposed = step!.proposed;
    const steps = [step!.id, ...(view.requires.find((r) => r.step === step!.id)?.needs ?? [])];
    const review = await ask<TuningReview>('reviewTuning', { planId: view.planId, steps, confirmTimeoutSec: COUNTDOWN_SEC });
    // The exact command: the user's ssh with a terminal, the fixed script by its hash, numbers only.
    expect(review.commands).toHaveLength(1);
    expect(review.commands[0]!.display).toMatch(new RegExp(`^/usr/bin/ssh .* -t -- ${pair.serverAddress.replace(/\./g, '\\.')} sh -c '<the fixed Portwatch remote script, sha256 [0-9a-f]{16}…>' portwatch-tune apply ${COUNTDOWN_SEC} TXID range \\d+ \\d+$`));
    const session = await ask<TuningSession>('applyTuning', { planId: view.planId, steps, confirmTimeoutSec: COUNTDOWN_SEC });
    return { session, proposed };
  }

  it('apply → verified over ssh → keep: the new range stays past the countdown; a revert by transaction id restores it', async () => {
    expect(await range()).toBe(OLD_RANGE);
    const { session, proposed } = await planAndApply();
    const awaiting = await phase(session.id, 'awaiting-confirm', 60_000);
    expect(await range()).toBe(proposed.replace(/\s+/g, ' '));
    const verified = await until('the values read back', () => sessionEvents(session.id).find((s) => s.verification !== null)?.verification, 30_000);
    expect(verified.ok).toBe(true);
    const kept = await ask<TuningSession>('keepTuning', { sessionId: session.id });
    const final = kept.ended ? kept : await until('the end', () => sessionEvents(session.id).find((s) => s.ended), 60_000);
    expect(final.phase).toBe('kept');
    // The keep step ran in the same terminal, after the apply.
    expect(terminal(session.id)).toMatch(/\$ \/usr\/bin\/ssh .* portwatch-tune apply [\s\S]*\$ \/usr\/bin\/ssh .* portwatch-tune confirm \d{8}T\d{6}Z-[0-9a-f]{6}/);
    // Past the countdown, the kernel still holds the new range: the keep cancelled the host's timer.
    await new Promise((r) => setTimeout(r, Math.max(0, (awaiting.deadline ?? Date.now()) - Date.now()) + 3000));
    expect(await range()).toBe(proposed.replace(/\s+/g, ' '));
    expect((await pair.execAsRemote(['cat', DROP_IN_PATH])).stdout).toContain('net.ipv4.ip_local_port_range');

    const reverted = await ask<TuningSession>('revertTuning', { txid: final.txid });
    const done = reverted.ended ? reverted : await until('the revert', () => sessionEvents(reverted.id).find((s) => s.ended), 60_000);
    expect(done.phase).toBe('reverted');
    expect(await range()).toBe(OLD_RANGE);
    expect((await pair.execAsRemote(['cat', DROP_IN_PATH])).code).not.toBe(0);
  }, 240_000);

  it('apply and no answer: the host reverts by itself, and the session ends reverted from the values read back', async () => {
    expect(await range()).toBe(OLD_RANGE);
    // The plan rests on the monitor's own reading for the pressure: wait for one taken since the revert.
    await until('a reading of the narrow range, exhausted', () => {
      const s = monitors.readings()[0]?.sample;
      return s?.severity === 'exhausted' && s.kernel.portRange?.high === 40009;
    }, 120_000);
    const { session, proposed } = await planAndApply();
    await phase(session.id, 'awaiting-confirm', 60_000);
    expect(await range()).toBe(proposed.replace(/\s+/g, ' '));
    const final = await until('the countdown to run out', () => sessionEvents(session.id).find((s) => s.ended), (COUNTDOWN_SEC + 40) * 1000);
    expect(final.phase).toBe('reverted');
    expect(final.message).toBe('The countdown ran out: the remote host put the old values back (read back over ssh).');
    expect(await range()).toBe(OLD_RANGE);
  }, 240_000);
});
