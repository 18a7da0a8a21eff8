// A real OpenSSH server in its own network namespace, joined to a client namespace by a veth pair:
// what the remote-host tests connect to. The server has its own host key (made here), takes key auth
// for root and password auth for a dedicated test user (created here, removed by close()).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNamespace, type Namespace, type NsProcess } from '../netns/netns.js';

/** The dedicated password user (created for the tests, removed after). */
// One per test process: two files (or two people) running sshd tests at once must not reset each other's
// password or delete each other's user (each close() runs userdel).
export const PASSWORD_USER = `pwssh${process.pid}`;

/** Root's home directory on this machine (private and empty for sshd's sessions). */
const ROOT_HOME = homeOfRoot();

function homeOfRoot(): string {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('root:'));
  return line?.split(':')[5] || '/root';
}

/** A running server/client pair. */
export interface SshdPair {
  client: Namespace;
  server: Namespace;
  /** The server's address on the veth link. */
  serverAddress: string;
  /** The client's address on the veth link. */
  clientAddress: string;
  /** Interface name of the veth end inside the client namespace. */
  clientLink: string;
  /** Temporary directory with keys, configs and known_hosts. */
  dir: string;
  /** ssh -F file for root with the client key (known_hosts has the right host key). */
  keyConfig: string;
  /** ssh -F file for the password user (no keys offered). */
  passwordConfig: string;
  /** The password of PASSWORD_USER. */
  password: string;
  sshd: NsProcess;
  /** Runs argv in sshd's namespaces (network and mount: what a remote session sees). */
  execAsRemote(argv: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Starts sshd (again) after it was killed. */
  startSshd(): Promise<NsProcess>;
  /** Replaces the server's host key and restarts sshd (known_hosts keeps the old one). */
  changeHostKey(): Promise<void>;
  close(): Promise<void>;
}

let pairs = 0;

function keygen(path: string, comment: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
}

/** Creates both namespaces, the link, keys, user and configs, and starts sshd. */
export async function startSshdPair(label: string, opts: { server?: Namespace; privateDirs?: readonly string[] } = {}): Promise<SshdPair> {
  const n = ++pairs;
  const net = `10.${200 + (process.pid % 50)}.${n}`;
  const serverAddress = `${net}.2`;
  const clientAddress = `${net}.1`;
  const client = await createNamespace(`${label}cli`);
  // A given server namespace (e.g. a benchmark's socket set) stays its owner's: close() leaves it.
  const server = opts.server ?? (await createNamespace(`${label}srv`));
  const ownsServer = opts.server === undefined;
  const dir = mkdtempSync(join(tmpdir(), 'pw-sshd-'));
  chmodSync(dir, 0o755);
  try {
    execFileSync('ip', ['-n', client.name, 'link', 'add', 'pwc0', 'type', 'veth', 'peer', 'name', 'pws0', 'netns', server.name]);
    await client.execOrThrow(['ip', 'addr', 'add', `${clientAddress}/24`, 'dev', 'pwc0']);
    await client.execOrThrow(['ip', 'link', 'set', 'pwc0', 'up']);
    await server.execOrThrow(['ip', 'addr', 'add', `${serverAddress}/24`, 'dev', 'pws0']);
    await server.execOrThrow(['ip', 'link', 'set', 'pws0', 'up']);

    keygen(join(dir, 'host_key'), 'portwatch-test-host');
    keygen(join(dir, 'id_client'), 'portwatch-test-client');
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id_client.pub')), { mode: 0o644 });
    const password = `pw-${process.pid}-${Date.now().toString(36)}`;
    if (spawnSync('id', [PASSWORD_USER]).status !== 0) {
      execFileSync('useradd', ['--no-create-home', '--home-dir', '/nonexistent', '--shell', '/bin/sh', PASSWORD_USER]);
    }
    execFileSync('chpasswd', [], { input: `${PASSWORD_USER}:${password}\n` });
    // sshd refuses to start without its privilege separation directory.
    execFileSync('mkdir', ['-p', '/run/sshd']);
    writeFileSync(
      join(dir, 'sshd_config'),
      [
        `ListenAddress ${serverAddress}`,
        'Port 22',
        `HostKey ${join(dir, 'host_key')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'StrictModes no',
        'PermitRootLogin prohibit-password',
        'PubkeyAuthentication yes',
        'PasswordAuthentication yes',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        `AllowUsers root ${PASSWORD_USER}`,
        'MaxStartups 50',
        'LogLevel VERBOSE',
        '',
      ].join('\n'),
    );
    const known = (): void => writeFileSync(join(dir, 'known_hosts'), `${serverAddress} ${readFileSync(join(dir, 'host_key.pub'), 'utf8')}`);
    known();
    const common = [
      `UserKnownHostsFile ${join(dir, 'known_hosts')}`,
      'GlobalKnownHostsFile /dev/null',
      'StrictHostKeyChecking yes',
      'UpdateHostKeys no',
      'LogLevel ERROR',
    ];
    const keyConfig = join(dir, 'ssh_config_key');
    writeFileSync(keyConfig, ['Host *', ...common, `IdentityFile ${join(dir, 'id_client')}`, 'IdentitiesOnly yes', 'PasswordAuthentication no', ''].join('\n  '));
    const passwordConfig = join(dir, 'ssh_config_password');
    writeFileSync(passwordConfig, ['Host *', ...common, 'PubkeyAuthentication no', 'PreferredAuthentications password', 'NumberOfPasswordPrompts 1', ''].join('\n  '));
    chmodSync(join(dir, 'id_client'), 0o600);

    const pair: SshdPair = {
      client,
      server,
      serverAddress,
      clientAddress,
      clientLink: 'pwc0',
      dir,
      keyConfig,
      passwordConfig,
      password,
      sshd: undefined as unknown as NsProcess,
      async startSshd() {
        const sshd = ['/usr/sbin/sshd', '-f', join(dir, 'sshd_config'), '-D', '-e'];
        // privateDirs: sshd and every session it starts see an empty tmpfs there (a mount namespace of
        // their own), so a test that writes e.g. /etc/sysctl.d "on the remote host" leaves this machine's alone.
        // Root's home is always private and empty: a session runs root's shell start-up files, and this
        // machine's (e.g. a pyenv hook that rehashes under a lock) can hang a session for a minute when a
        // test kills an earlier one mid-way; a fresh remote host has none of it.
        const dirs = [ROOT_HOME, ...(opts.privateDirs ?? [])];
        const mountThenExec = 'n=$1; shift; while [ "$n" -gt 0 ]; do mount -t tmpfs -o mode=0755 pw-sshd-test "$1"; shift; n=$((n - 1)); done; exec "$@"';
        const p = server.spawn(['unshare', '--mount', '--propagation', 'private', '--', 'sh', '-ec', mountThenExec, 'sh', String(dirs.length), ...dirs, ...sshd]);
        // Ready when it listens: poll ss inside the server namespace (bounded).
        for (let i = 0; i < 100; i++) {
          const r = await server.exec(['ss', '-tlnH', 'src', `${serverAddress}:22`]);
          if (r.stdout.includes(`${serverAddress}:22`)) break;
          if (p.exit) throw new Error(`sshd exited: ${p.stderr}`);
          await new Promise((res) => setTimeout(res, 50));
        }
        pair.sshd = p;
        return p;
      },
      async execAsRemote(argv) {
        const r = spawnSync('nsenter', ['-t', String(pair.sshd.pid), '-m', '-n', '--', ...argv], { encoding: 'utf8', timeout: 10_000 });
        return { code: r.status, stdout: r.stdout, stderr: r.stderr };
      },
      async changeHostKey() {
        pair.sshd.kill('SIGKILL');
        await pair.sshd.wait(5_000).catch(() => undefined);
        rmSync(join(dir, 'host_key'));
        rmSync(join(dir, 'host_key.pub'));
        keygen(join(dir, 'host_key'), 'portwatch-test-host-new');
        await pair.startSshd();
      },
      async close() {
        pair.sshd.kill('SIGKILL');
        await Promise.all([client.destroy(), ownsServer ? server.destroy() : Promise.resolve()]);
        spawnSync('userdel', [PASSWORD_USER]);
        rmSync(dir, { recursive: true, force: true });
      },
    };
    await pair.startSshd();
    return pair;
  } catch (err) {
    await Promise.all([client.destroy(), ownsServer ? server.destroy() : Promise.resolve()]);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
