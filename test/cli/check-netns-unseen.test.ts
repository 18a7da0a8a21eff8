// What a host-wide check cannot see, it says. On the real kernel: another user holds a network namespace
// of its own (`unshare -rn` as nobody, named nowhere). As root with every capability, `check --netns host`
// lists that namespace and says nothing is unseen. As root without CAP_SYS_PTRACE (as in a container
// that was not given it), the kernel refuses /proc/<pid>/ns/net of every process whose capabilities are
// not a subset of the checker's (nobody's in its own user namespace among them): that namespace is
// missing, and the report, the JSON and /metrics-to-be say how many processes were not seen, which, why
// and the fix, instead of leaving them out in silence. As root without CAP_SYS_ADMIN (a namespace listed,
// then refused by setns): every other namespace is refused with the reason and the fix, its own is read.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HostCheckDocument } from '../../electron/cli/host-report.js';
import { describeNetns } from '../netns/describe-netns.js';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';

const NO_PTRACE = ['setpriv', '--inh-caps=-sys_ptrace', '--bounding-set=-sys_ptrace', '--'];
const NO_SYS_ADMIN = ['setpriv', '--inh-caps=-sys_admin', '--bounding-set=-sys_admin', '--'];

function check(args: string[], between: string[] = []): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(between[0] ?? process.execPath, [...between.slice(1), ...(between.length ? [process.execPath] : []), '--import', 'tsx', CLI_ENTRY, 'check', '--netns', 'host', '--interval', '0', '--no-owners', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, COLUMNS: '80' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describeNetns('a host-wide check says which processes it could not see', () => {
  let holder: ChildProcess;
  let pid = 0;
  let inode = 0;

  beforeAll(async () => {
    // nobody, in a user and network namespace of its own, for at most 5 minutes
    holder = spawn('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', 'unshare', '-rn', 'sleep', '300'], { stdio: 'ignore' });
    for (let i = 0; i < 50 && inode === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const found = spawnSync('pgrep', ['-P', String(holder.pid), '-x', 'sleep'], { encoding: 'utf8' }).stdout.trim() || (readlinkSafe(`/proc/${holder.pid}/exe`).endsWith('/sleep') ? String(holder.pid) : '');
      if (!found) continue;
      pid = Number(found.split('\n')[0]);
      const link = readlinkSafe(`/proc/${pid}/ns/net`);
      if (link !== readlinkSafe('/proc/self/ns/net') && /^net:\[\d+\]$/.test(link)) inode = Number(/\d+/.exec(link)![0]);
    }
    expect(inode, 'the holder has a namespace of its own').toBeGreaterThan(0);
  }, 30_000);

  afterAll(() => {
    holder?.kill('SIGKILL');
    if (pid) spawnSync('kill', ['-9', String(pid)]);
  });

  it('with every capability: the other user\'s namespace is listed, and its process is not among the unseen', () => {
    const r = check(['--json']);
    const doc = JSON.parse(r.stdout) as HostCheckDocument;
    expect(doc.host.namespaces.map((n) => n.identity.inode)).toContain(inode);
    // Some sandboxes hide their own pid 1 even from root with every capability: said as such, if so.
    if (doc.host.unseen) {
      expect(doc.host.unseen.examples).not.toContain(`sleep (pid ${pid})`);
      expect(doc.host.unseen.why).toContain('although Portwatch has CAP_SYS_PTRACE');
    }
  }, 120_000);

  it('without CAP_SYS_PTRACE: that namespace is missing, and the JSON and the report say who was not seen, why and the fix', () => {
    const r = check(['--json'], NO_PTRACE);
    const doc = JSON.parse(r.stdout) as HostCheckDocument;
    expect(doc.host.namespaces.map((n) => n.identity.inode)).not.toContain(inode);
    expect(doc.host.unseen?.processes).toBeGreaterThanOrEqual(1);
    expect(doc.host.unseen?.why).toMatch(/^the kernel would not show (its|their) network namespace \(EACCES: Portwatch runs without CAP_SYS_PTRACE/);
    const text = check(['--wide'], NO_PTRACE).stdout;
    expect(text).toMatch(/ {2}Not seen: \d+ process(es)? — .*: the kernel would not show (its|their) network namespace/);
    expect(text).toContain('Run Portwatch as root with CAP_SYS_PTRACE');
  }, 120_000);

  it('without CAP_SYS_ADMIN: its own namespace is still read, every other one is refused with the reason and the fix, in 80 columns', () => {
    const doc = JSON.parse(check(['--json'], NO_SYS_ADMIN).stdout) as HostCheckDocument;
    const own = Number(/\d+/.exec(readlinkSync('/proc/self/ns/net'))![0]);
    const byInode = new Map(doc.host.namespaces.map((n) => [n.identity.inode, n]));
    // setns would need CAP_SYS_ADMIN even into the namespace the process is in: it is read without it
    expect(byInode.get(own)).toMatchObject({ status: 'ok', severity: expect.not.stringMatching(/^unknown$/) });
    expect(byInode.get(inode)).toMatchObject({ status: 'refused', error: expect.stringMatching(/setns\(CLONE_NEWNET\): Operation not permitted \(entering another network namespace needs CAP_SYS_ADMIN: run Portwatch as root with it, or --netns self\)/) });
    // the report (not a terminal: 80 columns) wraps the long reasons instead of running past the edge
    const text = check([], NO_SYS_ADMIN).stdout;
    expect(text).toContain('REFUSED');
    expect(text).toMatch(/Worst namespace: host/);
    for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  }, 120_000);
});

function readlinkSafe(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}
