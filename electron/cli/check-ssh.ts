// `portwatch check --ssh [user@]host[:port]`: the same report, JSON and exit codes for a remote host read
// over the user's own SSH (nothing installed there). When ssh needs a password, passphrase, one-time
// code or a host key decision and a person is at the terminal, ssh asks them there, once; the reads
// then share that authenticated connection.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sample } from '../common/model.js';
import type { AnalysisConfig } from '../common/config.js';
import { ControlDirError, defaultControlDir, ensureControlDir } from '../node/remote/control-dir.js';
import { RemoteSampleSource } from '../node/remote/remote-sample-source.js';
import { SSH_PROGRAM, loginArgv, type SshConnection } from '../node/remote/ssh-command.js';
import { checkSshConfigPath, isSshTargetError, parseSshTarget } from '../node/remote/ssh-target.js';
import { EXIT, severityExitCode } from './exit-codes.js';
import type { Io } from './args.js';

/** What check --ssh needs from the command line. */
export interface CheckSshOptions {
  host: string;
  configFile: string | undefined;
  config: AnalysisConfig;
  interval: number;
  emit: (s: Sample) => void;
  json: boolean;
  /** Where control sockets go (tests); default defaultControlDir(). */
  controlDir?: string;
  /** Ask ssh's questions on this terminal (default: when stdin and stderr are terminals). */
  interactive?: boolean;
}

/** Builds the connection for a host the user named; prints the culprit and returns null when refused. */
export function sshConnectionFor(host: string, configFile: string | undefined, io: Io, command: string, controlDir?: string): SshConnection | null {
  try {
    const target = parseSshTarget(host);
    const dir = ensureControlDir(controlDir ?? defaultControlDir());
    return { target, controlDir: dir, ...(configFile === undefined ? {} : { configFile: checkSshConfigPath(configFile) }) };
  } catch (err) {
    if (isSshTargetError(err) || err instanceof ControlDirError) {
      io.stderr.write(`portwatch ${command}: ${err.message}\n`);
      return null;
    }
    throw err;
  }
}

/** Runs the interactive login on this terminal; resolves to ssh's exit status. */
export function interactiveLogin(connection: SshConnection): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(SSH_PROGRAM, loginArgv(connection), { stdio: 'inherit', shell: false });
    child.on('error', () => resolve(null));
    child.on('exit', (code) => resolve(code));
  });
}

/** Runs check against a remote host; resolves to the exit status. */
export async function checkOverSsh(o: CheckSshOptions, io: Io): Promise<number> {
  const connection = sshConnectionFor(o.host, o.configFile, io, 'check', o.controlDir);
  if (!connection) return EXIT.unknown;
  const remote = new RemoteSampleSource({ connection, analysis: o.config });
  const backend = remote.backend;
  let sample = await remote.sampleOnce();
  const interactive = o.interactive ?? (process.stdin.isTTY === true && (process.stderr as NodeJS.WriteStream).isTTY === true);
  const st = backend.status();
  if (interactive && (st.state === 'needs-login' || st.state === 'host-key-unknown')) {
    io.stderr.write(`portwatch check: logging in to ${backend.label}; ssh asks below (Portwatch never sees or stores what you type)\n`);
    await interactiveLogin(connection);
    sample = await remote.sampleOnce();
  }
  if (backend.status().state === 'connected' && o.interval > 0) {
    await sleep(o.interval * 1000);
    sample = await remote.sampleOnce();
  }
  const final = backend.status();
  if (final.state !== 'connected') io.stderr.write(`portwatch check: ${final.message}\n`);
  o.emit(sample);
  if (o.json) io.stdout.write('\n');
  return severityExitCode(sample.severity);
}
