import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyEnvironment, detectEnvironment } from '../../../electron/node/tuning/environment.js';

const none = { dockerenv: false, containerenv: false, cgroups: [] as string[], kubernetesServiceHost: null };

describe('host or container', () => {
  it.each([
    ['a host with a plain cgroup v2 line', { ...none, cgroups: ['0::/user.slice/user-1000.slice/session-2.scope\n'] }, false, null],
    ['/.dockerenv', { ...none, dockerenv: true }, true, 'docker'],
    ['/run/.containerenv (podman)', { ...none, containerenv: true }, true, 'podman'],
    ['KUBERNETES_SERVICE_HOST', { ...none, kubernetesServiceHost: '10.96.0.1' }, true, 'kubernetes'],
    ['a docker cgroup v1 path', { ...none, cgroups: ['12:memory:/docker/0123456789abcdef0123\n'] }, true, 'docker'],
    ['a systemd docker scope', { ...none, cgroups: ['0::/system.slice/docker-0123456789abcdef0123.scope\n'] }, true, 'docker'],
    ['a kubepods cgroup', { ...none, cgroups: ['0::/kubepods.slice/kubepods-burstable.slice/cri-containerd-ab.scope\n'] }, true, 'kubernetes'],
    ['a containerd cgroup', { ...none, cgroups: ['0::/system.slice/containerd.service/x\n'] }, true, 'containerd'],
    ['a libpod cgroup', { ...none, cgroups: ['0::/machine.slice/libpod-0123.scope\n'] }, true, 'podman'],
    ['docker files inside a Kubernetes pod (kubernetes wins)', { ...none, dockerenv: true, kubernetesServiceHost: '10.0.0.1' }, true, 'kubernetes'],
  ])('%s', (_name, facts, container, kind) => {
    const e = classifyEnvironment(facts);
    expect(e.container).toBe(container);
    expect(e.kind).toBe(kind);
    expect(e.evidence.length > 0).toBe(container);
  });

  it('reads the facts under a root directory and from the environment', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pw-env-'));
    try {
      await mkdir(join(root, 'proc/1'), { recursive: true });
      await writeFile(join(root, 'proc/1/cgroup'), '0::/\n');
      expect(await detectEnvironment(root, {})).toEqual({ container: false, kind: null, evidence: [] });
      await mkdir(join(root, 'run'));
      await writeFile(join(root, 'run/.containerenv'), '');
      expect(await detectEnvironment(root, {})).toMatchObject({ container: true, kind: 'podman', evidence: ['/run/.containerenv exists'] });
      expect((await detectEnvironment(root, { KUBERNETES_SERVICE_HOST: '10.0.0.1' })).kind).toBe('kubernetes');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
