// The keep-or-revert countdown, held by the privileged side: the helper process that applied the change
// stays alive until the change is kept or reverted. It ignores SIGHUP, so closing the terminal or killing
// the app does not stop it; when the deadline passes it reverts. It reverts at once on SIGINT/SIGTERM or
// when "revert" is typed, keeps on "keep", and notices `confirm`/`revert` run by another helper invocation
// through the journal. If this process itself is killed, the journal still holds the deadline and the
// next helper run (any verb but status) or `recover` puts the old values back. Nobody may be watching when
// the deadline passes, so a revert that fails is tried again for a while before the helper gives up.
import { createInterface } from 'node:readline';
import { HELPER_EXIT } from '../common/tuning.js';
import { Journal, type JournalEntry } from './journal.js';
import { confirmTransaction, recover, report, result, revertTransaction, type HelperContext, type VerbOutcome } from './transaction.js';

const POLL_MS = 250;
const REMIND_MS = 15_000;
/** Waits between attempts of a revert that failed (about 3 minutes in all). */
export const REVERT_RETRY_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000, 30_000, 30_000, 30_000, 30_000];

/** Waits for keep, revert, the deadline, or another invocation's decision; returns the final outcome. */
export function holdCountdown(
  ctx: HelperContext,
  entry: JournalEntry,
  input: NodeJS.ReadableStream | null,
  signals: NodeJS.EventEmitter = process,
  retryMs: readonly number[] = REVERT_RETRY_MS,
): Promise<VerbOutcome> {
  const journal = new Journal(ctx.paths.stateDir);
  const deadline = entry.deadline ?? ctx.now();
  return new Promise<VerbOutcome>((resolve) => {
    let settled = false;
    let polling = false;
    const rl = input ? createInterface({ input, crlfDelay: Infinity, terminal: false }) : null;
    const onHup = (): void => ctx.say('The terminal went away; the countdown goes on.');
    const onStop = (): void => void settle('revert', 'interrupted');

    const cleanup = (): void => {
      clearTimeout(timer);
      clearInterval(poll);
      clearInterval(remind);
      rl?.close();
      signals.off('SIGINT', onStop);
      signals.off('SIGTERM', onStop);
      // SIGHUP stays ignored until the process ends: the revert must not be cut short.
    };

    const settle = async (how: 'keep' | 'revert' | 'observed', reason: string): Promise<void> => {
      if (settled) return;
      settled = true;
      cleanup();
      try {
        if (how === 'keep') {
          const r = await confirmTransaction(ctx, entry.txid);
          // Too late to keep: the revert below decides.
          if (r.result.outcome === 'kept') return resolve(r);
        }
        if (how === 'observed') return resolve(await observed(ctx, journal, entry.txid));
        resolve(await revertWithRetries(ctx, journal, entry.txid, reason, retryMs));
      } catch (e) {
        // Last resort: recover applies the journal's rule (confirmed → new, else → old).
        ctx.say(`Countdown: ${(e as Error).message}; recovering.`);
        resolve(await revertWithRetries(ctx, journal, entry.txid, reason, retryMs, () => recover(ctx)));
      }
    };

    signals.on('SIGHUP', onHup);
    signals.on('SIGINT', onStop);
    signals.on('SIGTERM', onStop);
    rl?.on('line', (line) => {
      const word = line.trim().toLowerCase();
      if (word === 'keep') void settle('keep', 'kept');
      else if (word === 'revert') void settle('revert', 'reverted on request');
      else if (word !== '') ctx.say('Type keep or revert.');
    });
    const timer = setTimeout(() => void settle('revert', 'the countdown ran out'), Math.max(0, deadline - ctx.now()));
    const poll = setInterval(() => {
      if (polling || settled) return;
      polling = true;
      journal
        .readActive()
        .then((e) => {
          if (!e || e.txid !== entry.txid || e.state !== 'awaiting-confirm') void settle('observed', 'decided elsewhere');
        })
        .catch(() => undefined)
        .finally(() => {
          polling = false;
        });
    }, POLL_MS);
    const remind = setInterval(() => {
      const left = Math.max(0, Math.round((deadline - ctx.now()) / 1000));
      ctx.say(`Type keep to keep the new values, or revert; reverting by itself in ${left} s.`);
    }, REMIND_MS);
    ctx.say(`Type keep to keep the new values, or revert; reverting by itself in ${Math.round((deadline - ctx.now()) / 1000)} s.`);
  });
}

/**
 * Reverts (or runs `attempt`) until it succeeds or the waits run out; a thrown error counts as a failure.
 * After the last failure the journal still holds the transaction, and `recover` finishes it. Another
 * invocation (`recover` run by hand meanwhile) may finish it first: that is reported, not retried.
 */
async function revertWithRetries(
  ctx: HelperContext,
  journal: Journal,
  txid: string,
  reason: string,
  retryMs: readonly number[],
  attempt: () => Promise<VerbOutcome> = () => revertTransaction(ctx, txid, reason),
): Promise<VerbOutcome> {
  for (let i = 0; ; i++) {
    try {
      const r = await attempt();
      // A failed outcome has said what failed (and "run recover", which stays true if the retries fail).
      if (r.result.outcome !== 'failed' || i >= retryMs.length) return r;
    } catch (e) {
      const problem = e instanceof Error ? e.message : String(e);
      if (i >= retryMs.length) {
        ctx.say(`Reverting ${txid} failed: ${problem}. Run \`portwatch-helper recover\`.`);
        return { exit: HELPER_EXIT.needsRecover, result: result('apply', 'failed', `${problem}. Run recover.`, { txid }) };
      }
      ctx.say(`Reverting ${txid} failed: ${problem}.`);
    }
    const wait = retryMs[i]!;
    ctx.say(`The revert is tried again in ${wait / 1000} s (attempt ${i + 2} of ${retryMs.length + 1}).`);
    await new Promise((r) => setTimeout(r, wait));
    const active = await journal.readActive().catch(() => undefined);
    if (active === null || (active && active.txid !== txid)) {
      const seen = await observed(ctx, journal, txid).catch(() => null);
      if (seen) return seen;
    }
  }
}

/** Another invocation decided (or left the transaction committed mid-way): report, finishing if needed. */
async function observed(ctx: HelperContext, journal: Journal, txid: string): Promise<VerbOutcome> {
  const e = await journal.readActive();
  if (e && e.txid === txid) {
    // That invocation was interrupted: committed → finish keeping it; anything else → back to old.
    const r = e.state === 'committed' ? await confirmTransaction(ctx, txid) : await recover(ctx);
    if (r.exit !== 0) return r;
  }
  const h = await journal.readHistory(txid);
  const kept = h?.state === 'committed';
  return report(ctx, 'apply', kept ? 'kept' : 'reverted', `Transaction ${txid} was ${kept ? 'kept' : 'reverted'} by another helper invocation.`, h);
}
