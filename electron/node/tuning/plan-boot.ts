// Which file wins at boot once the drop-in holds the plan's values, shown before anything is applied.
import { DROP_IN_PATH, canonicalKernelText, type BootWinner, type HelperSetting, type TuningPlan } from '../../common/tuning.js';
import { renderDropIn } from '../../helper/drop-in.js';
import { winningEntry, type SysctlConfigFile } from '../../helper/sysctl-boot-order.js';

/** The drop-in before and after, the winner of each key at boot, and warnings for keys another file wins. */
export function persistenceView(files: readonly SysctlConfigFile[] | null, settings: readonly HelperSetting[]): { persistence: NonNullable<TuningPlan['persistence']>; warnings: string[] } {
  const before = files?.find((f) => f.path === DROP_IN_PATH)?.text ?? null;
  const after = renderDropIn(before, settings);
  const warnings: string[] = [];
  if (files === null) warnings.push('The sysctl configuration could not be read: which file wins at boot is unknown.');
  const withOurs = [...(files ?? []).filter((f) => f.path !== DROP_IN_PATH), { path: DROP_IN_PATH, text: after }];
  const boot: BootWinner[] = settings.map((s) => {
    const pick = (reader: 'systemd-sysctl' | 'procps') => {
      const w = winningEntry(withOurs, s.key, reader);
      return w ? { path: w.path, line: w.line, value: w.value } : null;
    };
    const systemd = pick('systemd-sysctl');
    const procps = pick('procps');
    const ours = (w: { path: string; value: string } | null) => w?.path === DROP_IN_PATH && canonicalKernelText(s.key, w.value) !== null;
    return { key: s.key, systemd, procps, oursWins: ours(systemd) && ours(procps) };
  });
  for (const b of boot) {
    if (b.oursWins) continue;
    const w = b.systemd?.path !== DROP_IN_PATH ? b.systemd : b.procps;
    const who = b.systemd?.path !== DROP_IN_PATH && b.procps?.path !== DROP_IN_PATH ? 'at boot and with sysctl --system' : b.systemd?.path !== DROP_IN_PATH ? 'at boot (systemd-sysctl)' : 'with sysctl --system (procps reads /etc/sysctl.conf last)';
    if (w) warnings.push(`${w.path}:${w.line} sets ${b.key} = ${w.value} after ${DROP_IN_PATH}, so it wins ${who}: change or remove that line, or the new value is lost at the next boot.`);
  }
  return { persistence: { path: DROP_IN_PATH, before, after, boot }, warnings };
}
