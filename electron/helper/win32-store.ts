// The Windows settings store: the dynamic range of IPv4 and IPv6 through
// `%SystemRoot%\System32\netsh.exe int ipvX show|set dynamicport tcp` and TcpTimedWaitDelay through
// `%SystemRoot%\System32\reg.exe query|add|delete` (argv, absolute paths, no shell; %SystemRoot% checked
// as the sampling backend checks it). netsh prints translated text: it is read by shape, in any language,
// with the sampling backend's parser. netsh stores the range itself and it survives a reboot, and the
// registry is persistent, so nothing else is written; TcpTimedWaitDelay takes effect after a reboot.
import { win32 } from 'node:path';
import { WIN32_DYNAMIC_PORT_BOUNDS, WIN32_TUNABLE_KEYS, parseKernelText, type HelperPlanDocument, type TunableKey } from '../common/tuning.js';
import { parseDynamicPort } from '../common/parse/win32-netsh.js';
import { parseTcpTimedWaitDelay } from '../common/parse/win32-registry.js';
import { firstLine, type HelperRunner } from './command-runner.js';
import { StoreWriteError, type LiveValues, type SettingsStore } from './settings-store.js';
import { CommandFailedError } from '../common/errors/command-failed-error.js';
import { SystemSettingError } from '../common/errors/system-setting-error.js';

/** The registry key TcpTimedWaitDelay lives under. */
export const TCPIP_PARAMETERS = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters';

type DynamicKey = 'win32.ipv4.dynamicport.tcp' | 'win32.ipv6.dynamicport.tcp';
const family = (k: DynamicKey): 'ipv4' | 'ipv6' => (k === 'win32.ipv4.dynamicport.tcp' ? 'ipv4' : 'ipv6');

/** Every command the Windows store runs, as argv with absolute paths under this %SystemRoot%. */
export function win32TuningCommands(systemRoot: string) {
  const netsh = win32.join(systemRoot, 'System32', 'netsh.exe');
  const reg = win32.join(systemRoot, 'System32', 'reg.exe');
  return {
    showDynamicPort: (k: DynamicKey): string[] => [netsh, 'int', family(k), 'show', 'dynamicport', 'tcp'],
    setDynamicPort: (k: DynamicKey, start: number, num: number): string[] => [netsh, 'int', family(k), 'set', 'dynamicport', 'tcp', `start=${start}`, `num=${num}`],
    queryTimedWaitDelay: (): string[] => [reg, 'query', TCPIP_PARAMETERS, '/v', 'TcpTimedWaitDelay'],
    setTimedWaitDelay: (sec: number): string[] => [reg, 'add', TCPIP_PARAMETERS, '/v', 'TcpTimedWaitDelay', '/t', 'REG_DWORD', '/d', String(sec), '/f'],
    deleteTimedWaitDelay: (): string[] => [reg, 'delete', TCPIP_PARAMETERS, '/v', 'TcpTimedWaitDelay', '/f'],
  };
}

/** The Windows store over this %SystemRoot% (validated by the caller: systemRootOf). */
export function createWin32Store(opts: { runner: HelperRunner; systemRoot: string }): SettingsStore {
  const cmd = win32TuningCommands(opts.systemRoot);
  const run = async (argv: string[]) => opts.runner(argv[0]!, argv.slice(1));
  const read = async (key: TunableKey): Promise<string | null> => {
    if (key === 'win32.tcpip.TcpTimedWaitDelay') {
      const r = await run(cmd.queryTimedWaitDelay());
      // reg exits 1 (with a translated message) when the value is not set: "" is that state.
      if (r.exitCode === 1) return '';
      if (r.exitCode !== 0) throw new CommandFailedError(`reg query ${TCPIP_PARAMETERS} /v TcpTimedWaitDelay exited with status ${r.exitCode}: ${firstLine(r.stderr, r.stdout)}`, 'reg query', r.exitCode);
      const p = parseTcpTimedWaitDelay(r.stdout, 'reg query TcpTimedWaitDelay');
      if (p.value === null) throw new SystemSettingError(p.problems.join('; '));
      return p.value === 'not set' ? '' : String(p.value);
    }
    if (key !== 'win32.ipv4.dynamicport.tcp' && key !== 'win32.ipv6.dynamicport.tcp') return null;
    const argv = cmd.showDynamicPort(key);
    const r = await run(argv);
    if (r.exitCode !== 0) throw new CommandFailedError(`netsh int ${family(key)} show dynamicport tcp exited with status ${r.exitCode}: ${firstLine(r.stdout, r.stderr)}`, `netsh int ${family(key)} show dynamicport tcp`, r.exitCode);
    const p = parseDynamicPort(r.stdout, `netsh int ${family(key)} show dynamicport tcp`);
    if (!p.value) throw new SystemSettingError(p.problems.join('; '));
    return `start=${p.value.start} num=${p.value.count}`;
  };
  return {
    platform: 'win32',
    keys: WIN32_TUNABLE_KEYS,
    read,
    async write(key, text) {
      let argv: string[];
      if (key === 'win32.tcpip.TcpTimedWaitDelay') {
        if (text.trim() === '') argv = cmd.deleteTimedWaitDelay();
        else if (/^\d{1,10}$/.test(text)) argv = cmd.setTimedWaitDelay(Number(text));
        else throw new StoreWriteError(`not a number of seconds: ${JSON.stringify(text.slice(0, 40))}`);
      } else if (key === 'win32.ipv4.dynamicport.tcp' || key === 'win32.ipv6.dynamicport.tcp') {
        const p = parseKernelText(key, text);
        if (!p.ok || !('num' in p.setting)) throw new StoreWriteError(`not a dynamic range: ${JSON.stringify(text.slice(0, 40))}`);
        const { start, num } = p.setting;
        // Windows' own limits, checked before netsh sees them (a revert puts back what Windows held).
        if (start < WIN32_DYNAMIC_PORT_BOUNDS.minStart || num < WIN32_DYNAMIC_PORT_BOUNDS.minCount || start + num - 1 > WIN32_DYNAMIC_PORT_BOUNDS.maxEnd) {
          throw new StoreWriteError(`start=${start} num=${num} is outside Windows' limits (start ≥ ${WIN32_DYNAMIC_PORT_BOUNDS.minStart}, at least ${WIN32_DYNAMIC_PORT_BOUNDS.minCount} ports, end ≤ ${WIN32_DYNAMIC_PORT_BOUNDS.maxEnd})`);
        }
        argv = cmd.setDynamicPort(key, start, num);
      } else {
        throw new StoreWriteError(`${key} is not a Windows setting`);
      }
      const r = await run(argv);
      if (r.exitCode !== 0) {
        const said = firstLine(r.stdout, r.stderr);
        throw new StoreWriteError(`${win32.basename(argv[0]!)} refused ${argv.slice(1).join(' ')} (${r.exitCode === null ? 'ended by a signal' : `exit status ${r.exitCode}`}${said ? `: ${said}` : ''})`);
      }
    },
    checkAgainstLive: async (doc, live) => checkWin32AgainstLive(doc, live),
    persistence: null,
    detectOverrides: async () => [],
  };
}

/** Widen only: each new dynamic range contains the current one. */
export function checkWin32AgainstLive(doc: HelperPlanDocument, live: LiveValues): string | null {
  for (const s of doc.settings) {
    if (s.key !== 'win32.ipv4.dynamicport.tcp' && s.key !== 'win32.ipv6.dynamicport.tcp') continue;
    const cur = parseKernelText(s.key, live.get(s.key) ?? '');
    if (!cur.ok || !('num' in cur.setting)) return `the ${family(s.key)} dynamic port range cannot be read`;
    const c = cur.setting;
    if (s.start > c.start || s.start + s.num < c.start + c.num) {
      return `${s.key}: ${s.start}–${s.start + s.num - 1} does not contain the current ${c.start}–${c.start + c.num - 1}; the helper only widens`;
    }
  }
  return null;
}
