#!/usr/bin/env node
// portwatch-helper: the only program Portwatch runs as root. Five verbs (argv.ts), an allow-list of four
// kernel keys with numeric bounds (common/tuning.ts), values written straight to /proc/sys, never a shell
// and never another program. Elevated by pkexec (build/linux/io.portwatch.helper.policy names this file)
// or sudo; run directly when the caller is already root.
//   portwatch-helper apply /abs/plan.json   apply, read back, persist, then wait for keep/revert on stdin
//   portwatch-helper confirm TXID | revert TXID | status | recover
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HELPER_EXIT, type HelperResult } from '../common/tuning.js';
import { HELPER_USAGE, parseHelperArgv } from './argv.js';
import { makeCheckpoint } from './checkpoints.js';
import { holdCountdown } from './countdown.js';
import { DEFAULT_HELPER_PATHS, helperConfigFromEnv } from './helper-config.js';
import { streamOutput, type HelperOutput } from './output.js';
import { applyPlan, confirmTransaction, recover, revertTransaction, status, type HelperContext, type VerbOutcome } from './transaction.js';

/** What one run reads and writes besides the file system. */
export interface HelperIo {
  out: HelperOutput;
  /** Where "keep"/"revert" are typed during the countdown (null: only the deadline or another invocation decides). */
  stdin: NodeJS.ReadableStream | null;
  /** The effective uid (process.geteuid()). */
  euid: number;
  /** Emits SIGHUP/SIGINT/SIGTERM (the process, or a test's emitter). */
  signals?: NodeJS.EventEmitter;
}

/** Runs one helper command line; resolves to the exit status. Never throws. */
export async function runHelper(argv: readonly string[], env: NodeJS.ProcessEnv, io: HelperIo): Promise<number> {
  const refuse = (message: string): number => {
    io.out.say(`refused: ${message}`);
    io.out.say(HELPER_USAGE);
    io.out.result(bare('refused', `Refused: ${message}.`));
    return HELPER_EXIT.refused;
  };
  const parsed = parseHelperArgv(argv);
  if (!parsed.ok) return refuse(parsed.error);
  const config = helperConfigFromEnv(env);
  if (!config.ok) return refuse(config.error);
  const realSystem = config.paths.proc === DEFAULT_HELPER_PATHS.proc && config.paths.configRoot === DEFAULT_HELPER_PATHS.configRoot;
  if (io.euid !== 0 && realSystem && parsed.command.verb !== 'status') return refuse('must run as root (through pkexec or sudo)');

  const ctx: HelperContext = {
    paths: config.paths,
    hooks: config.hooks,
    invokingUid: config.invokingUid,
    checkpoint: makeCheckpoint(config.hooks.killAt),
    say: (line) => io.out.say(line),
    now: () => Date.now(),
  };
  const cmd = parsed.command;
  // From here on a SIGINT/SIGTERM/SIGHUP must not cut a transaction in half: note it, act on it after.
  const signals = io.signals ?? process;
  let interrupted = false;
  const note = (): void => {
    interrupted = true;
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) signals.on(s, note);
  try {
    let outcome: VerbOutcome;
    switch (cmd.verb) {
      case 'apply':
        outcome = await applyPlan(ctx, cmd.planPath);
        break;
      case 'confirm':
        outcome = await confirmTransaction(ctx, cmd.txid);
        break;
      case 'revert':
        outcome = await revertTransaction(ctx, cmd.txid);
        break;
      case 'status':
        outcome = await status(ctx);
        break;
      case 'recover':
        outcome = await recover(ctx);
        break;
    }
    if (cmd.verb === 'status' || outcome.result.outcome === 'nothing-to-recover') io.out.say(outcome.result.message);
    io.out.result(outcome.result);
    if (!outcome.countdown) return outcome.exit;
    if (interrupted) outcome = await revertTransaction(ctx, outcome.countdown.txid, 'interrupted before the countdown');
    else outcome = await holdCountdown(ctx, outcome.countdown, io.stdin, signals);
    io.out.result(outcome.result);
    return outcome.exit;
  } catch (e) {
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    io.out.say(`FAILED: ${message}. Run \`portwatch-helper recover\`.`);
    io.out.result(bare('failed', `${message}. Run recover.`));
    return HELPER_EXIT.needsRecover;
  } finally {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) signals.off(s, note);
  }
}

function bare(outcome: HelperResult['outcome'], message: string): HelperResult {
  return { schema: 1, verb: null, outcome, message, txid: null, changes: [], dropIn: null, overrides: [], deadline: null, transaction: null, history: [] };
}

function isMain(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  process.umask(0o022);
  // SIGHUP is ignored for the whole life of the process (the terminal may close during a countdown).
  process.on('SIGHUP', () => {});
  runHelper(process.argv.slice(2), process.env, {
    out: streamOutput(process.stdout),
    stdin: process.stdin,
    euid: process.geteuid?.() ?? -1,
  }).then(
    (code) => {
      process.exitCode = code;
      // stdin may keep the event loop alive after the countdown; the work is done.
      process.stdin.destroy();
    },
    () => {
      process.exitCode = HELPER_EXIT.needsRecover;
    },
  );
}
