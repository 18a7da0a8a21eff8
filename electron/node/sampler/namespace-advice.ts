// Kernel advice for a namespace that is not the host's: its sysctls belong to it, so the host's sysctl
// (or /etc/sysctl.d) would change nothing there. For a Kubernetes pod the way is the pod's
// securityContext.sysctls; for another container, the runtime's --sysctl flag. Each kernel
// recommendation of such a namespace gets that said, with the snippet.
import type { NamespaceIdentity } from '../../common/host-sample.js';
import type { Diagnosis, Recommendation } from '../../common/model.js';
import { containerSnippets } from '../tuning/plan-container.js';
import type { HelperSetting } from '../../common/tuning.js';

/** The setting a recommendation suggests, in the shape the container snippets take, when it is one they cover. */
function settingOf(r: Recommendation): HelperSetting | null {
  const s = r.setting;
  if (!s) return null;
  if (s.key === 'net.ipv4.ip_local_port_range') {
    const m = /^\s*(\d{1,5})\s+(\d{1,5})\s*$/.exec(s.suggested);
    return m ? { key: s.key, low: Number(m[1]), high: Number(m[2]) } : null;
  }
  if (s.key === 'net.ipv4.tcp_tw_reuse' && /^[012]$/.test(s.suggested.trim())) return { key: s.key, value: Number(s.suggested.trim()) as 0 | 1 | 2 };
  return null;
}

/** The diagnoses with per-namespace wording for kernel recommendations; the host's own are returned unchanged. */
export function adviseForNamespace(diagnoses: readonly Diagnosis[], id: NamespaceIdentity): Diagnosis[] {
  if (id.host) return [...diagnoses];
  return diagnoses.map((d) => ({
    ...d,
    recommendations: d.recommendations.map((r) => {
      const setting = r.kind === 'kernel' ? settingOf(r) : null;
      if (!setting) return r;
      const snippets = containerSnippets([setting]);
      const where = id.pod
        ? `This namespace belongs to pod ${id.pod.namespace ?? '(namespace unknown)'}/${id.pod.name ?? id.pod.uid}: set ${setting.key} in the pod's securityContext.sysctls, not with the host's sysctl (which does not reach this namespace):\n${snippets.kubernetes}${snippets.notes.join(' ')}`
        : id.containers[0]
          ? `This namespace belongs to container ${id.containers[0].name ?? id.containers[0].id.slice(0, 12)}: set it when the container is started (${snippets.docker}), not with the host's sysctl. ${snippets.notes.join(' ')}`
          : `This is not the host's namespace: set it inside the namespace (e.g. ip netns exec NAME sysctl -w ${setting.key}=...), not with the host's sysctl.`;
      return { ...r, text: `${r.text} ${where}` };
    }),
  }));
}
