// Every network namespace of a host in one picture: one analysed Sample per namespace (the unit stays
// the single-namespace Sample), who lives in each (processes, container, Kubernetes pod), and which
// namespace is worst. Pure data (JSON-safe), like model.ts.
import { SEVERITY_ORDER, type Sample, type SeverityOrUnknown } from './model.js';

/** A container found from a process's cgroup path. */
export interface ContainerIdentity {
  runtime: 'docker' | 'containerd' | 'cri-o' | 'podman';
  /** Full container id (64 hex digits as the runtime names it). */
  id: string;
  /** The container's name when the runtime's or kubelet's files say it, else null. */
  name: string | null;
}

/** A Kubernetes pod found from the kubelet's cgroup path and its pod/log directories (no API server). */
export interface PodIdentity {
  uid: string;
  /** Kubernetes namespace, null when no kubelet file names it. */
  namespace: string | null;
  name: string | null;
}

/** Who lives in one network namespace. */
export interface NamespaceIdentity {
  /** The kernel's identity, e.g. "net:[4026532301]" (as Sample destinations' netns). */
  id: string;
  inode: number;
  /** Names under /run/netns (ip netns) that point at it. */
  names: string[];
  /** True for the namespace Portwatch itself runs in. */
  self: boolean;
  /** True for the host's namespace (that of pid 1). */
  host: boolean;
  /** Its processes, lowest pid first (bounded: see processCount). */
  processes: { pid: number; name: string }[];
  processCount: number;
  containers: ContainerIdentity[];
  pod: PodIdentity | null;
}

/** How reading one namespace went. */
export type NamespaceStatus = 'ok' | 'vanished' | 'refused' | 'timeout' | 'failed';

/** One namespace's analysed sample, or why there is none. */
export interface NamespaceSample {
  identity: NamespaceIdentity;
  status: NamespaceStatus;
  /** What went wrong (status other than ok), naming the namespace file. */
  error?: string;
  sample: Sample | null;
}

/** The whole host: every namespace, worst first. */
/** Processes whose namespace could not be seen, and why (see HostSample.unseen). */
export interface UnseenProcesses {
  processes: number;
  /** A few of them, "nginx (pid 812)" (from outside: clean before printing). */
  examples: string[];
  /** One sentence: why, and what would let Portwatch see them. */
  why: string;
}

export interface HostSample {
  schema: 1;
  time: number;
  hostname: string;
  /** "host": every namespace of the host; "self": only Portwatch's own. */
  scope: 'host' | 'self';
  /** Worst first (see compareNamespaces); namespaces that vanished mid-sample are left out. */
  namespaces: NamespaceSample[];
  /** Namespaces that disappeared between enumeration and reading (a normal event). */
  vanished: number;
  /**
   * Processes whose network namespace this reading could not see (the kernel refused their
   * /proc/<pid>/ns/net: another user's, and no CAP_SYS_PTRACE): any namespace only they hold is missing
   * from `namespaces`. Absent when every process could be seen.
   */
  unseen?: UnseenProcesses;
  /** The id of the worst namespace that has a sample, or null. */
  worst: string | null;
  /** The worst namespace's severity ("unknown" when no namespace could be read). */
  severity: SeverityOrUnknown;
  /** What the whole read cost. */
  cost: { wallMs: number; cpuMs: number };
}

const rank = (s: SeverityOrUnknown): number => SEVERITY_ORDER.indexOf(s);

/** Orders namespaces worst first: severity, then the worst destination's utilisation, then socket count. */
export function compareNamespaces(a: NamespaceSample, b: NamespaceSample): number {
  const sa = a.sample;
  const sb = b.sample;
  if (!sa || !sb) return sa ? -1 : sb ? 1 : a.identity.inode - b.identity.inode;
  return (
    rank(sb.severity) - rank(sa.severity) ||
    utilization(sb) - utilization(sa) ||
    sb.totalSockets - sa.totalSockets ||
    a.identity.inode - b.identity.inode
  );
}

function utilization(s: Sample): number {
  return Math.max(s.worst?.utilization ?? 0, s.global.utilization);
}

/** The worst namespace with a sample, or null. */
export function worstNamespace(host: HostSample): NamespaceSample | null {
  return host.namespaces.find((n) => n.identity.id === host.worst) ?? null;
}

/** A short human name: the pod, else the container, else the ip-netns name, else the main process. */
export function namespaceLabel(id: NamespaceIdentity): string {
  if (id.host) return 'host';
  if (id.pod) return `pod ${id.pod.namespace ?? '?'}/${id.pod.name ?? id.pod.uid}`;
  const c = id.containers[0];
  if (c) return `container ${c.name ?? c.id.slice(0, 12)}`;
  if (id.names[0]) return `netns ${id.names[0]}`;
  const p = id.processes[0];
  if (p) return `process ${p.name} (${p.pid})`;
  return id.id;
}

/** The severity of the whole host: the worst namespace's; "unknown" only when none could be judged. */
export function hostSeverity(namespaces: readonly NamespaceSample[]): SeverityOrUnknown {
  let worst: SeverityOrUnknown = 'unknown';
  for (const n of namespaces) if (n.sample && rank(n.sample.severity) > rank(worst)) worst = n.sample.severity;
  return worst;
}
