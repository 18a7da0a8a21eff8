// A SIGKILL at every named step of every transaction path (apply, keep, revert, undo of a kept change),
// on a real kernel in a namespace: after `recover`, the system is fully old or fully new, with no
// journal or temporary file left, and it is the one the journal's rule says (confirmed → new, else old).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { ALL_STEPS, APPLY_STEPS, CONFIRM_STEPS, REVERT_STEPS, UNDO_STEPS } from '../../electron/helper/checkpoints.js';
import { renderDropIn } from '../../electron/helper/drop-in.js';
import type { HelperPlanDocument } from '../../electron/common/tuning.js';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace } from '../netns/netns.js';
import { createTestRoot, helperBundle, runHelperToEnd, startHelper, type TestRoot } from './helper-process.js';
import { leftovers, readWorld, resetWorld, type World } from './world.js';

const PLAN: HelperPlanDocument = {
  kind: 'portwatch-helper-plan',
  schema: 1,
  settings: [
    { key: 'net.ipv4.ip_local_reserved_ports', ranges: [{ low: 40100, high: 40100 }] },
    { key: 'net.ipv4.ip_local_port_range', low: 32768, high: 65535 },
    { key: 'net.ipv4.tcp_tw_reuse', value: 1 },
  ],
  confirmTimeoutSec: 60,
};
const PREVIOUS_DROP_IN = '# kept by an earlier change\nvm.swappiness = 10\n';

describeNetns('a kill at every step ends fully old or fully new after recover', () => {
  let ns: Namespace;
  let root: TestRoot;
  const killed = new Set<string>();
  const old = (dropIn: string | null): World => ({ range: '32768 60999', reserved: '', twReuse: '2', dropIn });
  const fresh = (dropIn: string | null): World => ({ range: '32768 65535', reserved: '40100', twReuse: '1', dropIn: renderDropIn(dropIn, PLAN.settings) });

  beforeAll(async () => {
    await helperBundle();
    ns = await createNamespace('kill');
    root = await createTestRoot();
  });
  afterAll(async () => {
    await ns?.destroy();
    await root?.remove();
    // Every named step was actually reached and killed in some run below.
    expect([...ALL_STEPS].filter((s) => !killed.has(s))).toEqual([]);
  });

  async function start(dropIn: string | null): Promise<void> {
    await resetWorld(ns, root, old(null));
    if (dropIn !== null) await writeFile(root.dropIn, dropIn);
    expect(await readWorld(ns, root)).toEqual(old(dropIn));
  }

  /** Runs argv with the kill hook; records the step when the helper died of it. */
  async function runKilled(argv: string[], step: string): Promise<boolean> {
    const r = await runHelperToEnd(argv, { ns, env: { ...root.env, PORTWATCH_HELPER_KILL_AT: step }, timeoutMs: 20_000 });
    if (r.signal === 'SIGKILL') killed.add(step);
    return r.signal === 'SIGKILL';
  }

  async function recoverAndRead(): Promise<World> {
    const r = await runHelperToEnd(['recover'], { ns, env: root.env });
    expect(r.code, r.output).toBe(0);
    expect(await leftovers(root)).toEqual([]);
    return readWorld(ns, root);
  }

  async function applyWaiting(): Promise<{ txid: string; holder: Awaited<ReturnType<typeof startHelper>> }> {
    const holder = await startHelper(['apply', await root.writePlan(PLAN)], { ns, env: root.env });
    const r = await holder.waitForResult((x) => x.outcome === 'awaiting-confirm', 20_000);
    return { txid: r.txid!, holder };
  }

  for (const dropIn of [null, PREVIOUS_DROP_IN]) {
    const label = dropIn === null ? 'no earlier drop-in' : 'an earlier drop-in';

    it.each(APPLY_STEPS.map((s) => [s]))(`apply killed at %s (${label}) ends fully old`, async (step) => {
      await start(dropIn);
      const died = await runKilled(['apply', await root.writePlan(PLAN)], step);
      expect(died).toBe(true);
      expect(await recoverAndRead()).toEqual(old(dropIn));
    });

    it.each(CONFIRM_STEPS.map((s) => [s]))(`confirm killed at %s (${label}) ends as the journal says`, async (step) => {
      await start(dropIn);
      const { txid, holder } = await applyWaiting();
      expect(await runKilled(['confirm', txid], step)).toBe(true);
      holder.kill('SIGKILL');
      await holder.wait();
      // Confirmed in the journal → fully new; not yet → fully old.
      expect(await recoverAndRead()).toEqual(step === 'confirm-journaled' ? fresh(dropIn) : old(dropIn));
    });

    it.each(REVERT_STEPS.map((s) => [s]))(`revert killed at %s (${label}) ends fully old`, async (step) => {
      await start(dropIn);
      const { txid, holder } = await applyWaiting();
      const died = await runKilled(['revert', txid], step);
      holder.kill('SIGKILL');
      await holder.wait();
      // Restoring a file passes the temp/rename steps, removing one the "removed" step.
      const reachable = dropIn === null ? !/persist-(temp-written|renamed)/.test(step) : step !== 'revert-persist-removed';
      expect(died).toBe(reachable);
      expect(await recoverAndRead()).toEqual(old(dropIn));
    });

    it.each(UNDO_STEPS.map((s) => [s]))(`undo of a kept change killed at %s (${label}) ends fully kept or fully undone`, async (step) => {
      await start(dropIn);
      const { txid, holder } = await applyWaiting();
      holder.type('keep');
      await holder.waitForResult((x) => x.outcome === 'kept', 20_000);
      await holder.wait();
      const died = await runKilled(['revert', txid], step);
      const reachable = dropIn === null ? !/persist-(temp-written|renamed)/.test(step) : step !== 'persist-removed';
      expect(died).toBe(reachable);
      // The undo is a transaction of its own: interrupted → its "before" (the kept values) comes back.
      expect(await recoverAndRead()).toEqual(died ? fresh(dropIn) : old(dropIn));
    });
  }
});
