// A fake Windows for the helper's store: a command runner that records every argv and answers netsh and
// reg the way Windows does, in the captured layouts of test/fixtures/win32 (English, German or French
// netsh; reg's layout), with Windows' limits on the dynamic range (netsh refuses start < 1025, fewer than
// 255 ports or an end past 65535: "The parameter is incorrect.", exit status 1). The values may live in a
// JSON file so that a killed helper process and the next one see the same "system". The only fake.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HelperRunner, RunResult } from '../../electron/helper/command-runner.js';

/** The state of the fake Windows. */
export interface WindowsValues {
  ipv4: { start: number; num: number };
  ipv6: { start: number; num: number };
  /** TcpTimedWaitDelay in seconds, null when not set. */
  timedWaitDelay: number | null;
}

/** What the fake Windows lets a test change. */
export interface FakeWindowsOptions {
  values?: Partial<WindowsValues>;
  stateFile?: string;
  /** The language netsh prints in (the fixtures exist in English, German and French). */
  language?: 'en' | 'de' | 'fr';
  /** Makes a set fail (exit status 1) for this family. */
  failSet?: (family: 'ipv4' | 'ipv6', start: number, num: number) => boolean;
  /** The range netsh keeps when asked for one (default: what was asked). */
  keep?: (family: 'ipv4' | 'ipv6', start: number, num: number) => { start: number; num: number };
  systemRoot?: string;
  /** test/fixtures (a bundled copy of this file is told where they are). */
  fixtures?: string;
}

/** The defaults the captured netsh output shows (start 49152, 16,384 ports), and TcpTimedWaitDelay not set. */
export const CAPTURED_WINDOWS: WindowsValues = { ipv4: { start: 49152, num: 16384 }, ipv6: { start: 49152, num: 16384 }, timedWaitDelay: null };

/** A fake Windows: its runner, the argv it was given, and its values. */
export function createFakeWindows(opts: FakeWindowsOptions = {}) {
  const root = opts.systemRoot ?? 'C:\\Windows';
  const netsh = `${root}\\System32\\netsh.exe`;
  const reg = `${root}\\System32\\reg.exe`;
  let values: WindowsValues = structuredClone({ ...CAPTURED_WINDOWS, ...opts.values });
  const calls: string[][] = [];
  const load = (): void => {
    if (!opts.stateFile) return;
    try {
      values = JSON.parse(readFileSync(opts.stateFile, 'utf8')) as WindowsValues;
    } catch {
      // first use
    }
  };
  const save = (): void => {
    if (opts.stateFile) writeFileSync(opts.stateFile, JSON.stringify(values));
  };
  if (opts.stateFile) {
    load();
    save();
  }
  const fixtures = opts.fixtures ?? fileURLToPath(new URL('../fixtures/', import.meta.url));
  const fixture = (name: string): string => readFileSync(join(fixtures, 'win32', name), 'latin1');
  const lang = opts.language ?? 'en';
  const showTemplate = fixture(lang === 'en' ? 'netsh-dynamicport-tcp.txt' : `netsh-dynamicport-tcp-${lang}.txt`);
  const regTemplate = fixture('reg-tcptimedwaitdelay.txt');
  const ok = lang === 'de' ? 'OK.\r\n\r\n' : lang === 'fr' ? 'Ok.\r\n\r\n' : 'Ok.\r\n\r\n';
  const incorrect = lang === 'de' ? 'Falscher Parameter.\r\n\r\n' : lang === 'fr' ? 'Paramètre incorrect.\r\n\r\n' : 'The parameter is incorrect.\r\n\r\n';
  const answer = (stdout: string, exitCode: number | null = 0, stderr = ''): RunResult => ({ stdout: Buffer.from(stdout, 'latin1'), stderr: Buffer.from(stderr, 'latin1'), exitCode });

  const runner: HelperRunner = async (file, args) => {
    calls.push([file, ...args]);
    load();
    if (file === netsh) {
      const [int, family, verb, what, proto, ...rest] = args;
      if (int !== 'int' || (family !== 'ipv4' && family !== 'ipv6') || what !== 'dynamicport' || proto !== 'tcp') return answer('The following command was not found.\r\n', 1);
      if (verb === 'show' && rest.length === 0) {
        const v = values[family];
        return answer(showTemplate.replace('49152', String(v.start)).replace('16384', String(v.num)));
      }
      const s = /^start=(\d+)$/.exec(rest[0] ?? '');
      const n = /^num=(\d+)$/.exec(rest[1] ?? '');
      if (verb === 'set' && s && n && rest.length === 2) {
        const start = Number(s[1]);
        const num = Number(n[1]);
        if (start < 1025 || num < 255 || start + num - 1 > 65535) return answer(incorrect, 1);
        if (opts.failSet?.(family, start, num)) return answer('The requested operation requires elevation (Run as administrator).\r\n\r\n', 1);
        values[family] = opts.keep ? opts.keep(family, start, num) : { start, num };
        save();
        return answer(ok);
      }
      return answer(incorrect, 1);
    }
    if (file === reg) {
      const key = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters';
      if (args[1] !== key || args[2] !== '/v' || args[3] !== 'TcpTimedWaitDelay') return answer('', 1, 'ERROR: Invalid syntax.\r\n');
      const missing = (): RunResult => answer('', 1, 'ERROR: The system was unable to find the specified registry key or value.\r\n');
      if (args[0] === 'query' && args.length === 4) {
        if (values.timedWaitDelay === null) return missing();
        return answer(regTemplate.replace('0x1e', `0x${values.timedWaitDelay.toString(16)}`));
      }
      if (args[0] === 'add' && args.length === 9 && args[4] === '/t' && args[5] === 'REG_DWORD' && args[6] === '/d' && args[8] === '/f' && /^\d+$/.test(args[7]!)) {
        values.timedWaitDelay = Number(args[7]);
        save();
        return answer('The operation completed successfully.\r\n\r\n');
      }
      if (args[0] === 'delete' && args.length === 5 && args[4] === '/f') {
        if (values.timedWaitDelay === null) return missing();
        values.timedWaitDelay = null;
        save();
        return answer('The operation completed successfully.\r\n\r\n');
      }
      return answer('', 1, 'ERROR: Invalid syntax.\r\n');
    }
    throw Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT' });
  };
  return {
    runner,
    calls,
    get values(): WindowsValues {
      load();
      return structuredClone(values);
    },
  };
}
