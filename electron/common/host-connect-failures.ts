// Observed connect failures on a whole host (check --netns host): each failure belongs to the network
// namespace the failing process ran in (the tracer records its netns inode), so each namespace's sample
// gets only its own failures, is "exhausted" only for its own, and the host's order and worst follow.
import type { ConnectFailure } from './connect-failures.js';
import { withConnectFailures } from './connect-failures.js';
import { compareNamespaces, hostSeverity, type HostSample } from './host-sample.js';
import type { SourceStatus } from './model.js';

/**
 * The host sample with every namespace's failures added (and the tracer's status among each sample's
 * sources). A namespace that is gone by the time the host is read has no sample to carry its failures.
 */
export function withHostConnectFailures(host: HostSample, failures: readonly ConnectFailure[], tracer: SourceStatus, now: number): HostSample {
  const byNetns = new Map<number, ConnectFailure[]>();
  for (const f of failures) byNetns.set(f.netns, [...(byNetns.get(f.netns) ?? []), f]);
  const namespaces = host.namespaces
    .map((n) => {
      if (!n.sample) return n;
      const own = byNetns.get(n.identity.inode) ?? [];
      return { ...n, sample: withConnectFailures({ ...n.sample, sources: [...n.sample.sources, tracer] }, own, now, n.identity.inode) };
    })
    .sort(compareNamespaces);
  const worst = namespaces.find((n) => n.sample !== null)?.identity.id ?? null;
  return { ...host, namespaces, worst, severity: hostSeverity(namespaces) };
}
