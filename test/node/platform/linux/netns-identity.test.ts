// Container and pod identity from cgroup paths (every runtime layout, both kubelet drivers, hybrid
// v1/v2 files) and names from the kubelet's and Docker's folders laid out in a temporary root.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCgroupIdentity } from '../../../../electron/node/platform/linux/cgroup-identity.js';
import { WorkloadNames, workloadRootsUnder } from '../../../../electron/node/platform/linux/workload-names.js';
import { parseNetnsScan } from '../../../../electron/node/platform/linux/netns-enumerate.js';
import { unseenProcesses } from '../../../../electron/node/sampler/host-sampler.js';
import { splitParts } from '../../../../electron/node/platform/linux/netns-read.js';

const ID = 'a'.repeat(56) + '0123abcd';
const UID = '6f1c2a9e-1b2c-4d5e-8f90-0123456789ab';

describe('parseCgroupIdentity', () => {
  it.each([
    ['docker, systemd driver', `0::/system.slice/docker-${ID}.scope\n`, { runtime: 'docker', id: ID }, null],
    ['docker, cgroupfs driver (v1 line)', `12:pids:/docker/${ID}\n0::/\n`, { runtime: 'docker', id: ID }, null],
    ['podman', `0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}.scope/container\n`, { runtime: 'podman', id: ID }, null],
    [
      'containerd under the kubelet (systemd driver, uid with underscores)',
      `0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID.replace(/-/g, '_')}.slice/cri-containerd-${ID}.scope\n`,
      { runtime: 'containerd', id: ID },
      UID,
    ],
    ['CRI-O under the kubelet (besteffort)', `0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID.replace(/-/g, '_')}.slice/crio-${ID}.scope\n`, { runtime: 'cri-o', id: ID }, UID],
    ['kubelet cgroupfs driver, guaranteed QoS', `4:memory:/kubepods/pod${UID}/${ID}\n0::/\n`, { runtime: 'containerd', id: ID }, UID],
    ['kubelet cgroupfs driver, burstable, hybrid file (names only on v1)', `9:name=systemd:/\n8:pids:/kubepods/burstable/pod${UID}/${ID}\n0::/\n`, { runtime: 'containerd', id: ID }, UID],
    ['the pod sandbox slice only (no container)', `0::/kubepods.slice/kubepods-pod${UID.replace(/-/g, '_')}.slice\n`, null, UID],
    ['a plain host process', '0::/user.slice/user-0.slice/session-1.scope\n1:cpu:/\n', null, null],
    ['a path with colons', `0::/odd:path/docker-${ID}.scope\n`, { runtime: 'docker', id: ID }, null],
  ])('%s', (_, text, container, podUid) => {
    expect(parseCgroupIdentity(text)).toEqual({ container, podUid });
  });

  it('ignores ids that are not 64 hex digits and uids that are not uids', () => {
    expect(parseCgroupIdentity(`0::/system.slice/docker-${ID.slice(1)}.scope\n`).container).toBeNull();
    expect(parseCgroupIdentity(`0::/docker/${ID}x\n`).container).toBeNull();
    expect(parseCgroupIdentity('0::/kubepods/burstable/podnot-a-uid-at-all-not-a-uid-at-all-xx/\n').podUid).toBeNull();
    expect(parseCgroupIdentity('garbage\n\n:::\n')).toEqual({ container: null, podUid: null });
  });
});

describe('WorkloadNames', () => {
  const root = mkdtempSync(join(tmpdir(), 'pw-names-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const roots = workloadRootsUnder(root);

  it('names pods from /var/log/pods, containers from /var/log/containers and Docker config, the pod from etc-hosts as a fallback', async () => {
    mkdirSync(join(roots.varLogPods, `shop_checkout-7d4f_${UID}`), { recursive: true });
    mkdirSync(join(roots.varLogPods, 'not_a_pod_dir'), { recursive: true });
    mkdirSync(roots.varLogContainers, { recursive: true });
    writeFileSync(join(roots.varLogContainers, `checkout-7d4f_shop_envoy-${ID}.log`), '');
    const other = 'b'.repeat(64);
    mkdirSync(join(roots.dockerContainers, other), { recursive: true });
    writeFileSync(join(roots.dockerContainers, other, 'config.v2.json'), JSON.stringify({ Name: '/web' }));
    const evil = 'c'.repeat(64);
    mkdirSync(join(roots.dockerContainers, evil), { recursive: true });
    writeFileSync(join(roots.dockerContainers, evil, 'config.v2.json'), JSON.stringify({ Name: '/\u001b[31mred' }));
    const lonely = '11111111-2222-4333-8444-555555555555';
    mkdirSync(join(roots.kubeletPods, lonely), { recursive: true });
    writeFileSync(join(roots.kubeletPods, lonely, 'etc-hosts'), '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n10.1.2.3\tbatch-job-x2\n');

    const names = await WorkloadNames.load(roots);
    expect(await names.pod(UID)).toEqual({ uid: UID, namespace: 'shop', name: 'checkout-7d4f' });
    expect(await names.pod(lonely)).toEqual({ uid: lonely, namespace: null, name: 'batch-job-x2' });
    expect(await names.pod('99999999-2222-4333-8444-555555555555')).toEqual({ uid: '99999999-2222-4333-8444-555555555555', namespace: null, name: null });
    expect(await names.container(ID)).toBe('envoy');
    expect(await names.container(other)).toBe('web');
    expect(await names.container(evil)).toBeNull();
    expect(await names.container('d'.repeat(64))).toBeNull();
  });

  it('has no names (and no error) when the folders do not exist', async () => {
    const names = await WorkloadNames.load(workloadRootsUnder(join(root, 'nowhere')));
    expect(await names.pod(UID)).toEqual({ uid: UID, namespace: null, name: null });
  });
});

describe('the native reader formats', () => {
  it('parses the netns scan and names unreadable lines', () => {
    const { byInode, problems } = parseNetnsScan('12\tnginx\t4026532301\n3\tsh\t4026532301\n1\tinit\t4026531840\nbad line\n');
    expect(byInode.get(4026532301)).toEqual([
      { pid: 3, name: 'sh' },
      { pid: 12, name: 'nginx' },
    ]);
    expect(byInode.get(4026531840)).toEqual([{ pid: 1, name: 'init' }]);
    expect(problems).toEqual(['netns scan line 4: expected "pid<TAB>name<TAB>inode"']);
  });

  it('keeps the processes whose namespace was refused (-errno), and names a malformed one', () => {
    const { byInode, problems, refused } = parseNetnsScan('1\tinit\t4026531840\n812\tnginx\t-13\n900\tsleep\t-1\n901\tx\t-abc\n902\ty\t-123456\n');
    expect(refused).toEqual([
      { pid: 812, name: 'nginx', errno: 13 },
      { pid: 900, name: 'sleep', errno: 1 },
    ]);
    expect([...byInode.keys()]).toEqual([4026531840]);
    expect(problems).toEqual(['netns scan line 4: expected "pid<TAB>name<TAB>inode"', 'netns scan line 5: expected "pid<TAB>name<TAB>inode"']);
    expect(unseenProcesses(refused, false)).toEqual({
      processes: 2,
      examples: ['nginx (pid 812)', 'sleep (pid 900)'],
      why: 'the kernel would not show their network namespace (EACCES, EPERM: Portwatch runs without CAP_SYS_PTRACE, so it sees only processes with no more privilege than its own); a namespace only they hold is missing from this reading. Run Portwatch as root with CAP_SYS_PTRACE (in a container: add it to the security context) to see them.',
    });
    expect(unseenProcesses(refused, true).why).toBe('the kernel would not show their network namespace (EACCES, EPERM) although Portwatch has CAP_SYS_PTRACE: they are outside what this process may inspect (a sandbox or a user namespace above it); a namespace only they hold is missing from this reading.');
    // One process is "it".
    expect(unseenProcesses(refused.slice(0, 1), false).why).toBe('the kernel would not show its network namespace (EACCES: Portwatch runs without CAP_SYS_PTRACE, so it sees only processes with no more privilege than its own); a namespace only it holds is missing from this reading. Run Portwatch as root with CAP_SYS_PTRACE (in a container: add it to the security context) to see it.');
    expect(unseenProcesses(refused.slice(0, 1), true).why).toBe('the kernel would not show its network namespace (EACCES) although Portwatch has CAP_SYS_PTRACE: it is outside what this process may inspect (a sandbox or a user namespace above it); a namespace only it holds is missing from this reading.');
  });

  it('splits framed parts and refuses a part that runs past the end', () => {
    const part = (errno: number, data: string): Buffer => {
      const b = Buffer.alloc(8 + data.length);
      b.writeInt32LE(errno, 0);
      b.writeUInt32LE(data.length, 4);
      b.write(data, 8);
      return b;
    };
    const buf = Buffer.concat([part(0, 'abc'), part(2, ''), part(0, '1\n')]);
    expect(splitParts(buf).map((p) => [p.errno, p.data.toString()])).toEqual([
      [0, 'abc'],
      [2, ''],
      [0, '1\n'],
    ]);
    expect(() => splitParts(buf.subarray(0, buf.length - 1))).toThrow(/part 3 runs past the end/);
  });
});
