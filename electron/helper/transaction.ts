// The transaction behind every helper verb: snapshot the old values → validate against the live system →
// journal (write-ahead, fsynced) → write live → read back → persist atomically (the Linux drop-in, the
// macOS LaunchDaemon; Windows stores its values itself) → detect files that override it at boot → wait
// for keep or revert. A failed write or read-back puts back everything written so far. After a kill at
// any step, `recover` ends fully old, or fully new when the journal says the change was confirmed
// (journal.ts). What differs per platform (how a value is read and written) is the SettingsStore.
import { constants } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  HELPER_EXIT,
  canonicalKernelText,
  kernelText,
  parseHelperPlanDocument,
  planPlatform,
  type HelperPlanDocument,
  type HelperResult,
  type HelperVerb,
  type SettingChange,
  type TransactionSummary,
  type TunableKey,
} from '../common/tuning.js';
import { removeFileDurably, removeStaleTemps, writeFileAtomic } from './atomic-file.js';
import type { HelperPaths, TestHooks } from './helper-config.js';
import { Journal, type JournalEntry, type JournalSide } from './journal.js';
import { withLock } from './lock.js';
import { isAlive, selfIdentity, type ProcessIdentity } from './process-identity.js';
import type { SettingsStore } from './settings-store.js';
import { SystemSettingError } from '../common/errors/system-setting-error.js';

/** What a verb runs with. */
export interface HelperContext {
  paths: HelperPaths;
  /** Where this platform's values live and how they are written. */
  store: SettingsStore;
  hooks: TestHooks;
  /** The uid that asked through pkexec or sudo (null when root ran the helper directly). */
  invokingUid: number | null;
  /** Called at every named step (checkpoints.ts). */
  checkpoint(step: string): void;
  /** One line of progress for the person watching the terminal. */
  say(line: string): void;
  now(): number;
}

/** A verb's outcome: the result to print and the exit status. */
export interface VerbOutcome {
  result: HelperResult;
  exit: number;
  /** Set when apply left a change awaiting keep or revert: the caller holds the countdown. */
  countdown?: JournalEntry;
}

const MAX_PLAN_BYTES = 64 * 1024;
const HISTORY_SHOWN = 10;
/** A countdown holder gets this long past its deadline before `recover` reverts in its place. */
const HOLDER_GRACE_MS = 5_000;

/** Applies a plan file; leaves the change awaiting keep or revert (see VerbOutcome.countdown). */
export async function applyPlan(ctx: HelperContext, planPath: string): Promise<VerbOutcome> {
  const journal = new Journal(ctx.paths.stateDir);
  const pending = await settleInterrupted(ctx);
  if (pending) return refuse(ctx, 'apply', `transaction ${pending.txid} awaits keep or revert until ${time(pending.deadline)}: finish it first`, pending);
  const doc = await readPlanFile(ctx, planPath);
  if (typeof doc === 'string') return refuse(ctx, 'apply', doc);
  const first = await prepare(ctx, doc);
  if (typeof first === 'string') return refuse(ctx, 'apply', first);
  if (first.keys.length === 0 && !first.dropInChanges) return unchanged(ctx, doc);

  return withLock(ctx.paths.stateDir, async () => {
    ctx.checkpoint('locked');
    const other = await journal.readActive();
    if (other) return refuse(ctx, 'apply', `transaction ${other.txid} is in progress (${other.state})`, other);
    // Read again under the lock: nothing may have changed in between, but if it did, this is what counts.
    const p = await prepare(ctx, doc);
    if (typeof p === 'string') return refuse(ctx, 'apply', p);
    if (p.keys.length === 0 && !p.dropInChanges) return unchanged(ctx, doc);

    const entry: JournalEntry = {
      schema: 1,
      txid: newTxid(ctx.now()),
      kind: 'apply',
      undoOf: null,
      state: 'applying',
      createdAt: ctx.now(),
      updatedAt: ctx.now(),
      deadline: null,
      holder: null,
      keys: p.keys,
      dropInPath: ctx.store.persistence?.path ?? '',
      before: p.before,
      after: p.after,
      reason: null,
    };
    await journal.writeActive(entry);
    ctx.checkpoint('journal-written');
    ctx.say(`Transaction ${entry.txid}: old values saved in the journal.`);

    const failure = await forward(ctx, entry, 'live-write', 'persist');
    if (failure) return rollBackAfterFailure(ctx, entry, 'apply', failure);

    const overrides = await ctx.store.detectOverrides(entry.keys, entry.after.values);
    for (const o of overrides) {
      ctx.say(
        o.readers.includes('launchd')
          ? `Warning: at boot ${o.path}:${o.line} also sets ${o.key} = ${o.value}; launchd starts it in no fixed order with Portwatch's, so it may win.`
          : `Warning: at boot ${o.path}:${o.line} sets ${o.key} = ${o.value} after Portwatch's file, so it wins (${o.readers.join(', ')}).`,
      );
    }
    entry.state = 'awaiting-confirm';
    entry.deadline = ctx.now() + doc.confirmTimeoutSec * 1000;
    entry.holder = selfIdentity();
    entry.updatedAt = ctx.now();
    await journal.writeActive(entry);
    ctx.checkpoint('awaiting-confirm');
    const changes = await changesOf(ctx, entry);
    return {
      exit: HELPER_EXIT.ok,
      countdown: entry,
      result: result('apply', 'awaiting-confirm', `Applied and read back; reverting at ${time(entry.deadline)} unless kept.`, {
        txid: entry.txid,
        changes,
        dropIn: ctx.store.persistence ? { path: ctx.store.persistence.path, changed: p.dropInChanges } : null,
        overrides,
        deadline: entry.deadline,
        transaction: summary(entry),
      }),
    };
  });
}

/** Keeps a change that awaits confirmation. */
export async function confirmTransaction(ctx: HelperContext, txid: string): Promise<VerbOutcome> {
  const journal = new Journal(ctx.paths.stateDir);
  return withLock(ctx.paths.stateDir, async () => {
    ctx.checkpoint('confirm-locked');
    const e = await journal.readActive();
    if (!e || e.txid !== txid) return answerFromHistory(ctx, 'confirm', txid);
    if (e.state === 'committed') {
      await journal.finish(e);
      return report(ctx, 'confirm', 'kept', `Transaction ${txid} is kept.`, e);
    }
    if (e.state !== 'awaiting-confirm') return refuse(ctx, 'confirm', `transaction ${txid} is ${e.state}, not awaiting confirmation`, e);
    if (e.deadline !== null && ctx.now() > e.deadline) {
      return refuse(ctx, 'confirm', `too late: the countdown of ${txid} ended at ${time(e.deadline)}; the old values are being put back`, e);
    }
    e.state = 'committed';
    e.updatedAt = ctx.now();
    await journal.writeActive(e);
    ctx.checkpoint('confirm-journaled');
    await journal.finish(e);
    ctx.say(`Transaction ${txid}: kept.`);
    return report(ctx, 'confirm', 'kept', `Transaction ${txid} is kept; the values stay and apply at boot.`, e);
  });
}

/** Reverts a change: the one awaiting confirmation, or a kept one when nothing has changed since. */
export async function revertTransaction(ctx: HelperContext, txid: string, reason = 'reverted on request'): Promise<VerbOutcome> {
  const journal = new Journal(ctx.paths.stateDir);
  return withLock(ctx.paths.stateDir, async () => {
    const e = await journal.readActive();
    if (e && e.txid === txid && e.state !== 'committed') {
      const failure = await rollBack(ctx, e, reason);
      if (failure) return failed(ctx, 'revert', `could not put back the old values of ${txid}: ${failure}`, e);
      ctx.say(`Transaction ${txid}: old values back (${reason}).`);
      return report(ctx, 'revert', 'reverted', `Transaction ${txid} is reverted (${reason}); the old values are back.`, e);
    }
    if (e && e.txid === txid) await journal.finish(e);
    else if (e) return refuse(ctx, 'revert', `transaction ${e.txid} is in progress (${e.state}): finish it first`, e);
    return undoKept(ctx, txid);
  });
}

/** Finishes an interrupted transaction: fully new when it was confirmed, fully old otherwise. */
export async function recover(ctx: HelperContext): Promise<VerbOutcome> {
  const journal = new Journal(ctx.paths.stateDir);
  return withLock(ctx.paths.stateDir, async () => {
    const persisted = ctx.store.persistence ? await removeStaleTemps(ctx.store.persistence.file) : [];
    const temps = [...persisted, ...(await removeStaleTemps(journal.activePath))];
    const e = await journal.readActive();
    if (!e) {
      const note = temps.length ? ` (removed ${temps.length} leftover temporary file${temps.length > 1 ? 's' : ''})` : '';
      return report(ctx, 'recover', 'nothing-to-recover', `Nothing was interrupted${note}.`, null);
    }
    if (countdownRunning(ctx, e)) {
      return report(ctx, 'recover', 'nothing-to-recover', `Transaction ${e.txid} awaits keep or revert until ${time(e.deadline)} (held by pid ${e.holder?.pid}).`, e);
    }
    return finishInterrupted(ctx, e, 'recover');
  });
}

/** The active transaction and recent history; reads only. */
export async function status(ctx: HelperContext): Promise<VerbOutcome> {
  const journal = new Journal(ctx.paths.stateDir);
  const e = await journal.readActive();
  let message = 'No transaction in progress.';
  if (e && countdownRunning(ctx, e)) message = `Transaction ${e.txid} awaits keep or revert until ${time(e.deadline)}.`;
  else if (e) message = `Transaction ${e.txid} was interrupted (${e.state}): run recover.`;
  return report(ctx, 'status', 'status', message, e);
}

// ---------------------------------------------------------------------------------------------------

/** Settles what an earlier run left (not a live countdown); returns the live countdown if there is one. */
async function settleInterrupted(ctx: HelperContext): Promise<JournalEntry | null> {
  const journal = new Journal(ctx.paths.stateDir);
  const e = await journal.readActive();
  if (!e) return null;
  if (countdownRunning(ctx, e)) return e;
  const out = await withLock(ctx.paths.stateDir, async () => {
    const again = await journal.readActive();
    if (!again) return null;
    if (countdownRunning(ctx, again)) return again;
    const r = await finishInterrupted(ctx, again, 'apply');
    if (r.exit !== HELPER_EXIT.ok) throw new SystemSettingError(r.result.message);
    return null;
  });
  return out;
}

async function finishInterrupted(ctx: HelperContext, e: JournalEntry, verb: HelperVerb): Promise<VerbOutcome> {
  const journal = new Journal(ctx.paths.stateDir);
  if (e.state === 'committed') {
    const failure = await converge(ctx, e, 'after', 'live-write', 'persist');
    if (failure) return failed(ctx, verb, `transaction ${e.txid} was confirmed, but its values could not be restored: ${failure}`, e);
    await journal.finish(e);
    ctx.say(`Transaction ${e.txid} had been confirmed: its values are in effect.`);
    return report(ctx, verb, 'recovered', `Transaction ${e.txid} had been confirmed; its values are in effect (fully new).`, e);
  }
  if (e.state === 'rolled-back') {
    await journal.finish(e);
    return report(ctx, verb, 'recovered', `Transaction ${e.txid} had been rolled back.`, e);
  }
  const failure = await rollBack(ctx, e, `interrupted while ${e.state}; put back by ${verb}`);
  if (failure) return failed(ctx, verb, `could not put back the old values of ${e.txid}: ${failure}`, e);
  ctx.say(`Transaction ${e.txid} was interrupted (${e.state}): the old values are back.`);
  return report(ctx, verb, 'recovered', `Transaction ${e.txid} was interrupted; the old values are back (fully old).`, e);
}

function countdownRunning(ctx: HelperContext, e: JournalEntry): boolean {
  return (
    e.state === 'awaiting-confirm' &&
    e.holder !== null &&
    // The holder asking (its own revert failed, it falls back on recover) has stopped counting.
    !isSelf(e.holder) &&
    e.deadline !== null &&
    ctx.now() < e.deadline + HOLDER_GRACE_MS &&
    isAlive(e.holder)
  );
}

function isSelf(holder: ProcessIdentity): boolean {
  const me = selfIdentity();
  return holder.pid === me.pid && holder.startTime === me.startTime;
}

interface Prepared {
  keys: TunableKey[];
  before: JournalSide;
  after: JournalSide;
  dropInChanges: boolean;
}

/** Reads the live values, checks the plan against them, and works out what would change. */
async function prepare(ctx: HelperContext, doc: HelperPlanDocument): Promise<Prepared | string> {
  const store = ctx.store;
  const platform = planPlatform(doc);
  if (platform !== store.platform) return `this is a ${platform} plan and the helper runs on ${store.platform}`;
  const live = new Map<TunableKey, string | null>();
  try {
    for (const k of store.keys) live.set(k, await store.read(k));
  } catch (err) {
    return `the current values cannot be read: ${(err as Error).message}`;
  }
  for (const s of doc.settings) if (live.get(s.key) === null) return `${s.key} does not exist on this ${store.platform === 'linux' ? 'kernel' : 'system'}`;
  if (!ctx.hooks.skipLiveChecks) {
    const problem = await store.checkAgainstLive(doc, live);
    if (problem) return problem;
  }
  const byKey = new Map(doc.settings.map((s) => [s.key, s]));
  const keys = store.keys.filter((k) => {
    const s = byKey.get(k);
    return s !== undefined && canonicalKernelText(k, live.get(k) ?? null) !== kernelText(s);
  });
  const persistence = store.persistence;
  const currentDropIn = persistence ? await readTextOrNull(persistence.file) : null;
  const nextDropIn = persistence ? persistence.render(currentDropIn, doc.settings) : null;
  const before: JournalSide = { values: {}, dropIn: currentDropIn };
  const after: JournalSide = { values: {}, dropIn: nextDropIn };
  for (const k of keys) {
    before.values[k] = live.get(k) ?? null;
    after.values[k] = kernelText(byKey.get(k)!);
  }
  return { keys, before, after, dropInChanges: currentDropIn !== nextDropIn };
}

/**
 * Writes the `after` side: each changed key, read back, then the drop-in. Returns what failed, or null.
 * Used by apply ("live-write-N", "persist-…" steps) and by recover of a confirmed transaction.
 */
async function forward(ctx: HelperContext, e: JournalEntry, liveStep: string, persistStep: string): Promise<string | null> {
  return converge(ctx, e, 'after', liveStep, persistStep);
}

/** Puts the `before` side back, journaling the rollback first. Returns what failed, or null. */
async function rollBack(ctx: HelperContext, e: JournalEntry, reason: string): Promise<string | null> {
  const journal = new Journal(ctx.paths.stateDir);
  e.state = 'rolling-back';
  e.reason = reason;
  e.updatedAt = ctx.now();
  await journal.writeActive(e);
  ctx.checkpoint('revert-journaled');
  const failure = await converge(ctx, e, 'before', 'revert-live', 'revert-persist');
  if (failure) return failure;
  e.state = 'rolled-back';
  e.updatedAt = ctx.now();
  await journal.finish(e);
  ctx.checkpoint('revert-done');
  return null;
}

async function rollBackAfterFailure(ctx: HelperContext, e: JournalEntry, verb: HelperVerb, failure: string): Promise<VerbOutcome> {
  ctx.say(`Failed: ${failure}. Putting back what was written.`);
  const again = await rollBack(ctx, e, failure);
  if (again) return failed(ctx, verb, `${failure}; and the old values could not all be put back: ${again}`, e);
  return {
    exit: HELPER_EXIT.failed,
    result: result(verb, 'rolled-back', `${failure}. Everything written was put back.`, {
      txid: e.txid,
      changes: await changesOf(ctx, e),
      transaction: summary(e),
    }),
  };
}

/**
 * Makes the live values and the drop-in equal one side of the transaction, writing only what differs
 * (so it can be repeated after any interruption). Going to `after` writes keys in journal order, going to
 * `before` in reverse (the range narrows before reserved ports are released).
 */
async function converge(ctx: HelperContext, e: JournalEntry, side: 'before' | 'after', liveStep: string, persistStep: string): Promise<string | null> {
  const target = e[side];
  const keys = side === 'after' ? e.keys : [...e.keys].reverse();
  let n = 0;
  for (const key of keys) {
    const want = target.values[key];
    if (want === undefined || want === null) continue;
    let now: string | null;
    try {
      now = await ctx.store.read(key);
    } catch (err) {
      return `${key}: cannot be read: ${(err as Error).message}`;
    }
    if (canonicalKernelText(key, now) === canonicalKernelText(key, want)) continue;
    ctx.say(`${side === 'after' ? 'Writing' : 'Putting back'} ${key} = ${want.replace(/\t/g, ' ') || '(empty)'}`);
    try {
      await ctx.store.write(key, want);
    } catch (err) {
      return `${key}: ${(err as Error).message}`;
    }
    ctx.checkpoint(`${liveStep}-${++n}`);
    // The kernel may clamp a value or ignore it and still report success: only the read-back counts.
    const back = await ctx.store.read(key).catch(() => null);
    if (canonicalKernelText(key, back) !== canonicalKernelText(key, want)) {
      return `${key}: wrote ${JSON.stringify(want.replace(/\t/g, ' '))} but it reads back ${JSON.stringify(back?.replace(/\t/g, ' ') ?? null)}`;
    }
  }
  if (side === 'after') ctx.checkpoint('read-back');
  if (!ctx.store.persistence) return null;
  const { file, mode } = ctx.store.persistence;
  try {
    const current = await readTextOrNull(file);
    if (target.dropIn === null) {
      if (current !== null) {
        ctx.say(`Removing ${e.dropInPath}`);
        await removeFileDurably(file, (s) => ctx.checkpoint(`${persistStep}-${s}`));
      }
    } else if (current !== target.dropIn) {
      ctx.say(`${side === 'after' ? 'Persisting in' : 'Restoring'} ${e.dropInPath}`);
      await writeFileAtomic(file, target.dropIn, mode, (s) => ctx.checkpoint(`${persistStep}-${s}`));
    }
    await removeStaleTemps(file);
  } catch (err) {
    return `${e.dropInPath}: ${(err as Error).message}`;
  }
  return null;
}

/** Undoes a kept transaction, as a transaction of its own, when every value is still what it set. */
async function undoKept(ctx: HelperContext, txid: string): Promise<VerbOutcome> {
  const journal = new Journal(ctx.paths.stateDir);
  const h = await journal.readHistory(txid);
  if (!h) return refuse(ctx, 'revert', `no transaction ${txid} in ${journal.historyDir}`);
  if (h.state !== 'committed' || h.kind !== 'apply') return refuse(ctx, 'revert', `transaction ${txid} was not kept (${h.state}${h.kind === 'undo' ? ', an undo' : ''}): nothing to revert`, h);
  for (const k of h.keys) {
    const now = await ctx.store.read(k);
    if (canonicalKernelText(k, now) !== canonicalKernelText(k, h.after.values[k] ?? null)) {
      return refuse(ctx, 'revert', `${k} is now ${JSON.stringify(now)}, not what ${txid} set: reverting would undo a later change`, h);
    }
  }
  if (ctx.store.persistence && (await readTextOrNull(ctx.store.persistence.file)) !== h.after.dropIn) {
    return refuse(ctx, 'revert', `${h.dropInPath} changed after ${txid}: reverting would undo a later change`, h);
  }
  const e: JournalEntry = {
    ...h,
    txid: newTxid(ctx.now()),
    kind: 'undo',
    undoOf: txid,
    state: 'applying',
    createdAt: ctx.now(),
    updatedAt: ctx.now(),
    deadline: null,
    holder: null,
    keys: [...h.keys].reverse(),
    before: h.after,
    after: h.before,
    reason: null,
  };
  await journal.writeActive(e);
  ctx.checkpoint('journal-written');
  const failure = await forward(ctx, e, 'live-write', 'persist');
  if (failure) return rollBackAfterFailure(ctx, e, 'revert', failure);
  e.state = 'committed';
  e.updatedAt = ctx.now();
  await journal.writeActive(e);
  await journal.finish(e);
  ctx.say(`Transaction ${txid}: reverted by ${e.txid}.`);
  return report(ctx, 'revert', 'reverted', `Transaction ${txid} is reverted (by ${e.txid}); the values from before it are back.`, e);
}

async function answerFromHistory(ctx: HelperContext, verb: HelperVerb, txid: string): Promise<VerbOutcome> {
  const h = await new Journal(ctx.paths.stateDir).readHistory(txid);
  if (h?.state === 'committed') return report(ctx, verb, 'kept', `Transaction ${txid} was already kept.`, h);
  if (h?.state === 'rolled-back') return refuse(ctx, verb, `transaction ${txid} was reverted (${h.reason ?? 'no reason recorded'})`, h);
  return refuse(ctx, verb, `no transaction ${txid} awaits confirmation`);
}

async function readPlanFile(ctx: HelperContext, path: string): Promise<HelperPlanDocument | string> {
  // Never echo the file's content: the helper runs as root and the path is the caller's choice.
  const owners = new Set([0, ...(ctx.invokingUid === null ? [] : [ctx.invokingUid])]);
  // Windows has no owner uid or mode bits to check (stat reports uid 0 and mode 0o666): the plan lives in
  // the user's own %TEMP%, whose ACL admits the user, administrators and SYSTEM only.
  const posix = ctx.store.platform !== 'win32';
  let text: string;
  try {
    const dir = await stat(dirname(path));
    if (posix && (!owners.has(dir.uid) || (dir.mode & 0o022) !== 0)) {
      return `the plan file's directory ${dirname(path)} must belong to you or root and be writable by no one else`;
    }
    const flags = posix ? constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK : constants.O_RDONLY;
    const fh = await open(path, flags);
    try {
      const st = await fh.stat();
      if (!st.isFile()) return `the plan file ${path} is not a regular file`;
      if (posix && (!owners.has(st.uid) || (st.mode & 0o022) !== 0)) return `the plan file ${path} must belong to you or root and be writable by no one else`;
      if (st.size > MAX_PLAN_BYTES) return `the plan file ${path} is larger than ${MAX_PLAN_BYTES} bytes`;
      text = await fh.readFile('utf8');
    } finally {
      await fh.close();
    }
  } catch (e) {
    return `cannot read the plan file ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `the plan file ${path} is not JSON`;
  }
  const v = parseHelperPlanDocument(value);
  return v.ok ? v.value : `the plan file ${path} is not a Portwatch plan: ${v.error}`;
}

async function unchanged(ctx: HelperContext, doc: HelperPlanDocument): Promise<VerbOutcome> {
  const keys = doc.settings.map((s) => s.key);
  const values: JournalSide = { values: Object.fromEntries(doc.settings.map((s) => [s.key, kernelText(s)])), dropIn: null };
  const changes: SettingChange[] = [];
  for (const s of doc.settings) {
    const now = await ctx.store.read(s.key);
    changes.push({ key: s.key, before: now, wanted: kernelText(s), now });
  }
  ctx.say('Every value is already in effect and persisted: nothing to write.');
  return {
    exit: HELPER_EXIT.ok,
    result: result('apply', 'unchanged', 'Every value is already in effect and persisted; nothing was written.', {
      changes,
      dropIn: ctx.store.persistence ? { path: ctx.store.persistence.path, changed: false } : null,
      overrides: await ctx.store.detectOverrides(keys, values.values),
    }),
  };
}

async function changesOf(ctx: HelperContext, e: JournalEntry): Promise<SettingChange[]> {
  const out: SettingChange[] = [];
  for (const k of e.keys) {
    out.push({ key: k, before: e.before.values[k] ?? null, wanted: e.after.values[k] ?? '', now: await ctx.store.read(k).catch(() => null) });
  }
  return out;
}

/** A transaction as `status` and every result show it. */
export function summary(e: JournalEntry): TransactionSummary {
  return {
    txid: e.txid,
    kind: e.kind,
    state: e.state,
    createdAt: e.createdAt,
    deadline: e.deadline,
    holderAlive: e.holder !== null && isAlive(e.holder),
    keys: e.keys,
    before: e.before.values,
    after: e.after.values,
  };
}

/** A result line's document; what `extra` does not give is empty. */
export function result(verb: HelperVerb | null, outcome: HelperResult['outcome'], message: string, extra: Partial<HelperResult> = {}): HelperResult {
  return { schema: 1, verb, outcome, message, txid: null, changes: [], dropIn: null, overrides: [], deadline: null, transaction: null, history: [], ...extra };
}

/** A finished verb's outcome with the transaction and recent history. */
export async function report(ctx: HelperContext, verb: HelperVerb, outcome: HelperResult['outcome'], message: string, e: JournalEntry | null): Promise<VerbOutcome> {
  const history = (await new Journal(ctx.paths.stateDir).listHistory(HISTORY_SHOWN)).map(summary);
  const changes = e ? await changesOf(ctx, e) : [];
  return {
    exit: HELPER_EXIT.ok,
    result: result(verb, outcome, message, { txid: e?.txid ?? null, changes, deadline: e?.deadline ?? null, transaction: e ? summary(e) : null, history }),
  };
}

function refuse(ctx: HelperContext, verb: HelperVerb | null, message: string, e: JournalEntry | null = null): VerbOutcome {
  ctx.say(`Refused: ${message}.`);
  return { exit: HELPER_EXIT.refused, result: result(verb, 'refused', `Refused: ${message}.`, { txid: e?.txid ?? null, transaction: e ? summary(e) : null }) };
}

function failed(ctx: HelperContext, verb: HelperVerb, message: string, e: JournalEntry): VerbOutcome {
  ctx.say(`FAILED: ${message}. Run \`portwatch-helper recover\`.`);
  return { exit: HELPER_EXIT.needsRecover, result: result(verb, 'failed', `${message}. Run recover.`, { txid: e.txid, transaction: summary(e) }) };
}

async function readTextOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** A new transaction id (UTC time and 24 random bits; see TXID_PATTERN). */
export function newTxid(now: number): string {
  const iso = new Date(now).toISOString(); // 2026-11-24T10:15:00.000Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

function time(ms: number | null): string {
  return ms === null ? 'unknown' : new Date(ms).toISOString().replace('.000Z', 'Z');
}
