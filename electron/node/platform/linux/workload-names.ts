// Names for the containers and pods found in cgroup paths, read from the files the kubelet and Docker
// leave on the node (no API server, no new privileges):
//   /var/log/pods/<namespace>_<pod name>_<pod uid>/                    (kubelet: every pod it runs)
//   /var/log/containers/<pod>_<namespace>_<container>-<id>.log        (kubelet: every container)
//   /var/lib/kubelet/pods/<uid>/etc-hosts                              (kubelet: last line names the pod's hostname)
//   /var/lib/docker/containers/<id>/config.v2.json                     (Docker: "Name": "/web")
// Every root is configurable so tests lay the directories out in a temporary folder. Missing or
// unreadable files mean "no name", never an error.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PodIdentity } from '../../../common/host-sample.js';

/** Where the kubelet's and Docker's files are. */
export interface WorkloadRoots {
  varLogPods: string;
  varLogContainers: string;
  kubeletPods: string;
  dockerContainers: string;
}

export const DEFAULT_WORKLOAD_ROOTS: WorkloadRoots = {
  varLogPods: '/var/log/pods',
  varLogContainers: '/var/log/containers',
  kubeletPods: '/var/lib/kubelet/pods',
  dockerContainers: '/var/lib/docker/containers',
};

/** The roots under one prefix (tests: a temporary directory standing for "/"). */
export function workloadRootsUnder(prefix: string): WorkloadRoots {
  return {
    varLogPods: join(prefix, 'var/log/pods'),
    varLogContainers: join(prefix, 'var/log/containers'),
    kubeletPods: join(prefix, 'var/lib/kubelet/pods'),
    dockerContainers: join(prefix, 'var/lib/docker/containers'),
  };
}

// Kubernetes namespaces and pod names are DNS labels/subdomains: never an underscore.
const POD_LOG_DIR = /^([a-z0-9-]{1,63})_([a-z0-9.-]{1,253})_([0-9a-f-]{36})$/;
const CONTAINER_LOG = /^([a-z0-9.-]{1,253})_([a-z0-9-]{1,63})_([a-z0-9-]{1,63})-([0-9a-f]{64})\.log$/;
const DNS_NAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
const MAX_ENTRIES = 10_000;

/** What the node's files say, read once per sample. */
export class WorkloadNames {
  private constructor(
    private readonly roots: WorkloadRoots,
    private readonly pods: Map<string, { namespace: string; name: string }>,
    private readonly containers: Map<string, string>,
  ) {}

  /** Lists the kubelet's log folders (bounded); never throws. */
  static async load(roots: WorkloadRoots = DEFAULT_WORKLOAD_ROOTS): Promise<WorkloadNames> {
    const pods = new Map<string, { namespace: string; name: string }>();
    for (const entry of await list(roots.varLogPods)) {
      const m = POD_LOG_DIR.exec(entry);
      if (m) pods.set(m[3]!, { namespace: m[1]!, name: m[2]! });
    }
    const containers = new Map<string, string>();
    for (const entry of await list(roots.varLogContainers)) {
      const m = CONTAINER_LOG.exec(entry);
      if (m) containers.set(m[4]!, m[3]!);
    }
    return new WorkloadNames(roots, pods, containers);
  }

  /** The pod with this uid: namespace and name from its log folder, else the name from its etc-hosts. */
  async pod(uid: string): Promise<PodIdentity> {
    const known = this.pods.get(uid);
    if (known) return { uid, namespace: known.namespace, name: known.name };
    return { uid, namespace: null, name: await hostsFileName(join(this.roots.kubeletPods, uid, 'etc-hosts')) };
  }

  /** A container's name: the kubelet's log link, else Docker's config, else null. */
  async container(id: string): Promise<string | null> {
    const known = this.containers.get(id);
    if (known) return known;
    try {
      const config: unknown = JSON.parse(await readFile(join(this.roots.dockerContainers, id, 'config.v2.json'), 'utf8'));
      const name = (config as { Name?: unknown } | null)?.Name;
      if (typeof name === 'string' && /^\/?[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(name)) return name.replace(/^\//, '');
    } catch {
      // no Docker config for it
    }
    return null;
  }
}

async function list(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).slice(0, MAX_ENTRIES);
  } catch {
    return [];
  }
}

// The kubelet writes the pod's own address and hostname on the last line: "10.1.2.3\tweb-7d4f".
async function hostsFileName(path: string): Promise<string | null> {
  try {
    const lines = (await readFile(path, 'utf8')).split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    const last = lines.at(-1)?.split(/\s+/);
    const name = last?.[1];
    return name && DNS_NAME.test(name) && name !== 'localhost' ? name : null;
  } catch {
    return null;
  }
}
