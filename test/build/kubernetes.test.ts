// build/kubernetes/portwatch-daemonset.yaml and build/container/Containerfile: what they start is a serve
// command line serve accepts, and the DaemonSet has what seeing every pod's namespace needs and no more.
import { describe, expect, it } from 'vitest';
import { load as loadYaml, loadAll } from 'js-yaml';
import { parseServeArgs } from '../../electron/server/serve-args.js';
import { CONTAINERFILE_PATH, DAEMONSET_PATH, readRepoFile } from './deploy-files.js';

interface Container {
  args: string[];
  securityContext: { runAsUser: number; privileged: boolean; allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean; capabilities: { drop: string[]; add: string[] } };
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface Doc {
  kind: string;
  spec?: { template?: { spec: { hostPID: boolean; hostNetwork: boolean; containers: Container[]; volumes: { name: string; hostPath?: { path: string } }[] } } };
}

describe('build/kubernetes/portwatch-daemonset.yaml', () => {
  const docs = loadAll(readRepoFile(DAEMONSET_PATH)) as Doc[];
  const ds = docs.find((d) => d.kind === 'DaemonSet')!;
  const pod = ds.spec!.template!.spec;
  const c = pod.containers[0]!;

  it('sees the node and every pod: host PID and network, /run/netns from the host, root with three capabilities only', () => {
    expect(docs.map((d) => d.kind)).toEqual(['Namespace', 'ServiceAccount', 'DaemonSet', 'Service']);
    expect(pod.hostPID).toBe(true);
    expect(pod.hostNetwork).toBe(true);
    expect(pod.volumes.find((v) => v.name === 'run-netns')?.hostPath?.path).toBe('/run/netns');
    expect(c.volumeMounts.find((m) => m.mountPath === '/run/netns')?.readOnly).toBe(true);
    expect(c.securityContext).toMatchObject({ runAsUser: 0, privileged: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(c.securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['SYS_PTRACE', 'DAC_READ_SEARCH', 'SYS_ADMIN'] });
  });

  it('starts an exporter bound to the node address, with arguments serve accepts', () => {
    expect(c.args[0]).toBe('serve');
    const parsed = parseServeArgs(c.args.slice(1).map((a) => a.replace('$(NODE_IP)', '10.1.2.3')));
    expect(parsed.ok && parsed.options).toMatchObject({ metricsOnly: true, host: '10.1.2.3', allowRemote: true, metricsPublic: true, port: 9464 });
  });
});

describe('build/container/Containerfile', () => {
  it('installs the npm tarball without scripts and runs an exporter with arguments serve accepts', () => {
    const text = readRepoFile(CONTAINERFILE_PATH);
    expect(text).toMatch(/npm install --global --omit=dev --ignore-scripts \/tmp\/portwatch-\*\.tgz/);
    const entry = loadYaml(/^ENTRYPOINT (.*)$/m.exec(text)![1]!) as string[];
    const cmd = loadYaml(/^CMD (.*)$/m.exec(text)![1]!) as string[];
    expect(entry).toEqual(['portwatch']);
    expect(cmd[0]).toBe('serve');
    expect(parseServeArgs(cmd.slice(1))).toMatchObject({ ok: true, options: { metricsOnly: true, metricsPublic: true } });
  });
});
