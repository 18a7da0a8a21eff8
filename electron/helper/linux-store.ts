// The Linux settings store: values are /proc/sys files written directly (sysctl-io.ts, no program run),
// persisted in the sysctl.d drop-in (drop-in.ts), with the boot-order check of every sysctl.d file and
// the guard rails of docs/domain.md that need the live system (ip_unprivileged_port_start, widen-only,
// merge-only reserved ports, listeners under a low end below 32768).
import { join } from 'node:path';
import {
  DROP_IN_PATH,
  LINUX_TUNABLE_KEYS,
  SAFE_RANGE_FLOOR,
  canonicalKernelText,
  inRanges,
  kernelText,
  parseKernelText,
  rangesCover,
  type BootOverride,
  type HelperPlanDocument,
  type HelperSetting,
  type TunableKey,
} from '../common/tuning.js';
import { renderDropIn } from './drop-in.js';
import { readListeningPorts } from './listening-ports.js';
import { StoreWriteError, type LiveValues, type SettingsStore } from './settings-store.js';
import { winningEntry } from './sysctl-boot-order.js';
import { readSysctlConfigFiles } from './sysctl-config-files.js';
import { readSysctlText, writeSysctlText } from './sysctl-io.js';

/** The Linux store over a procfs root and a sysctl configuration root ("/proc" and "/" on the machine). */
export function createLinuxStore(paths: { proc: string; configRoot: string }): SettingsStore {
  return {
    platform: 'linux',
    keys: LINUX_TUNABLE_KEYS,
    read: (key) => readSysctlText(paths.proc, key),
    async write(key, text) {
      try {
        await writeSysctlText(paths.proc, key, text);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new StoreWriteError(`the kernel refused ${JSON.stringify(text.replace(/\t/g, ' '))}${code ? ` (${code})` : ''}`);
      }
    },
    checkAgainstLive: (doc, live) => checkLinuxAgainstLive(paths.proc, doc, live),
    persistence: { path: DROP_IN_PATH, file: join(paths.configRoot, DROP_IN_PATH), mode: 0o644, render: renderDropIn },
    detectOverrides: (keys, after) => detectLinuxOverrides(paths.configRoot, keys, after),
  };
}

/** The guard rails that need the live system (docs/domain.md "Guard rails for changes"). */
async function checkLinuxAgainstLive(proc: string, doc: HelperPlanDocument, live: LiveValues): Promise<string | null> {
  const get = <K extends TunableKey>(k: K) => doc.settings.find((s): s is Extract<HelperSetting, { key: K }> => s.key === k);
  const range = get('net.ipv4.ip_local_port_range');
  const reserved = get('net.ipv4.ip_local_reserved_ports');
  const parsed = <K extends TunableKey>(k: K) => {
    const p = parseKernelText(k, live.get(k) ?? '');
    return p.ok ? (p.setting as Extract<HelperSetting, { key: K }>) : null;
  };
  const curReserved = parsed('net.ipv4.ip_local_reserved_ports');
  if (reserved) {
    if (!curReserved) return 'net.ipv4.ip_local_reserved_ports cannot be read back, so it cannot be merged';
    // Writing the list replaces it: a plan must keep every reserved port there is.
    if (!rangesCover(reserved.ranges, curReserved.ranges)) {
      return `net.ipv4.ip_local_reserved_ports: the plan drops reserved ports (${kernelText(curReserved)} now); it may only add`;
    }
  }
  if (range) {
    const unpriv = Number((await readSysctlText(proc, 'net.ipv4.ip_unprivileged_port_start')) ?? '1024');
    const floor = Number.isInteger(unpriv) ? Math.max(unpriv, 1) : 1024;
    if (range.low < floor) return `net.ipv4.ip_local_port_range: ${range.low} is below ip_unprivileged_port_start (${floor})`;
    const cur = parsed('net.ipv4.ip_local_port_range');
    if (!cur) return 'net.ipv4.ip_local_port_range cannot be read';
    if (range.low > cur.low || range.high < cur.high) {
      return `net.ipv4.ip_local_port_range: ${range.low}–${range.high} does not contain the current ${cur.low}–${cur.high}; the helper only widens`;
    }
    if (range.low < SAFE_RANGE_FLOOR) {
      const after = reserved?.ranges ?? curReserved?.ranges ?? [];
      let listening: number[];
      try {
        listening = await readListeningPorts(proc);
      } catch (err) {
        return `a low end under ${SAFE_RANGE_FLOOR} needs the listening ports, and ${(err as Error).message}`;
      }
      const exposed = listening.filter((p) => p >= range.low && p <= range.high && !inRanges(after, p));
      if (exposed.length) {
        return `net.ipv4.ip_local_port_range: a low end under ${SAFE_RANGE_FLOOR} needs every listening port inside the range reserved in the same plan; not reserved: ${exposed.slice(0, 10).join(', ')}${exposed.length > 10 ? ' …' : ''}`;
      }
    }
  }
  return null;
}

/** Files that set one of our keys after our drop-in at boot. */
async function detectLinuxOverrides(configRoot: string, keys: readonly TunableKey[], after: Partial<Record<TunableKey, string | null>>): Promise<BootOverride[]> {
  const { files } = await readSysctlConfigFiles(configRoot);
  const out: BootOverride[] = [];
  for (const key of keys) {
    const ours = canonicalKernelText(key, after[key] ?? null);
    const seen = new Map<string, BootOverride>();
    for (const reader of ['systemd-sysctl', 'procps'] as const) {
      const w = winningEntry(files, key, reader);
      if (!w || (w.path === DROP_IN_PATH && canonicalKernelText(key, w.value) === ours)) continue;
      const id = `${w.path}:${w.line}`;
      const o = seen.get(id);
      if (o) o.readers.push(reader);
      else seen.set(id, { key, path: w.path, line: w.line, value: w.value, readers: [reader] });
    }
    out.push(...seen.values());
  }
  return out;
}
