// The macOS persistence: a LaunchDaemon (/Library/LaunchDaemons/io.portwatch.sysctl.plist) that launchd
// loads at every boot and runs once (RunAtLoad) as root: ProgramArguments is the very argv the helper
// runs live, `/usr/sbin/sysctl -w key=value …`. Current macOS does not apply /etc/sysctl.conf at boot
// (the open-source launchd that did, through launchctl's bootstrapper, ended with OS X 10.9), so a
// LaunchDaemon is the way. The text is a pure function of what the file held and the settings: the
// same settings give the same bytes, so applying a plan twice writes nothing the second time. Pure.
import { DARWIN_LAUNCHD_LABEL, DARWIN_LAUNCHD_PLIST_PATH, DARWIN_TUNABLE_KEYS, kernelText, type BootOverride, type HelperSetting, type TunableKey } from '../common/tuning.js';

/** Where sysctl is on every macOS release. */
export const DARWIN_SYSCTL_PROGRAM = '/usr/sbin/sysctl';

const KEY_VALUE = /(net\.inet\.ip\.portrange\.(?:first|last)|net\.inet\.tcp\.msl)\s*=\s*(\d{1,10})/g;

/** `key=value` arguments found in a text (a plist's strings, a sysctl.conf), with their 1-based lines. */
export function sysctlAssignments(text: string): { key: TunableKey; value: string; line: number }[] {
  const out: { key: TunableKey; value: string; line: number }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^\s*#/.test(l)) continue;
    for (const m of l.matchAll(KEY_VALUE)) out.push({ key: m[1] as TunableKey, value: m[2]!, line: i + 1 });
  }
  return out;
}

/** The argv that sets these values (live: one key per run; at boot: all of them in one run). */
export function sysctlWriteArgv(values: readonly { key: TunableKey; text: string }[]): string[] {
  return [DARWIN_SYSCTL_PROGRAM, '-w', ...values.map((v) => `${v.key}=${v.text}`)];
}

/** The plist's new text: the values it held, replaced or joined by `settings`, in allow-list order. */
export function renderLaunchdPlist(existing: string | null, settings: readonly HelperSetting[]): string {
  const values = new Map<TunableKey, string>();
  for (const a of existing === null ? [] : sysctlAssignments(existing)) values.set(a.key, a.value);
  for (const s of settings) values.set(s.key, kernelText(s));
  const ordered = DARWIN_TUNABLE_KEYS.filter((k) => values.has(k)).map((k) => ({ key: k as TunableKey, text: values.get(k)! }));
  const args = sysctlWriteArgv(ordered)
    .map((a) => `\t\t<string>${a}</string>\n`)
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n' +
    '<plist version="1.0">\n' +
    '<dict>\n' +
    '\t<key>Label</key>\n' +
    `\t<string>${DARWIN_LAUNCHD_LABEL}</string>\n` +
    '\t<key>ProgramArguments</key>\n' +
    '\t<array>\n' +
    args +
    '\t</array>\n' +
    '\t<key>RunAtLoad</key>\n' +
    '\t<true/>\n' +
    '</dict>\n' +
    '</plist>\n'
  );
}

/** One sentence on how the plist applies the values at boot. */
export const LAUNCHD_HOW =
  `launchd loads ${DARWIN_LAUNCHD_PLIST_PATH} at every boot and runs its ProgramArguments once as root (RunAtLoad): ` +
  'the same sysctl -w the helper runs now. It must stay a plain file owned by root (launchd ignores symbolic links and files others can write).';

/** The file macOS up to 10.9 applied at boot (launchctl's bootstrapper); current macOS does not read it. */
export const ETC_SYSCTL_CONF = '/etc/sysctl.conf';

/**
 * Other LaunchDaemons that set one of our keys to a different value at boot: launchd starts them in no
 * fixed order, so either may win. (/etc/sysctl.conf is not among them: current macOS does not apply it.)
 */
export function launchdOverrides(files: readonly { path: string; text: string }[], after: Partial<Record<TunableKey, string | null>>, keys: readonly TunableKey[]): BootOverride[] {
  const out: BootOverride[] = [];
  for (const f of files) {
    if (f.path === DARWIN_LAUNCHD_PLIST_PATH || !f.path.startsWith('/Library/LaunchDaemons/')) continue;
    for (const a of sysctlAssignments(f.text)) {
      if (!keys.includes(a.key)) continue;
      if (after[a.key] !== undefined && after[a.key] !== null && Number(after[a.key]) === Number(a.value)) continue;
      out.push({ key: a.key, path: f.path, line: a.line, value: a.value, readers: ['launchd'] });
    }
  }
  return out;
}
