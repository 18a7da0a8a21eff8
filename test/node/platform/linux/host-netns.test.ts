// Every network namespace of the host, on the real kernel: a pod-like namespace (named with ip netns,
// its processes moved into cgroups laid out like the kubelet's systemd driver and containerd's, its
// kubelet log folders in a temporary root) exhausted to the last port; an idle named namespace and an
// unnamed one (unshare -n, in a Docker-style cgroup) with ranges of their own; the host idle. Portwatch,
// from the host, finds the exhausted one, names the pod, the container and the process, and exits 2.
// Namespaces removed between enumeration and reading are counted as vanished, not errors.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HostSampler } from '../../../../electron/node/sampler/host-sampler.js';
import type { HostCheckDocument } from '../../../../electron/cli/host-report.js';
import type { NamespaceSample } from '../../../../electron/common/host-sample.js';
import { describeNetns } from '../../../netns/describe-netns.js';
import { createNamespace, type Namespace, type NsProcess } from '../../../netns/netns.js';
import { REPO_ROOT, CLI_ENTRY } from '../../../netns/portwatch-cli.js';
import { connectHold, startServer } from '../../../netns/workloads.js';
import { PersistentState } from '../../../../electron/node/history/persistent-state.js';
import { HistoryStore } from '../../../../electron/node/history/history-store.js';
import { readEpisodes } from '../../../../electron/node/history/episode-log.js';
import { MetricsRegistry } from '../../../../electron/server/metrics-registry.js';
import { addNamespaceFamilies } from '../../../../electron/server/netns-metrics.js';
import { spawnSync } from 'node:child_process';
import { NODE_COMM } from '../../../netns/node-comm.js';

/** Where a cgroup hierarchy is mounted, from mountinfo (never assumed). */
function cgroupMount(match: (fsType: string, superOptions: string) => boolean): string | null {
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const [fsType, , superOptions = ''] = right.split(' ');
    if (match(fsType!, superOptions)) return left.split(' ')[4]!;
  }
  return null;
}

const created: string[] = [];
/** Makes a cgroup directory (with its parents) and moves pid into it. */
function placeInCgroup(mount: string, path: string, pid: number): void {
  const dir = join(mount, path);
  mkdirSync(dir, { recursive: true });
  const parts = path.split('/').filter(Boolean);
  for (let i = parts.length; i > 0; i--) {
    const p = join(mount, ...parts.slice(0, i));
    if (!created.includes(p)) created.push(p);
  }
  writeFileSync(join(dir, 'cgroup.procs'), String(pid));
}

function removeCgroups(): void {
  // deepest first; a directory another run still uses stays (EBUSY / ENOTEMPTY)
  for (const dir of created.sort((a, b) => b.length - a.length)) {
    try {
      rmdirSync(dir);
    } catch {
      // still in use
    }
  }
}

/** `unshare -n` with its own range, lo up, held open by sleep until killed. */
async function unnamedNamespace(range: string): Promise<ChildProcess> {
  const child = spawn('unshare', ['-n', '--', 'sh', '-c', `ip link set lo up && sysctl -qw net.ipv4.ip_local_port_range="${range}" && echo ready && exec sleep 120`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('unshare -n did not report ready within 10 s')), 10_000);
    lines.once('line', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => reject(new Error(`unshare -n exited with ${code}`)));
  });
  return child;
}

const inodeOf = (path: string): number => statSync(path).ino;

describeNetns('every network namespace of the host (real kernel)', () => {
  const podUid = randomUUID();
  const envoyId = randomBytes(32).toString('hex');
  const serverId = randomBytes(32).toString('hex');
  const dockerId = randomBytes(32).toString('hex');
  let root: string;
  let pod: Namespace;
  let idle: Namespace;
  let unnamed: ChildProcess;
  let client: NsProcess;
  let server: NsProcess;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'pw-hostns-'));
    const v2 = cgroupMount((t) => t === 'cgroup2');
    const v1pids = cgroupMount((t, o) => t === 'cgroup' && o.split(',').includes('pids'));
    if (!v2) throw new Error('no cgroup2 mount in /proc/self/mountinfo');

    pod = await createNamespace('hpod');
    await pod.sysctl('net.ipv4.ip_local_port_range', '40000 40009');
    server = await startServer(pod, ['127.0.0.1:8080']);
    const held = await connectHold(pod, '127.0.0.1:8080', 12);
    // the kernel's own answer: 10 ports, then EADDRNOTAVAIL
    expect(held.connected).toBe(10);
    expect(held.codes.EADDRNOTAVAIL).toBe(2);
    client = held.process;
    // kubelet (systemd driver) + containerd: the pod slice with underscores, the container's scope
    const slice = `kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${podUid.replace(/-/g, '_')}.slice`;
    placeInCgroup(v2, `${slice}/cri-containerd-${envoyId}.scope`, client.pid);
    // kubelet (cgroupfs driver) on the v1 hierarchy beside it, for the server
    if (v1pids) placeInCgroup(v1pids, `kubepods/besteffort/pod${podUid}/${serverId}`, server.pid);
    else placeInCgroup(v2, `${slice}/cri-containerd-${serverId}.scope`, server.pid);
    mkdirSync(join(root, 'var/log/pods', `shop_checkout-7d4f_${podUid}`, 'envoy'), { recursive: true });
    mkdirSync(join(root, 'var/log/containers'), { recursive: true });
    writeFileSync(join(root, 'var/log/containers', `checkout-7d4f_shop_envoy-${envoyId}.log`), '');

    idle = await createNamespace('hidle');
    await idle.sysctl('net.ipv4.ip_local_port_range', '45000 45999');

    unnamed = await unnamedNamespace('43000 43500');
    placeInCgroup(v2, `system.slice/docker-${dockerId}.scope`, unnamed.pid!);
    mkdirSync(join(root, 'var/lib/docker/containers', dockerId), { recursive: true });
    writeFileSync(join(root, 'var/lib/docker/containers', dockerId, 'config.v2.json'), JSON.stringify({ Name: '/unnamed-web' }));
  }, 60_000);

  afterAll(async () => {
    unnamed?.kill('SIGKILL');
    await pod?.destroy();
    await idle?.destroy();
    await new Promise((r) => setTimeout(r, 200));
    removeCgroups();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const find = (list: readonly NamespaceSample[], inode: number): NamespaceSample => {
    const n = list.find((x) => x.identity.inode === inode);
    if (!n) throw new Error(`namespace ${inode} not in the host sample: ${list.map((x) => x.identity.id).join(', ')}`);
    return n;
  };

  it('reads each namespace from inside it: its own range, sockets, processes, container and pod', async () => {
    const sampler = new HostSampler({ workloadRoots: { varLogPods: join(root, 'var/log/pods'), varLogContainers: join(root, 'var/log/containers'), kubeletPods: join(root, 'var/lib/kubelet/pods'), dockerContainers: join(root, 'var/lib/docker/containers') } });
    const host = await sampler.sampleOnce();

    const p = find(host.namespaces, inodeOf(`/run/netns/${pod.name}`));
    expect(p.status).toBe('ok');
    expect(p.sample!.kernel.portRange).toEqual({ low: 40000, high: 40009 });
    expect(p.identity.names).toEqual([pod.name]);
    expect(p.identity.pod).toEqual({ uid: podUid, namespace: 'shop', name: 'checkout-7d4f' });
    expect(p.identity.containers).toContainEqual({ runtime: 'containerd', id: envoyId, name: 'envoy' });
    expect(p.identity.containers.map((c) => c.id)).toContain(serverId);
    expect(p.identity.processes.map((x) => x.pid)).toEqual(expect.arrayContaining([client.pid, server.pid]));
    // the kernel refused the 11th connect: every usable port toward the server is taken
    expect(p.sample!.worst?.remotePort).toBe(8080);
    expect(p.sample!.worst?.blocking).toBe(10);
    expect(p.sample!.worst?.capacity).toBe(10);
    expect(p.sample!.severity).toBe('exhausted');
    expect(p.sample!.worst?.processes.map((x) => x.pid)).toContain(client.pid);
    // the pod's range is tuned through its securityContext.sysctls, with the snippet
    const kernelAdvice = p.sample!.diagnoses.flatMap((d) => d.recommendations).filter((r) => r.setting?.key === 'net.ipv4.ip_local_port_range');
    expect(kernelAdvice.length).toBeGreaterThan(0);
    for (const r of kernelAdvice) {
      expect(r.text).toContain("pod shop/checkout-7d4f: set net.ipv4.ip_local_port_range in the pod's securityContext.sysctls");
      expect(r.text).toMatch(/securityContext:\n {4}sysctls:\n {6}- name: net\.ipv4\.ip_local_port_range\n {8}value: "\d+ \d+"/);
    }

    const i = find(host.namespaces, inodeOf(`/run/netns/${idle.name}`));
    expect(i.sample!.kernel.portRange).toEqual({ low: 45000, high: 45999 });
    expect(i.sample!.totalSockets).toBe(0);
    expect(i.sample!.severity).toBe('ok');

    const u = find(host.namespaces, inodeOf(`/proc/${unnamed.pid}/ns/net`));
    expect(u.identity.names).toEqual([]);
    expect(u.sample!.kernel.portRange).toEqual({ low: 43000, high: 43500 });
    expect(u.identity.containers).toEqual([{ runtime: 'docker', id: dockerId, name: 'unnamed-web' }]);

    const self = host.namespaces.find((n) => n.identity.self)!;
    expect(self.identity.host).toBe(true);
    expect(self.sample!.kernel.portRange).not.toEqual({ low: 40000, high: 40009 });
    // worst first: nothing ranks above an exhausted namespace
    expect(host.severity).toBe('exhausted');
    expect(host.namespaces[0]!.sample!.severity).toBe('exhausted');
    expect(host.namespaces.indexOf(p)).toBeLessThan(host.namespaces.indexOf(i));

    // the pod's exhaustion is an episode of its own, kept on disk, that names the pod
    const stateDir = join(root, 'state');
    const state = new PersistentState({ dir: stateDir, history: new HistoryStore(), warn: (m) => expect.fail(m) });
    const episodes = state.observeNamespaces(host);
    state.close();
    expect(episodes.find((e) => e.netns?.id === p.identity.id)).toMatchObject({ end: null, peakSeverity: 'exhausted', worstDestination: '127.0.0.1:8080', netns: { label: 'pod shop/checkout-7d4f' } });
    expect(episodes.find((e) => e.netns?.id === i.identity.id)).toBeUndefined();
    expect(readEpisodes(stateDir).episodes.find((e) => e.netns?.id === p.identity.id)?.netns?.label).toBe('pod shop/checkout-7d4f');
  }, 30_000);

  it('/metrics: a series per namespace labelled with its pod and container, the rest folded into "other"; promtool accepts it', async () => {
    const sampler = new HostSampler({ workloadRoots: { varLogPods: join(root, 'var/log/pods'), varLogContainers: join(root, 'var/log/containers'), kubeletPods: join(root, 'var/lib/kubelet/pods'), dockerContainers: join(root, 'var/lib/docker/containers') } });
    const host = await sampler.sampleOnce();
    const podId = `net:[${inodeOf(`/run/netns/${pod.name}`)}]`;
    const full = addNamespaceFamilies(new MetricsRegistry<null>(), () => host).render(null);
    expect(full).toContain(`portwatch_netns_level{netns="${podId}",pod="checkout-7d4f",namespace="shop",container="`);
    expect(full).toMatch(new RegExp(`portwatch_netns_utilization_ratio\\{netns="${podId.replace(/[[\]]/g, '\\$&')}",pod="checkout-7d4f",namespace="shop",container="[^"]+"\\} 1\\n`));
    expect(full).toContain('portwatch_netns_port_range_ports{netns="host",pod="",namespace="",container=""}');
    expect(full).not.toContain('netns="other"');
    // bounded: the worst two keep their own series, everything else is one "other" series per family
    const bounded = addNamespaceFamilies(new MetricsRegistry<null>(), () => host, 2).render(null);
    const levels = bounded.split('\n').filter((l) => l.startsWith('portwatch_netns_level{'));
    expect(levels).toHaveLength(3);
    expect(levels[0]).toContain(' 4');
    expect(levels[2]).toMatch(/^portwatch_netns_level\{netns="other",pod="",namespace="",container=""\} [0-4]$/);
    const folded = host.namespaces.slice(2).reduce((n, x) => n + (x.sample?.totalSockets ?? 0), 0);
    expect(bounded).toContain(`portwatch_netns_sockets{netns="other",pod="",namespace="",container=""} ${folded}\n`);
    const check = spawnSync('promtool', ['check', 'metrics'], { input: full, encoding: 'utf8', timeout: 10_000 });
    expect(check.error).toBeUndefined();
    expect(check.status, check.stdout + check.stderr).toBe(0);
  }, 30_000);

  it('counts namespaces that vanish between enumeration and reading, and samples the rest', async () => {
    const doomed = await createNamespace('hgone');
    const doomedInode = inodeOf(`/run/netns/${doomed.name}`);
    const short = await unnamedNamespace('44000 44099');
    const shortInode = inodeOf(`/proc/${short.pid}/ns/net`);
    const sampler = new HostSampler({
      afterEnumerate: async (inodes) => {
        expect(inodes).toEqual(expect.arrayContaining([doomedInode, shortInode]));
        await doomed.destroy();
        short.kill('SIGKILL');
        await new Promise((r) => short.once('exit', r));
      },
    });
    const host = await sampler.sampleOnce();
    expect(host.vanished).toBeGreaterThanOrEqual(2);
    expect(host.namespaces.map((n) => n.identity.inode)).not.toContain(doomedInode);
    expect(host.namespaces.map((n) => n.identity.inode)).not.toContain(shortInode);
    expect(find(host.namespaces, inodeOf(`/run/netns/${pod.name}`)).status).toBe('ok');
  }, 30_000);

  it('`portwatch check` from the host finds the exhausted pod, names it and its process, and exits 2', async () => {
    const run = (args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], {
          cwd: REPO_ROOT,
          env: { ...process.env, PORTWATCH_WORKLOAD_ROOT: root },
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: 60_000,
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    // every line whole (--wide), so each namespace's row and residents are one line each
    const text = await run(['check', '--interval', '0', '--wide']);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(2);
    const lines = text.stdout.split('\n');
    const at = lines.findIndex((l) => l.endsWith('pod shop/checkout-7d4f'));
    expect(lines[at]).toMatch(/^ {2}EXHAUSTED +40000-40009 +\d+ +127\.0\.0\.1:8080 +100 % +pod shop\/checkout-7d4f$/);
    expect(lines[at + 1]).toMatch(new RegExp(`^ {6}containerd containers .*envoy.* · netns pw-hpod-\\S+ · processes .*${NODE_COMM}\\(\\d+\\)`));
    expect(lines[at + 1]).toContain(`${NODE_COMM}(${client.pid})`);
    // other suites may exhaust namespaces of their own at the same time: the headline is ours only when
    // ours ranks first, but it always names an exhausted namespace and its busiest process
    expect(text.stdout).toMatch(/\nWorst namespace: .+ \(net:\[\d+\]\), most of it by \S+\(\d+\)\n/);
    if (at === 2) expect(text.stdout).toContain(`Worst namespace: pod shop/checkout-7d4f (net:[${inodeOf(`/run/netns/${pod.name}`)}]), most of it by ${NODE_COMM}(${client.pid})`);

    // without --wide (not a terminal: 80 columns) the same report wraps its long lines
    const narrow = await run(['check', '--interval', '0']);
    expect(narrow.code).toBe(2);
    expect(narrow.stdout).toContain('pod shop/checkout-7d4f');
    for (const l of narrow.stdout.split('\n')) expect(l.length, l).toBeLessThanOrEqual(80);

    const json = await run(['check', '--json', '--interval', '0']);
    expect(json.code).toBe(2);
    const doc = JSON.parse(json.stdout) as HostCheckDocument;
    expect(doc.schema).toBe(1);
    expect(doc.severity).toBe('exhausted');
    const listed = doc.host.namespaces.find((n) => n.identity.pod?.uid === podUid);
    expect(listed?.severity).toBe('exhausted');
    expect(listed?.portRange).toEqual({ low: 40000, high: 40009 });
    expect(doc.host.namespaces.length).toBeGreaterThanOrEqual(4);

    // --netns self: only the host's own namespace, which is idle
    const self = await run(['check', '--json', '--interval', '0', '--netns', 'self']);
    const own = JSON.parse(self.stdout) as HostCheckDocument;
    expect(own.host).toBeUndefined();
    expect(own.kernel.portRange).not.toEqual({ low: 40000, high: 40009 });
    const bad = await run(['check', '--netns', 'pods']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('--netns must be "host" or "self", got "pods"');
  }, 120_000);
});
