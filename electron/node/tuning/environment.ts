// Is this a host, or a container / Kubernetes pod (whose network namespace is its own, so changing the
// settings here would not change the host)? The facts are read by detectEnvironment (small I/O); the
// verdict is a pure function of them.
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TuningEnvironment } from '../../common/tuning.js';

/** What the detection reads. */
export interface EnvironmentFacts {
  /** /.dockerenv exists. */
  dockerenv: boolean;
  /** /run/.containerenv exists (podman). */
  containerenv: boolean;
  /** Text of /proc/1/cgroup and /proc/self/cgroup (null when unreadable). */
  cgroups: string[];
  /** KUBERNETES_SERVICE_HOST, when set. */
  kubernetesServiceHost: string | null;
}

const CGROUP_MARKERS: [RegExp, NonNullable<TuningEnvironment['kind']>][] = [
  [/kubepods/, 'kubernetes'],
  [/\/docker[-/]|docker-[0-9a-f]{12,}\.scope/, 'docker'],
  [/libpod/, 'podman'],
  [/containerd/, 'containerd'],
];

/** The verdict from the facts. */
export function classifyEnvironment(facts: EnvironmentFacts): TuningEnvironment {
  const evidence: string[] = [];
  let kind: TuningEnvironment['kind'] = null;
  const note = (k: NonNullable<TuningEnvironment['kind']>, why: string): void => {
    evidence.push(why);
    if (kind === null || kind === 'container' || (k === 'kubernetes' && kind !== 'kubernetes')) kind = k;
  };
  if (facts.kubernetesServiceHost !== null) note('kubernetes', 'KUBERNETES_SERVICE_HOST is set');
  if (facts.dockerenv) note('docker', '/.dockerenv exists');
  if (facts.containerenv) note('podman', '/run/.containerenv exists');
  for (const text of facts.cgroups) {
    for (const line of text.split('\n')) {
      const m = CGROUP_MARKERS.find(([re]) => re.test(line));
      if (m && !evidence.some((e) => e.startsWith('cgroup'))) note(m[1], `cgroup ${JSON.stringify(line.trim().slice(0, 80))}`);
    }
  }
  return { container: evidence.length > 0, kind, evidence };
}

/** Reads the facts under `root` ("/" on the machine; a temporary directory in tests). */
export async function readEnvironmentFacts(root = '/', env: NodeJS.ProcessEnv = process.env): Promise<EnvironmentFacts> {
  const exists = (p: string) => access(join(root, p)).then(() => true, () => false);
  const cgroups: string[] = [];
  for (const p of ['proc/1/cgroup', 'proc/self/cgroup']) {
    const t = await readFile(join(root, p), 'utf8').catch(() => null);
    if (t !== null) cgroups.push(t);
  }
  return {
    dockerenv: await exists('.dockerenv'),
    containerenv: await exists('run/.containerenv'),
    cgroups,
    kubernetesServiceHost: env.KUBERNETES_SERVICE_HOST ?? null,
  };
}

/** Detects the environment of this process. */
export async function detectEnvironment(root = '/', env: NodeJS.ProcessEnv = process.env): Promise<TuningEnvironment> {
  return classifyEnvironment(await readEnvironmentFacts(root, env));
}
