// Which container and Kubernetes pod a process belongs to, from the cgroup paths in /proc/<pid>/cgroup.
// Pure: the text in, the identity out. Layouts (systemd and cgroupfs drivers):
//   Docker      /system.slice/docker-<id>.scope             /docker/<id>
//   containerd  …/cri-containerd-<id>.scope                 …/kubepods/…/pod<uid>/<id>
//   CRI-O       …/crio-<id>.scope                           …/crio/<id>
//   podman      …/libpod-<id>.scope                         /libpod_parent/libpod-<id>
//   kubelet     /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid with _>.slice/…
//               /kubepods/burstable/pod<uid>/…   /kubepods/pod<uid>/… (guaranteed QoS)
// The file has one line per hierarchy (hierarchy-id:controllers:path; v2 is "0::path"); every line is
// looked at, since on a hybrid host v1 and v2 may disagree and either may carry the names.
import type { ContainerIdentity } from '../../../common/host-sample.js';

/** What a cgroup file says about a process. */
export interface CgroupIdentity {
  container: Omit<ContainerIdentity, 'name'> | null;
  /** The pod uid with dashes (the systemd driver writes them as underscores). */
  podUid: string | null;
}

const ID = '([0-9a-f]{64})';
const CONTAINER_PATTERNS: readonly { runtime: ContainerIdentity['runtime']; re: RegExp }[] = [
  { runtime: 'docker', re: new RegExp(`(?:^|/)docker-${ID}\\.scope(?:/|$)`) },
  { runtime: 'docker', re: new RegExp(`(?:^|/)docker/${ID}(?:/|$)`) },
  { runtime: 'containerd', re: new RegExp(`(?:^|/)cri-containerd-${ID}\\.scope(?:/|$)`) },
  { runtime: 'cri-o', re: new RegExp(`(?:^|/)crio-(?:conmon-)?${ID}\\.scope(?:/|$)`) },
  { runtime: 'cri-o', re: new RegExp(`(?:^|/)crio/${ID}(?:/|$)`) },
  { runtime: 'podman', re: new RegExp(`(?:^|/)libpod-(?:conmon-)?${ID}(?:\\.scope)?(?:/|$)`) },
];
// cgroupfs driver: the container directory right under the pod's is the runtime's id (containerd by default).
const KUBEPODS_CGROUPFS_CONTAINER = new RegExp(`/kubepods(?:/(?:burstable|besteffort))?/pod[0-9a-f-]{36}/${ID}(?:/|$)`);
const POD_SYSTEMD = /kubepods(?:-burstable|-besteffort)?-pod([0-9a-f_]{36})\.slice/;
const POD_CGROUPFS = /\/kubepods(?:\/(?:burstable|besteffort))?\/pod([0-9a-f-]{36})(?:\/|$)/;
const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The container and pod named by a /proc/<pid>/cgroup text (either may be null). */
export function parseCgroupIdentity(text: string): CgroupIdentity {
  let container: CgroupIdentity['container'] = null;
  let podUid: string | null = null;
  for (const line of text.split('\n')) {
    // hierarchy-id:controllers:path — the path may itself contain ':'
    const first = line.indexOf(':');
    const second = first < 0 ? -1 : line.indexOf(':', first + 1);
    if (second < 0) continue;
    const path = line.slice(second + 1);
    if (!container) {
      for (const p of CONTAINER_PATTERNS) {
        const m = p.re.exec(path);
        if (m) {
          container = { runtime: p.runtime, id: m[1]! };
          break;
        }
      }
      const k: RegExpExecArray | null = container ? null : KUBEPODS_CGROUPFS_CONTAINER.exec(path);
      if (k) container = { runtime: 'containerd', id: k[1]! };
    }
    if (!podUid) {
      const s = POD_SYSTEMD.exec(path);
      const uid = s ? s[1]!.replace(/_/g, '-') : POD_CGROUPFS.exec(path)?.[1];
      if (uid && UID.test(uid)) podUid = uid;
    }
  }
  return { container, podUid };
}
