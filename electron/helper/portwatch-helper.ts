#!/usr/bin/env node
// portwatch-helper: the only program Portwatch runs as root (or elevated on Windows). Five verbs
// (argv.ts), a closed allow-list of keys with numeric bounds per platform (common/tuning.ts), never a
// shell. On Linux values are written straight to /proc/sys and no other program runs; on macOS the
// helper runs /usr/sbin/sysctl and on Windows %SystemRoot%\System32\netsh.exe and reg.exe, by absolute
// path with argv (settings-store.ts). Elevated by pkexec (build/linux/io.portwatch.helper.policy names
// this file) or sudo (Linux, macOS), by UAC on Windows; run directly when the caller already has the rights.
//   portwatch-helper apply /abs/plan.json   apply, read back, persist, then wait for keep/revert on stdin
//   portwatch-helper confirm TXID | revert TXID | status | recover
import { realpathSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HELPER_EXIT, type HelperResult } from '../common/tuning.js';
import { HELPER_USAGE, parseHelperArgv } from './argv.js';
import { makeCheckpoint } from './checkpoints.js';
import { holdCountdown } from './countdown.js';
import { defaultHelperPaths, helperConfigFromEnv, type HelperPaths } from './helper-config.js';
import { streamOutput, type HelperOutput } from './output.js';
import { createPlatformStore, isElevatedWin32 } from './platform-store.js';
import type { SettingsStore } from './settings-store.js';
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

/** Which platform the helper acts for and where its values live (tests give a store with a fake command runner). */
export interface HelperPlatform {
  platform?: NodeJS.Platform;
  store?: (paths: HelperPaths) => SettingsStore;
  /** Waits between attempts of a failed revert at the deadline (tests shorten them). */
  revertRetryMs?: readonly number[];
}

/** Runs one helper command line; resolves to the exit status. Never throws. */
export async function runHelper(argv: readonly string[], env: NodeJS.ProcessEnv, io: HelperIo, on: HelperPlatform = {}): Promise<number> {
  const platform = on.platform ?? process.platform;
  const refuse = (message: string): number => {
    io.out.say(`refused: ${message}`);
    io.out.say(HELPER_USAGE);
    io.out.result(bare('refused', `Refused: ${message}.`));
    return HELPER_EXIT.refused;
  };
  const parsed = parseHelperArgv(argv, platform);
  if (!parsed.ok) return refuse(parsed.error);
  const config = helperConfigFromEnv(env, platform);
  if (!config.ok) return refuse(config.error);
  const real = defaultHelperPaths(platform, env);
  const realSystem = config.paths.proc === real.proc && config.paths.configRoot === real.configRoot;
  if (io.euid !== 0 && realSystem && parsed.command.verb !== 'status') {
    return refuse(platform === 'win32' ? 'must run elevated (accept the Windows UAC prompt)' : `must run as root (through ${platform === 'linux' ? 'pkexec or ' : ''}sudo)`);
  }
  const store = on.store ? on.store(config.paths) : createPlatformStore(platform, config.paths, env);
  if (!store) return refuse(`Portwatch cannot change settings on ${platform}`);

  const ctx: HelperContext = {
    store,
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
    else outcome = await holdCountdown(ctx, outcome.countdown, io.stdin, signals, on.revertRetryMs);
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
    // Only when started as the helper itself: a bundle that embeds this module as a library (a test entry
    // point) has the same import.meta.url as its own file, and must not start a second helper run.
    return (
      process.argv[1] !== undefined &&
      basename(process.argv[1]).startsWith('portwatch-helper') &&
      realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
    );
  } catch {
    return false;
  }
}

if (isMain()) {
  process.umask(0o022);
  // SIGHUP is ignored for the whole life of the process (the terminal may close during a countdown).
  process.on('SIGHUP', () => {});
  // Windows has no euid: an elevated token counts as root.
  const euid = process.platform === 'win32' ? isElevatedWin32(process.env).then((e) => (e ? 0 : -1)) : Promise.resolve(process.geteuid?.() ?? -1);
  euid.then((id) =>
    runHelper(process.argv.slice(2), process.env, {
      out: streamOutput(process.stdout),
      stdin: process.stdin,
      euid: id,
    }),
  ).then(
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
