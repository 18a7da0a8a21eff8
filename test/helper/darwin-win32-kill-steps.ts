// A SIGKILL at every named step of every transaction path (apply, keep, revert, undo of a kept change)
// for the macOS and Windows stores: the real helper runs as a process (bundled, with a fake command
// runner whose kernel lives in a JSON file), is killed by the checkpoint hook, and `recover` in a fresh
// process must end fully old or fully new, as the journal's rule says, with no journal or temporary file
// left. Used by darwin-kill-recovery.test.ts and win32-kill-recovery.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ALL_STEPS, APPLY_STEPS, CONFIRM_STEPS, REVERT_STEPS, UNDO_STEPS } from '../../electron/helper/checkpoints.js';
import type { HelperPlanDocument } from '../../electron/common/tuning.js';
import { FIXTURES_DIR } from './darwin-fake-system.js';
import { bundleScript, createTestRoot, runHelperToEnd, startHelper, type TestRoot } from './helper-process.js';

/** One platform's world: its fake system state and its persistence file. */
export interface KillCase<V> {
  platform: 'darwin' | 'win32';
  plan: HelperPlanDocument;
  /** The system before, for each variant (with or without an earlier persistence file / value). */
  variants: { label: string; values: V; persisted: string | null }[];
  /** The values after the plan is applied. */
  after(values: V): V;
  /** The persistence file after the plan (null: the platform has none). */
  persistedAfter(before: string | null): string | null;
  /** Where the persistence file lives under the configuration root (null: none). */
  persistencePath: string | null;
}

const canRun = process.getuid?.() === 0;

/** Declares the kill-at-every-step suite for one platform. */
export function describeKillRecovery<V>(c: KillCase<V>): void {
  describe.skipIf(!canRun)(`${c.platform}: a kill at every step ends fully old or fully new after recover${canRun ? '' : ' (skipped: needs root, the helper accepts plan files owned by root or by who elevated it)'}`, () => {
    let root: TestRoot;
    let bundle: string;
    let stateFile: string;
    const killed = new Set<string>();
    const reachable = new Set<string>();

    beforeAll(async () => {
      bundle = await bundleScript(fileURLToPath(new URL('./darwin-win32-fake-helper.ts', import.meta.url)), `fake-helper-${c.platform}`);
      root = await createTestRoot();
      stateFile = join(root.dir, 'fake-system.json');
    });
    afterAll(async () => {
      await root?.remove();
      // Every step this platform can reach was reached and killed in some run below.
      expect([...reachable].filter((s) => !killed.has(s))).toEqual([]);
      if (c.persistencePath !== null) expect([...ALL_STEPS].filter((s) => !killed.has(s))).toEqual([]);
    });

    const env = (extra: Record<string, string> = {}) => ({ ...root.env, FAKE_HELPER_PLATFORM: c.platform, FAKE_HELPER_STATE: stateFile, FAKE_HELPER_FIXTURES: FIXTURES_DIR, ...extra });
    const persistedFile = () => (c.persistencePath === null ? null : join(root.configRoot, c.persistencePath));

    async function world(): Promise<{ values: V; persisted: string | null }> {
      const f = persistedFile();
      return { values: JSON.parse(await readFile(stateFile, 'utf8')) as V, persisted: f === null ? null : await readFile(f, 'utf8').catch(() => null) };
    }
    async function leftovers(): Promise<string[]> {
      const out: string[] = [];
      for (const n of await readdir(root.stateDir).catch(() => [] as string[])) if (n === 'journal.json' || n.includes('portwatch-tmp')) out.push(n);
      const f = persistedFile();
      if (f) for (const n of await readdir(dirname(f)).catch(() => [] as string[])) if (n.includes('portwatch-tmp')) out.push(n);
      return out;
    }
    async function start(values: V, persisted: string | null): Promise<void> {
      await rm(root.stateDir, { recursive: true, force: true });
      await writeFile(stateFile, JSON.stringify(values));
      const f = persistedFile();
      if (f) {
        await rm(f, { force: true });
        if (persisted !== null) {
          await mkdir(dirname(f), { recursive: true });
          await writeFile(f, persisted);
        }
      }
    }
    async function runKilled(argv: string[], step: string): Promise<boolean> {
      const r = await runHelperToEnd(argv, { bundle, env: env({ PORTWATCH_HELPER_KILL_AT: step }), timeoutMs: 20_000 });
      if (r.signal === 'SIGKILL') killed.add(step);
      return r.signal === 'SIGKILL';
    }
    async function recoverAndRead() {
      const r = await runHelperToEnd(['recover'], { bundle, env: env() });
      expect(r.code, r.output).toBe(0);
      expect(await leftovers()).toEqual([]);
      return world();
    }
    async function applyWaiting() {
      const holder = await startHelper(['apply', await root.writePlan(c.plan)], { bundle, env: env() });
      const r = await holder.waitForResult((x) => x.outcome === 'awaiting-confirm', 20_000);
      return { txid: r.txid!, holder };
    }
    /** Steps that touch the persistence file exist only where there is one, and only the write or the removal. */
    const canReach = (step: string, persisted: string | null, writesFile: boolean): boolean => {
      if (!/persist-/.test(step)) return true;
      if (c.persistencePath === null) return false;
      return writesFile ? !/persist-removed/.test(step) : persisted === null ? !/persist-(temp-written|renamed)/.test(step) : !/persist-removed/.test(step);
    };

    for (const v of c.variants) {
      const oldWorld = { values: v.values, persisted: v.persisted };
      const newWorld = { values: c.after(v.values), persisted: c.persistedAfter(v.persisted) };

      // Only the steps this platform has (an apply that is not killed would wait for its countdown).
      const applySteps = APPLY_STEPS.filter((s) => canReach(s, v.persisted, true));
      it.each(applySteps.map((s) => [s]))(`apply killed at %s (${v.label}) ends fully old`, async (step) => {
        await start(v.values, v.persisted);
        reachable.add(step);
        expect(await runKilled(['apply', await root.writePlan(c.plan)], step)).toBe(true);
        expect(await recoverAndRead()).toEqual(oldWorld);
      });

      it.each(CONFIRM_STEPS.map((s) => [s]))(`confirm killed at %s (${v.label}) ends as the journal says`, async (step) => {
        await start(v.values, v.persisted);
        reachable.add(step);
        const { txid, holder } = await applyWaiting();
        expect(await runKilled(['confirm', txid], step)).toBe(true);
        holder.kill('SIGKILL');
        await holder.wait();
        expect(await recoverAndRead()).toEqual(step === 'confirm-journaled' ? newWorld : oldWorld);
      });

      it.each(REVERT_STEPS.map((s) => [s]))(`revert killed at %s (${v.label}) ends fully old`, async (step) => {
        await start(v.values, v.persisted);
        const reach = canReach(step, v.persisted, false);
        if (reach) reachable.add(step);
        const { txid, holder } = await applyWaiting();
        expect(await runKilled(['revert', txid], step)).toBe(reach);
        holder.kill('SIGKILL');
        await holder.wait();
        expect(await recoverAndRead()).toEqual(oldWorld);
      });

      it.each(UNDO_STEPS.map((s) => [s]))(`undo of a kept change killed at %s (${v.label}) ends fully kept or fully undone`, async (step) => {
        await start(v.values, v.persisted);
        const reach = canReach(step, v.persisted, false);
        if (reach) reachable.add(step);
        const { txid, holder } = await applyWaiting();
        holder.type('keep');
        await holder.waitForResult((x) => x.outcome === 'kept', 20_000);
        await holder.wait();
        const died = await runKilled(['revert', txid], step);
        expect(died).toBe(reach);
        // The undo is a transaction of its own: interrupted → its "before" (the kept values) comes back.
        expect(await recoverAndRead()).toEqual(died ? newWorld : oldWorld);
      });
    }
  });
}
