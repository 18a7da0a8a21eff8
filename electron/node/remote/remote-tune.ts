// Tuning a remote Linux host over the user's own SSH, with the same plan document the local helper takes:
// the plan's settings become numeric arguments of the fixed remote script (remote-tune-script.ts), run in
// a terminal over `ssh -t` (sudo asks there when the login is not root). The terminal session is the
// local helper's (helper-session.ts): the remote script prints the helper's result line, so the CLI and a
// UI read it the same way. The values are read back over SSH, without privileges, and compared with the
// plan by the same verification as a local apply.
import type { HelperPlanDocument, TunableKey } from '../../common/tuning.js';
import { LINUX_TUNABLE_KEYS, TUNABLE_KEYS, TXID_PATTERN, formatReservedPorts, parseHelperPlanDocument, planPlatform } from '../../common/tuning.js';
import { TuningError } from '../../common/errors/tuning-error.js';
import { newTxid } from '../../helper/transaction.js';
import { startHelperSession, type HelperSession } from '../tuning/helper-session.js';
import { displayArgv, type ReviewCommand } from '../tuning/review.js';
import { REMOTE_TUNE_NAME, REMOTE_TUNE_SCRIPT_SHA256, REMOTE_TUNE_WRAPPER } from './remote-tune-script.js';
import { SSH_PROGRAM, batchArgv, spawnSshRunner, terminalArgv, type SshConnection, type SshRunner } from './ssh-command.js';
import { classifySshFailure } from './ssh-errors.js';
import { formatSshTarget } from './ssh-target.js';

/** The remote script's verbs (confirm is the keep step). */
export type RemoteTuneVerb = 'apply' | 'confirm' | 'revert' | 'status';

// Words the script takes: numbers, port lists, transaction ids, its fixed setting names. Nothing else
// may reach the remote command line (the login shell there parses it).
const SAFE_WORD = /^[0-9A-Za-z,-]{1,4000}$/;

/** The script's arguments for `apply` of a plan document (Linux only); throws TuningError naming the culprit. */
export function remoteApplyArgs(doc: HelperPlanDocument, txid: string): string[] {
  const v = parseHelperPlanDocument(doc);
  if (!v.ok) throw new TuningError(`the plan cannot be sent to the remote host: ${v.error}`);
  if (planPlatform(v.value) !== 'linux') throw new TuningError(`remote tuning works on Linux hosts only; this plan is for ${planPlatform(v.value)}`);
  if (!TXID_PATTERN.test(txid)) throw new TuningError(`transaction id ${JSON.stringify(txid)} is not of the form 20261124T101500Z-a1b2c3`);
  const args = ['apply', String(v.value.confirmTimeoutSec), txid];
  // In the allow-list's write order (reserved ports before the range), as the local helper writes them.
  for (const key of LINUX_TUNABLE_KEYS) {
    const s = v.value.settings.find((x) => x.key === key);
    if (!s) continue;
    if (s.key === 'net.ipv4.ip_local_reserved_ports') args.push('reserved', s.ranges.length === 0 ? 'none' : formatReservedPorts(s.ranges));
    else if (s.key === 'net.ipv4.ip_local_port_range') args.push('range', String(s.low), String(s.high));
    else if (s.key === 'net.ipv4.tcp_tw_reuse') args.push('twreuse', String(s.value));
    else if (s.key === 'net.ipv4.tcp_tw_reuse_delay') args.push('twdelay', String(s.value));
  }
  return checkWords(args);
}

/** The script's arguments for confirm / revert / status. */
export function remoteVerbArgs(verb: Exclude<RemoteTuneVerb, 'apply'>, txid?: string): string[] {
  if (verb === 'status') return ['status'];
  if (txid === undefined || !TXID_PATTERN.test(txid)) throw new TuningError(`${verb} needs a transaction id such as 20261124T101500Z-a1b2c3, got ${JSON.stringify(txid ?? '')}`);
  return [verb, txid];
}

function checkWords(words: string[]): string[] {
  for (const w of words) if (!SAFE_WORD.test(w)) throw new TuningError(`${JSON.stringify(w.slice(0, 80))} cannot be sent to the remote host (numbers, port lists and transaction ids only)`);
  return words;
}

/** The remote command words (what the remote login shell parses): the wrapper is the only quoted word. */
export function remoteTuneWords(args: readonly string[], sudo: boolean): string[] {
  return [...(sudo ? ['sudo', '--'] : []), 'sh', '-c', `'${REMOTE_TUNE_WRAPPER}'`, REMOTE_TUNE_NAME, ...checkWords([...args])];
}

/** Options for a remote tuner. */
export interface RemoteTunerOptions {
  connection: SshConnection;
  /** Runs the non-interactive reads (default spawns /usr/bin/ssh). */
  runner?: SshRunner;
  /** Runs ssh through another program (absolute path first), e.g. `ip netns exec NS` in tests. */
  launcher?: readonly string[];
  terminal?: { cols: number; rows: number };
  /** Environment of the terminal's ssh (default: PATH, HOME, TERM, LANG, SSH_AUTH_SOCK, USER of this process). */
  env?: Record<string, string>;
}

/** Drives the remote script for one host. */
export class RemoteTuner {
  /** "user@host:port" as the user wrote it. */
  readonly label: string;

  constructor(private readonly o: RemoteTunerOptions) {
    this.label = formatSshTarget(o.connection.target);
    if (o.launcher && o.launcher.length > 0 && !o.launcher[0]!.startsWith('/')) throw new TuningError(`the ssh launcher must start with an absolute path, got ${JSON.stringify(o.launcher[0])}`);
  }

  /** Whether the login is root (no sudo needed); throws SshError when the host cannot be reached. */
  async loginIsRoot(): Promise<boolean> {
    const r = await (this.o.runner ?? spawnSshRunner)(batchArgv(this.o.connection, ['id', '-u']), '', 30_000);
    const uid = r.stdout.toString('utf8').trim();
    if (r.exitCode !== 0 || !/^\d{1,10}$/.test(uid)) throw classifySshFailure(this.o.connection.target, r.stderr, r.exitCode);
    return uid === '0';
  }

  /** The local argv that runs the script with these arguments in a terminal. */
  argv(args: readonly string[], sudo: boolean): string[] {
    return [...(this.o.launcher ?? []), SSH_PROGRAM, ...terminalArgv(this.o.connection, remoteTuneWords(args, sudo))];
  }

  /** The argv as people are shown it: exact, except the base64 script, named by its sha256 (--show-remote-script prints the text). */
  shownArgv(args: readonly string[], sudo: boolean): string[] {
    return [SSH_PROGRAM, ...terminalArgv(this.o.connection, remoteTuneWords(args, sudo))].map((w) =>
      w === `'${REMOTE_TUNE_WRAPPER}'` ? `<the fixed Portwatch remote script, sha256 ${REMOTE_TUNE_SCRIPT_SHA256.slice(0, 16)}…>` : w,
    );
  }

  /** The command as the user is shown it: exact, except the base64 script, named by its sha256. */
  command(args: readonly string[], sudo: boolean): ReviewCommand {
    const argv = [SSH_PROGRAM, ...terminalArgv(this.o.connection, remoteTuneWords(args, sudo))];
    const shown = displayArgv(this.shownArgv(args, sudo));
    return {
      argv,
      display: shown,
      why: `${sudo ? 'Logs in over ssh and asks sudo there for your password (on the remote host), then runs' : 'Logs in over ssh as root and runs'} Portwatch's fixed script (\`portwatch tune --show-remote-script\` prints it): it saves the old values in a root-only directory there, writes the new ones, reads them back, persists them in the drop-in, and arms a countdown on the remote host that reverts unless you keep the change.`,
    };
  }

  /** Starts the script in a terminal session (the password prompt of sudo or ssh shows there). */
  start(args: readonly string[], sudo: boolean): Promise<HelperSession> {
    return startHelperSession(this.argv(args, sudo), { method: sudo ? 'sudo' : 'direct', env: this.o.env ?? sessionEnv(), transport: 'pty', ...(this.o.terminal ?? {}) });
  }

  /** The live value of every Linux tunable key on the remote host, read without privileges (null when absent). */
  async readLive(): Promise<Record<TunableKey, string | null>> {
    const paths = LINUX_TUNABLE_KEYS.map((k) => `/proc/sys/${k.replaceAll('.', '/')}`);
    // head prints "==> PATH <==" before each file; a file this kernel lacks is only named on stderr.
    const r = await (this.o.runner ?? spawnSshRunner)(batchArgv(this.o.connection, ['head', '-v', '-n', '1', '--', ...paths]), '', 30_000);
    if (r.exitCode === 255 || r.exitCode === null) throw classifySshFailure(this.o.connection.target, r.stderr, r.exitCode);
    return parseLiveValues(r.stdout.toString('utf8'));
  }
}

/** Reads `head -v -n 1` of the /proc/sys files into values per key (every other key null). */
export function parseLiveValues(text: string): Record<TunableKey, string | null> {
  const out = Object.fromEntries(TUNABLE_KEYS.map((k) => [k, null])) as Record<TunableKey, string | null>;
  let key: TunableKey | null = null;
  for (const line of text.split('\n')) {
    const m = /^==> \/proc\/sys\/(.+) <==$/.exec(line);
    if (m) {
      const k = m[1]!.replaceAll('/', '.');
      key = (LINUX_TUNABLE_KEYS as readonly string[]).includes(k) ? (k as TunableKey) : null;
      if (key) out[key] = '';
      continue;
    }
    if (key && out[key] === '') out[key] = line;
  }
  return out;
}

/** A new transaction id for a remote change. */
export function newRemoteTxid(now = Date.now()): string {
  return newTxid(now);
}

/** What ssh needs from this process's environment (its agent, home for ~/.ssh, the terminal type). */
function sessionEnv(): Record<string, string> {
  const keep = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'SSH_AUTH_SOCK', 'XDG_RUNTIME_DIR'];
  const env: Record<string, string> = { TERM: 'xterm-256color' };
  for (const k of keep) if (process.env[k] !== undefined) env[k] = process.env[k]!;
  return env;
}
