// Runs ssh, the system's OpenSSH client, so the user's ~/.ssh/config, agent, keys, ProxyJump and
// known_hosts work as in their terminal. argv arrays only, never a local shell; `--` before the host;
// one multiplexed connection per host (ControlMaster=auto in a private 0700 directory) carries every read.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SshTargetError, type SshTarget } from './ssh-target.js';

/** The OpenSSH client (Linux and macOS keep it here). */
export const SSH_PROGRAM = '/usr/bin/ssh';

/** How to reach one host. */
export interface SshConnection {
  target: SshTarget;
  /** `ssh -F FILE` (scripted use); absent: the user's own configuration. */
  configFile?: string;
  /** The private directory for the control socket (see control-dir.ts). */
  controlDir: string;
  /** How long the shared connection stays up after its last use (seconds). */
  persistSec?: number;
  /** ssh's ConnectTimeout (seconds). */
  connectTimeoutSec?: number;
}

/** Options every ssh run shares: multiplexing, compression, liveness. */
function commonOptions(c: SshConnection): string[] {
  const o = (kv: string): string[] => ['-o', kv];
  return [
    ...(c.configFile === undefined ? [] : ['-F', c.configFile]),
    ...o('ControlMaster=auto'),
    // %C is a hash of the connection: short (socket paths are limited) and one per host/port/user.
    ...o(`ControlPath=${join(c.controlDir, '%C')}`),
    ...o(`ControlPersist=${c.persistSec ?? 300}`),
    ...o(`ConnectTimeout=${c.connectTimeoutSec ?? 10}`),
    // A cut link is noticed within ~15 s by the shared connection, so the next read reconnects.
    ...o('ServerAliveInterval=5'),
    ...o('ServerAliveCountMax=3'),
    '-C',
    ...(c.target.port === undefined ? [] : ['-p', String(c.target.port)]),
    ...(c.target.user === undefined ? [] : ['-l', c.target.user]),
  ];
}

function checkTarget(t: SshTarget): void {
  // parseSshTarget refuses these already; this guards every other way a target could arrive.
  for (const [what, v] of [['host', t.host], ['user', t.user ?? 'x']] as const) {
    if (v === '' || v.startsWith('-') || /\s/.test(v)) throw new SshTargetError(`SSH ${what} ${JSON.stringify(v)} could be read by ssh as an option`);
  }
}

/** argv for a non-interactive run: never prompts (BatchMode), so a read cannot hang on a question. */
export function batchArgv(c: SshConnection, remote: readonly string[]): string[] {
  checkTarget(c.target);
  return [...commonOptions(c), '-o', 'BatchMode=yes', '-T', '--', c.target.host, ...remote];
}

/** argv for the interactive login (password, passphrase, one-time code, host key question) in a terminal. */
export function loginArgv(c: SshConnection): string[] {
  checkTarget(c.target);
  // `true` ends at once; with ControlPersist the authenticated connection stays for the reads.
  return [...commonOptions(c), '--', c.target.host, 'true'];
}

/** argv for a command in a terminal on the remote host (sudo asks there), e.g. tuning. */
export function terminalArgv(c: SshConnection, remote: readonly string[]): string[] {
  checkTarget(c.target);
  return [...commonOptions(c), '-t', '--', c.target.host, ...remote];
}

/** argv that closes the shared connection (ssh -O exit). */
export function exitArgv(c: SshConnection): string[] {
  checkTarget(c.target);
  return [...commonOptions(c), '-O', 'exit', '--', c.target.host];
}

/** What one ssh run returned. */
export interface SshResult {
  stdout: Buffer;
  stderr: string;
  /** ssh's exit status (the remote command's, or 255 for ssh's own failure); null when killed. */
  exitCode: number | null;
}

/** Runs ssh with argv, writes `input` to its stdin; bounded output; never throws for a failed run. */
export type SshRunner = (argv: readonly string[], input: string, timeoutMs: number, signal?: AbortSignal) => Promise<SshResult>;

/** Largest remote output kept (150,000 sockets in /proc/net/tcp are about 23 MB). */
export const MAX_REMOTE_OUTPUT = 256 * 1024 * 1024;
const MAX_STDERR = 64 * 1024;

/**
 * A runner that spawns ssh without a shell. `launcher` runs ssh through another program given as argv
 * (tests: `ip netns exec NS`, so ssh runs inside a test namespace); the default runs /usr/bin/ssh itself.
 */
export function createSshRunner(launcher: readonly string[] = []): SshRunner {
  return (argv, input, timeoutMs, signal) => runSsh([...launcher, SSH_PROGRAM, ...argv], input, timeoutMs, signal);
}

/** The real runner: spawns /usr/bin/ssh without a shell. */
export const spawnSshRunner: SshRunner = createSshRunner();

function runSsh(command: readonly string[], input: string, timeoutMs: number, signal?: AbortSignal): Promise<SshResult> {
  return new Promise((resolve) => {
    const child = spawn(command[0]!, command.slice(1), { shell: false, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let note = '';
    let settled = false;
    const kill = (why: string): void => {
      note ||= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill(`no answer within ${timeoutMs} ms`), timeoutMs);
    const onAbort = (): void => kill('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_REMOTE_OUTPUT) kill(`more than ${MAX_REMOTE_OUTPUT} bytes of output`);
      else chunks.push(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < MAX_STDERR) stderr += d;
    });
    child.stdin.on('error', () => undefined); // ssh may exit before reading all of stdin
    child.stdin.end(input);
    let stdoutEnded = false;
    let exit: number | null | undefined;
    const finish = (): void => {
      // A backgrounded ControlPersist master may keep stderr open: wait for exit and stdout only.
      if (settled || exit === undefined || !stdoutEnded) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      child.stderr.destroy();
      resolve({ stdout: Buffer.concat(chunks), stderr: note ? `${stderr}\nportwatch: ssh ${note}` : stderr, exitCode: note ? null : exit });
    };
    child.stdout.on('end', () => {
      stdoutEnded = true;
      finish();
    });
    child.stdout.on('close', () => {
      stdoutEnded = true;
      finish();
    });
    child.on('exit', (code) => {
      exit = code;
      finish();
    });
    child.on('error', (err) => {
      exit = null;
      stdoutEnded = true;
      note ||= `could not be started (${(err as NodeJS.ErrnoException).code ?? err.message}); is OpenSSH's client installed at ${SSH_PROGRAM}?`;
      finish();
    });
  });
}
