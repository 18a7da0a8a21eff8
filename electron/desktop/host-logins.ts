// Logins to remote hosts for the desktop window: the user's own /usr/bin/ssh (their ~/.ssh/config, agent,
// keys, ProxyJump, known_hosts) runs in a pseudo-terminal whose output the window shows and whose input is
// what the user types there (password, passphrase, one-time code, "yes" to a new host key). It runs the
// remote command `true` with the same control socket as the reads, so once ssh has authenticated, the
// shared connection it leaves (ControlPersist) carries every read of that host; nothing typed is kept,
// logged or echoed by Portwatch. A changed host key is refused by ssh itself; the message says why and
// the fix. At most one login per host; each is bounded in time. Electron-free.
import { randomBytes } from 'node:crypto';
import type { HostLoginEvents, HostLoginSession } from '../common/host-login.js';
import { MAX_LOGIN_CHUNK } from '../common/host-login.js';
import { ContractError } from '../common/contract.js';
import { classifySshFailure, cleanSshText } from '../node/remote/ssh-errors.js';
import { SSH_PROGRAM, loginArgv, type SshConnection } from '../node/remote/ssh-command.js';
import { formatSshTarget } from '../node/remote/ssh-target.js';

/** A login that has not ended by then is stopped (someone walked away from a password prompt). */
export const LOGIN_TIMEOUT_MS = 5 * 60_000;

/** The pseudo-terminal a login runs in (node-pty in the app; tests may pass their own). */
export interface LoginPty {
  write(data: string): void;
  resize(cols: number, rows: number): void;
  kill(signal?: string): void;
}

export type SpawnLoginPty = (argv: readonly string[], size: { cols: number; rows: number }, onData: (d: string) => void, onExit: (exitCode: number | null) => void) => Promise<LoginPty>;

/** A login event with the host it belongs to (the window is sent it only while it shows that host). */
export type HostLoginEvent = { [E in keyof HostLoginEvents]: { event: E; data: HostLoginEvents[E] } }[keyof HostLoginEvents];

export interface HostLoginsOptions {
  /** The SSH connection of a host of the list (the same one its reads use), or null when it is not listed. */
  connectionOf: (host: string) => SshConnection | null;
  /** Called once ssh has logged in (read the host now). */
  loggedIn: (host: string) => void;
  /** Every login event, with its host. */
  emit: (host: string, event: HostLoginEvent) => void;
  /** Runs ssh through another program (tests: `ip netns exec NS`); default none. */
  launcher?: readonly string[];
  spawnPty?: SpawnLoginPty;
  timeoutMs?: number;
}

interface Login {
  session: HostLoginSession;
  pty: LoginPty | null;
  /** Typed before the terminal was up: sent once it is. */
  pending: string[];
  timer: ReturnType<typeof setTimeout>;
  connection: SshConnection;
}

/** The logins of the desktop app, one at most per host. */
export class HostLogins {
  private readonly byHost = new Map<string, Login>();

  constructor(private readonly opts: HostLoginsOptions) {}

  /** Starts the login of `host` (or returns the running one). Refused for a host that is not listed. */
  async start(host: string): Promise<HostLoginSession> {
    const running = this.byHost.get(host);
    if (running?.session.state === 'running') return { ...running.session };
    const connection = this.opts.connectionOf(host);
    if (!connection) throw new ContractError('unavailable', `${host} is not in the host list (any more): nothing to log in to`);
    const argv = [...(this.opts.launcher ?? []), SSH_PROGRAM, ...loginArgv(connection)];
    const login: Login = {
      session: { loginId: `hl-${randomBytes(6).toString('hex')}`, host, state: 'running', message: '', transcript: '' },
      pty: null,
      pending: [],
      timer: setTimeout(() => this.end(login, 'failed', `${formatSshTarget(connection.target)}: the login did not finish within ${Math.round((this.opts.timeoutMs ?? LOGIN_TIMEOUT_MS) / 60_000)} min; start it again`), this.opts.timeoutMs ?? LOGIN_TIMEOUT_MS),
      connection,
    };
    this.byHost.set(host, login);
    try {
      login.pty = await (this.opts.spawnPty ?? spawnNodePty)(
        argv,
        { cols: 100, rows: 24 },
        (d) => this.output(login, d),
        (code) => this.exited(login, code),
      );
    } catch (err) {
      this.end(login, 'failed', `ssh could not be started: ${err instanceof Error ? err.message : String(err)}`);
      return { ...login.session };
    }
    for (const d of login.pending.splice(0)) login.pty.write(d);
    if (login.session.state !== 'running') login.pty.kill('SIGKILL');
    return { ...login.session };
  }

  /** Types into the login of `host` (only the page of that host may); returns the characters written. */
  write(host: string, loginId: string, data: string): { written: number } {
    const login = this.running(host, loginId);
    if (login.pty) login.pty.write(data);
    else login.pending.push(data);
    return { written: data.length };
  }

  resize(host: string, loginId: string, cols: number, rows: number): { cols: number; rows: number } {
    this.running(host, loginId).pty?.resize(cols, rows);
    return { cols, rows };
  }

  /** Ends the login of `host` (ssh stopped); the session as it ended. */
  cancel(host: string, loginId: string): HostLoginSession {
    const login = this.byHost.get(host);
    if (!login || login.session.loginId !== loginId) throw new ContractError('conflict', `no login ${loginId} for ${host}`);
    if (login.session.state === 'running') this.end(login, 'cancelled', 'Login cancelled.');
    return { ...login.session };
  }

  /** The login of `host` as it is now (the latest one), or null. */
  session(host: string): HostLoginSession | null {
    const login = this.byHost.get(host);
    return login ? { ...login.session } : null;
  }

  /** Forgets the hosts no longer listed (their running logins are stopped). */
  keep(hosts: readonly string[]): void {
    for (const [host, login] of this.byHost) {
      if (hosts.includes(host)) continue;
      if (login.session.state === 'running') this.end(login, 'cancelled', `${host} was removed from the host list.`);
      this.byHost.delete(host);
    }
  }

  /** Stops every running login. */
  close(): void {
    this.keep([]);
  }

  private running(host: string, loginId: string): Login {
    const login = this.byHost.get(host);
    if (!login || login.session.loginId !== loginId) throw new ContractError('conflict', `no login ${loginId} for ${host}: start a new one`);
    if (login.session.state !== 'running') throw new ContractError('conflict', `the login ${loginId} has ended (${login.session.state})`);
    return login;
  }

  private output(login: Login, data: string): void {
    if (login.session.state !== 'running') return;
    login.session.transcript = (login.session.transcript + data).slice(-MAX_LOGIN_CHUNK);
    for (let i = 0; i < data.length; i += MAX_LOGIN_CHUNK) this.emit(login, { event: 'hostLoginOutput', data: { loginId: login.session.loginId, data: data.slice(i, i + MAX_LOGIN_CHUNK) } });
  }

  private exited(login: Login, code: number | null): void {
    if (login.session.state !== 'running') return;
    const target = formatSshTarget(login.connection.target);
    if (code === 0) {
      this.end(login, 'logged-in', `Logged in: ${target} is read over the shared connection from now on.`);
      this.opts.loggedIn(login.session.host);
      return;
    }
    // ssh's words on the terminal say why; the same rules as for a failed read name the fix.
    const why = classifySshFailure(login.connection.target, stripTerminal(login.session.transcript), code);
    this.end(login, 'failed', why.kind === 'needs-login' ? `${target}: not logged in (${lastLine(login.session.transcript) || `ssh exited with status ${code}`}); try again` : why.message);
  }

  private end(login: Login, state: HostLoginSession['state'], message: string): void {
    if (login.session.state !== 'running') return;
    clearTimeout(login.timer);
    login.session = { ...login.session, state, message: message.slice(0, 2000) };
    // ssh has ended by itself when logged in; otherwise (cancelled, timed out, failed) make sure it has.
    if (state !== 'logged-in') {
      try {
        login.pty?.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    this.emit(login, { event: 'hostLoginStatus', data: { ...login.session } });
  }

  private emit(login: Login, event: HostLoginEvent): void {
    try {
      this.opts.emit(login.session.host, event);
    } catch (err) {
      process.emitWarning(`Portwatch: login event listener failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** Terminal output as text: escape sequences removed, control characters made visible. */
function stripTerminal(text: string): string {
  return cleanSshText(text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\x1b[()][0-9A-Za-z]/g, ''));
}

function lastLine(text: string): string {
  return stripTerminal(text).split('\n').map((l) => l.trim()).filter((l) => l !== '').at(-1)?.slice(0, 300) ?? '';
}

/** node-pty, loaded when the first login starts (a native module the app may not need at all). */
const spawnNodePty: SpawnLoginPty = async (argv, size, onData, onExit) => {
  const pty = await import('node-pty');
  const { ptyMasterCloseOnExec } = await import('../node/platform/linux/native/close-on-exec.js');
  const p = pty.spawn(argv[0]!, argv.slice(1), {
    name: 'xterm-256color',
    cols: size.cols,
    rows: size.rows,
    cwd: process.env.HOME ?? '/',
    env: process.env as Record<string, string>,
  });
  // Children started later must not inherit this terminal (see close-on-exec.ts; Linux with the addon only).
  ptyMasterCloseOnExec(p);
  p.onData(onData);
  p.onExit(({ exitCode, signal }) => onExit(signal ? null : exitCode));
  return { write: (d) => p.write(d), resize: (c, r) => p.resize(c, r), kill: (s) => p.kill(s) };
};
