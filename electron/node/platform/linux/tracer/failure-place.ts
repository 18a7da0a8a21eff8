// Where a failing process runs, in words a person knows: "pod web-7" (its cgroup names a pod the kubelet
// runs), else "netns blue" (a name under /run/netns for its network namespace), else nothing (the caller
// says "netns <inode>"). Read from files only, asynchronously, never failing; the tracer asks once per
// (pid, netns) and caches the answer, so a sample never waits for it.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCgroupIdentity } from '../cgroup-identity.js';
import { DEFAULT_WORKLOAD_ROOTS, WorkloadNames, type WorkloadRoots } from '../workload-names.js';

/** Where to look; tests point these elsewhere. */
export interface PlaceRoots {
  proc: string;
  runNetns: string;
  workloads: WorkloadRoots;
}

export const DEFAULT_PLACE_ROOTS: PlaceRoots = { proc: '/proc', runNetns: '/run/netns', workloads: DEFAULT_WORKLOAD_ROOTS };

/** Named network namespaces looked at, at most. */
const MAX_NAMED = 1000;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** "pod web-7", "netns blue", or null when the process and its namespace have no name. */
export async function failurePlace(pid: number, netns: number, roots: PlaceRoots = DEFAULT_PLACE_ROOTS): Promise<string | null> {
  const pod = await podOf(pid, roots);
  if (pod) return `pod ${pod}`;
  const named = await netnsName(netns, roots.runNetns);
  return named ? `netns ${named}` : null;
}

async function podOf(pid: number, roots: PlaceRoots): Promise<string | null> {
  try {
    const { podUid } = parseCgroupIdentity(await readFile(join(roots.proc, String(pid), 'cgroup'), 'utf8'));
    if (!podUid) return null;
    const name = (await (await WorkloadNames.load(roots.workloads)).pod(podUid)).name;
    return name && NAME.test(name) ? name : null;
  } catch {
    return null; // the process is gone, or has no cgroup file
  }
}

async function netnsName(inode: number, dir: string): Promise<string | null> {
  let names: string[];
  try {
    names = (await readdir(dir)).slice(0, MAX_NAMED);
  } catch {
    return null;
  }
  for (const name of names) {
    if (!NAME.test(name)) continue;
    try {
      if ((await stat(join(dir, name))).ino === inode) return name;
    } catch {
      // deleted meanwhile
    }
  }
  return null;
}
