// A helper session for the Windows UAC relaunch (win32-uac.ts): the elevated helper runs in a console
// window of its own, whose input and output the app cannot reach. This session runs PowerShell (which
// waits for the helper) and learns what the helper did from its journal, read without elevation through
// the helper's `status` verb, and from its exit status: "awaiting-confirm" once the journal holds the
// new transaction, then kept / reverted / rolled back from the history when the helper ends. Typing keep
// or revert here runs `confirm` or `revert` elevated (a second UAC prompt); typing it in the helper's
// own window works as well. Same interface as a terminal session (helper-session.ts).
import { HELPER_EXIT, type HelperResult, type HelperVerb, type TransactionSummary } from '../../common/tuning.js';
import { startHelperSession, waitForHelperResult, type HelperSession } from './helper-session.js';

/** What the detached session needs besides the argv. */
export interface DetachedSessionOptions {
  /** The verb the relaunched helper runs. */
  verb: HelperVerb;
  env: Record<string, string>;
  /** The helper's status, read without elevation; null when it cannot be read. */
  status(): Promise<HelperResult | null>;
  /** Runs confirm or revert elevated (another UAC prompt). */
  elevated(verb: 'confirm' | 'revert', txid: string): Promise<HelperSession>;
  /** How often the journal is read while the helper runs (default 1000 ms). */
  pollMs?: number;
}

const NOTE = 'Portwatch\'s helper runs in a window of its own (Windows asked for permission): watch it there, and type keep or revert there or here.\r\n';

/** Starts PowerShell's UAC relaunch and returns the session at once. */
export async function startDetachedSession(argv: readonly string[], opts: DetachedSessionOptions): Promise<HelperSession> {
  const startedAt = Date.now();
  const inner = await startHelperSession(argv, { method: 'uac', env: opts.env, transport: 'pipes' });
  const dataListeners = new Set<(c: string) => void>();
  const resultListeners = new Set<(r: HelperResult) => void>();
  const waiters = new Set<() => void>();
  const results: HelperResult[] = [];
  let transcript = NOTE;
  let ended: { exitCode: number | null; signal: number | null } | null = null;
  let typed = '';
  let txid: string | null = null;

  const emit = (chunk: string): void => {
    transcript = (transcript + chunk).slice(-(1 << 20));
    for (const l of dataListeners) l(chunk);
  };
  const push = (r: HelperResult): void => {
    results.push(r);
    for (const l of resultListeners) l(r);
    for (const w of [...waiters]) w();
  };
  inner.onData(emit);

  // While the helper runs: the journal says when the change awaits keep or revert.
  let polling = false;
  const poll = setInterval(() => {
    if (polling || txid !== null || opts.verb !== 'apply') return;
    polling = true;
    opts
      .status()
      .then((st) => {
        const tx = st?.transaction;
        if (tx && tx.kind === 'apply' && tx.createdAt >= startedAt && tx.state === 'awaiting-confirm' && txid === null && !ended) {
          txid = tx.txid;
          push(synthesized('apply', 'awaiting-confirm', `Applied and read back; reverting at ${time(tx.deadline)} unless kept (seen in the helper's journal).`, tx));
        }
      })
      .catch(() => undefined)
      .finally(() => {
        polling = false;
      });
  }, opts.pollMs ?? 1000);

  let resolveExit!: (v: { exitCode: number | null; signal: number | null; result: HelperResult | null }) => void;
  const exited = new Promise<{ exitCode: number | null; signal: number | null; result: HelperResult | null }>((r) => (resolveExit = r));
  void inner.exited.then(async (e) => {
    clearInterval(poll);
    const final = await finalResult(opts, startedAt, e.exitCode, txid !== null, inner.transcript).catch(() => null);
    ended = { exitCode: e.exitCode, signal: e.signal };
    if (final) push(final);
    for (const w of [...waiters]) w();
    resolveExit({ ...ended, result: final });
  });

  const decide = (word: string): void => {
    if (txid === null || ended) {
      emit(`Nothing awaits keep or revert yet.\r\n`);
      return;
    }
    emit(`Asking Windows for permission to ${word === 'keep' ? 'keep' : 'revert'} ${txid}…\r\n`);
    void opts
      .elevated(word === 'keep' ? 'confirm' : 'revert', txid)
      .then((s) => s.exited)
      .catch((err: Error) => emit(`${err.message}\r\n`));
  };

  return {
    argv: [...argv],
    method: 'uac',
    transport: 'pipes',
    pid: inner.pid,
    get transcript() {
      return transcript;
    },
    results,
    onData(l) {
      dataListeners.add(l);
      return () => dataListeners.delete(l);
    },
    onResult(l) {
      resultListeners.add(l);
      return () => resultListeners.delete(l);
    },
    write(data) {
      typed += data;
      let nl: number;
      while ((nl = typed.search(/[\r\n]/)) >= 0) {
        const word = typed.slice(0, nl).trim().toLowerCase();
        typed = typed.slice(nl + 1);
        if (word === 'keep' || word === 'revert') decide(word);
      }
      if (typed.length > 1024) typed = '';
    },
    resize: () => {},
    waitForResult: (match, timeoutMs = 120_000) =>
      waitForHelperResult({ results, waiters, ended: () => ended, transcript: () => transcript }, match, timeoutMs),
    exited,
    // An elevated process cannot be signalled from here: a revert is asked for instead.
    interrupt: () => decide('revert'),
  };
}

/** The outcome once the relaunched helper has ended: from the journal's history, else from its exit status. */
async function finalResult(opts: DetachedSessionOptions, startedAt: number, exitCode: number | null, awaited: boolean, said: string): Promise<HelperResult> {
  const st = await opts.status().catch(() => null);
  const mine = st?.history.find((h) => h.createdAt >= startedAt && (opts.verb !== 'apply' || h.kind === 'apply')) ?? null;
  if (opts.verb === 'apply' && mine) {
    if (mine.state === 'committed') return synthesized('apply', 'kept', `Transaction ${mine.txid} is kept; the values stay and apply at boot.`, mine);
    if (mine.state === 'rolled-back') {
      return awaited
        ? synthesized('apply', 'reverted', `Transaction ${mine.txid} is reverted; the old values are back.`, mine)
        : synthesized('apply', 'rolled-back', `Transaction ${mine.txid} was rolled back: a write failed or read back differently (see the helper's window).`, mine);
    }
  }
  const outcome: HelperResult['outcome'] =
    exitCode === HELPER_EXIT.ok
      ? opts.verb === 'apply'
        ? 'unchanged'
        : opts.verb === 'confirm'
          ? 'kept'
          : opts.verb === 'revert'
            ? 'reverted'
            : opts.verb === 'recover'
              ? 'recovered'
              : 'status'
      : exitCode === HELPER_EXIT.refused
        ? 'refused'
        : exitCode === HELPER_EXIT.failed
          ? 'rolled-back'
          : exitCode === HELPER_EXIT.needsRecover
            ? 'failed'
            : 'refused';
  const why = said.trim().split(/\r?\n/).filter((l) => l.trim() !== '').pop();
  const message =
    exitCode !== null && (Object.values(HELPER_EXIT) as number[]).includes(exitCode)
      ? `The helper ended with status ${exitCode} (${outcome}); its window showed why.`
      : `The helper did not run: ${why ?? `PowerShell ended with status ${exitCode}`} (was the UAC prompt declined?).`;
  return synthesized(opts.verb, outcome, message, mine ?? st?.transaction ?? null);
}

function synthesized(verb: HelperVerb, outcome: HelperResult['outcome'], message: string, tx: TransactionSummary | null): HelperResult {
  return { schema: 1, verb, outcome, message, txid: tx?.txid ?? null, changes: [], dropIn: null, overrides: [], deadline: tx?.deadline ?? null, transaction: tx, history: [] };
}

function time(ms: number | null): string {
  return ms === null ? 'unknown' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
