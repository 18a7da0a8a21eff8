// The connect-failure tracer degraded for real, the CLI run as a user would in a namespace whose state is
// known (8 of 10 ports held toward one destination: warning, exit 1): bpftrace not on PATH, not root (an
// unprivileged user without capabilities), tracefs unmounted (in a private mount namespace, so the
// host's mount is never touched). Each run names the reason and the fix among its sources, and the
// report and exit status are the same as a check that never ran the tracer (--interval 0).
// The check enters the namespace with nsenter --net (`ip netns exec` would remount /sys without tracefs).
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Sample } from '../../electron/common/model.js';
import { tracerPreflight } from '../../electron/node/platform/linux/tracer/connect-failure-tracer.js';
import { describeNetns } from '../netns/describe-netns.js';
import { createNamespace, type Namespace, type NsProcess } from '../netns/netns.js';
import { CLI_ENTRY, REPO_ROOT } from '../netns/portwatch-cli.js';
import { spawnSync } from 'node:child_process';

const canTrace = !('error' in tracerPreflight());

// Holds 8 established connections to 127.0.0.1:7000 (its own listener) until killed (10 minutes at most).
const HOLDER = `
const net = require('net'); const held = [];
net.createServer((s) => held.push(s)).listen(7000, '127.0.0.1', async () => {
  for (let i = 0; i < 8; i++) held.push(await new Promise((r) => { const s = net.connect(7000, '127.0.0.1', () => r(s)); }));
  console.log(JSON.stringify({ ready: true }));
});
setTimeout(() => process.exit(0), 600_000);`;

interface Run {
  code: number | null;
  sample: Sample;
  stderr: string;
}

describeNetns('check with the tracer unable to run (real degraded conditions)', () => {
  let ns: Namespace;
  let holder: NsProcess;
  let pathDir: string;
  beforeAll(async () => {
    ns = await createNamespace('tracerproof4deg');
    await ns.sysctl('net.ipv4.ip_local_port_range', '40000 40009');
    holder = ns.spawn([process.execPath, '-e', HOLDER]);
    await holder.waitForEvent((e) => e.ready === true, 15_000);
    // a PATH with every program of the usual directories except bpftrace
    pathDir = mkdtempSync(join(tmpdir(), 'pw-tracerproof4-path-'));
    for (const dir of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
      let names: string[] = [];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const n of names) {
        if (n === 'bpftrace') continue;
        try {
          symlinkSync(join(dir, n), join(pathDir, n));
        } catch {
          // already linked from an earlier directory (PATH order: the first wins)
        }
      }
    }
  });
  afterAll(async () => {
    holder?.kill('SIGKILL');
    await ns?.destroy();
    if (pathDir) rmSync(pathDir, { recursive: true, force: true });
  });

  /** check --json in the namespace, optionally wrapped (argv before nsenter) and with another environment. */
  function check(args: readonly string[], o: { before?: readonly string[]; between?: readonly string[]; env?: NodeJS.ProcessEnv } = {}): Run {
    const argv = [...(o.before ?? []), 'nsenter', `--net=/run/netns/${ns.name}`, ...(o.between ?? []), process.execPath, '--import', 'tsx', CLI_ENTRY, 'check', '--json', '--netns', 'self', '--no-owners', ...args];
    const r = spawnSync(argv[0]!, argv.slice(1), { cwd: REPO_ROOT, encoding: 'utf8', timeout: 90_000, env: o.env ?? process.env });
    let sample: Sample;
    try {
      sample = JSON.parse(r.stdout) as Sample;
    } catch {
      throw new Error(`${argv.join(' ')} printed no JSON (exit ${r.status}): ${r.stdout.slice(0, 500)} ${r.stderr.slice(0, 1000)}`);
    }
    return { code: r.status, sample, stderr: r.stderr };
  }
  const tracerOf = (s: Sample) => s.sources.find((x) => x.name === 'connect-tracer');
  // what the tracer must not change: the figures of the namespace and the verdict
  const verdict = (r: Run) => ({ code: r.code, severity: r.sample.severity, worst: r.sample.worst?.remotePort, inUse: r.sample.worst?.inUse, range: r.sample.kernel.portRange });

  let reference: Run;
  it('reference: without the tracer (an instant) the namespace is at warning, 8 of 10 ports', () => {
    reference = check(['--interval', '0']);
    expect(verdict(reference)).toMatchObject({ code: 1, severity: 'warning', worst: 7000, inUse: 8 });
  }, 120_000);

  it.runIf(canTrace)('bpftrace not on PATH: the reason and the fix, the same report and exit status', () => {
    const r = check(['--interval', '1'], { env: { ...process.env, PATH: pathDir } });
    expect(tracerOf(r.sample)).toMatchObject({ status: 'unsupported', error: expect.stringMatching(/^bpftrace is not installed .*fix: apt-get install bpftrace/) });
    expect(verdict(r)).toEqual(verdict(reference));
  }, 120_000);

  it('not root (an unprivileged user with no capabilities): the reason and the fix, the same report and exit status', () => {
    const r = check(['--interval', '1'], {
      between: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--'],
      env: { ...process.env, HOME: tmpdir(), PORTWATCH_STATE_DIR: join(tmpdir(), 'pw-tracerproof4-nobody') },
    });
    expect(tracerOf(r.sample)).toMatchObject({ status: 'unsupported', error: expect.stringMatching(/needs root .*fix: run Portwatch as root/) });
    expect(verdict(r)).toEqual(verdict(reference));
  }, 120_000);

  it.runIf(canTrace)('tracefs unmounted (private mount namespace): the reason is the mount command, the same report and exit status', () => {
    // unshare -m copies the mounts privately: the umount happens only there; the host keeps its tracefs
    const r = check(['--interval', '1'], { before: ['unshare', '-m', '--propagation', 'private', '--', 'sh', '-c', 'umount /sys/kernel/tracing && exec "$@"', 'sh'] });
    expect(tracerOf(r.sample)).toMatchObject({ status: 'failed', error: expect.stringMatching(/tracefs is not mounted.*fix: mount -t tracefs nodev \/sys\/kernel\/tracing/) });
    expect(verdict(r)).toEqual(verdict(reference));
    expect(readdirSync('/sys/kernel/tracing')).toContain('events');
  }, 120_000);
});
