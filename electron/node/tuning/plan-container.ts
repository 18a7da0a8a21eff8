// Inside a container or a Kubernetes pod the ephemeral range belongs to the container's own network
// namespace: changing it from inside does not change the host, and it is lost when the container
// restarts. The plan gives the container-spec way instead (docs/domain.md).
import { configText, type HelperSetting, type TuningPlan } from '../../common/tuning.js';

/** The pod `securityContext.sysctls` snippet, the `docker run --sysctl` flags, and what to know about them. */
export function containerSnippets(settings: readonly HelperSetting[]): NonNullable<TuningPlan['containerSnippets']> {
  const kubernetes =
    'spec:\n  securityContext:\n    sysctls:\n' + settings.map((s) => `      - name: ${s.key}\n        value: "${configText(s)}"\n`).join('');
  const docker = `docker run ${settings.map((s) => `--sysctl ${s.key}="${configText(s)}"`).join(' ')} IMAGE`;
  const notes = [
    'These settings are per network namespace: they change this pod or container, not the host. A pod with hostNetwork: true uses the host\'s namespace and cannot set them this way.',
  ];
  const keys = new Set(settings.map((s) => s.key));
  if (keys.has('net.ipv4.ip_local_port_range')) notes.push('net.ipv4.ip_local_port_range is a "safe" sysctl: every pod may set it.');
  if (keys.has('net.ipv4.ip_local_reserved_ports')) {
    notes.push('net.ipv4.ip_local_reserved_ports is a "safe" sysctl from Kubernetes 1.27 on; older clusters must allow it as unsafe.');
  }
  if (keys.has('net.ipv4.tcp_tw_reuse') || keys.has('net.ipv4.tcp_tw_reuse_delay')) {
    notes.push('net.ipv4.tcp_tw_reuse is not a "safe" sysctl: the node\'s kubelet must allow it (--allowed-unsafe-sysctls=net.ipv4.tcp_tw_reuse) before a pod may set it.');
  }
  return { kubernetes, docker, notes };
}
