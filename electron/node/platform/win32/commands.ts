// The commands the Windows backend runs, as argv arrays with absolute paths under %SystemRoot% (no
// shell; PowerShell gets one fixed script after -Command, with nothing from outside in it). Source names
// are also the file names in a capture bundle: keep them stable.
import { win32 } from 'node:path';
import type { CommandSpec } from '../command-source.js';

/** Raw source names of the Windows backend. */
export const WIN32_SOURCES = {
  sockets: 'win32-tcp-json',
  processes: 'win32-processes-json',
  events: 'win32-tcpip-events-json',
  dynamicPortV4: 'netsh-dynamicport-tcp-ipv4',
  dynamicPortV6: 'netsh-dynamicport-tcp-ipv6',
  excludedPorts: 'netsh-excludedportrange-tcp-ipv4',
  timedWaitDelay: 'reg-tcptimedwaitdelay',
  netstatAnoq: 'netstat-anoq',
  netstatAno: 'netstat-ano',
  hostname: 'hostname',
} as const;

// Every script stops at the first error (so PowerShell exits non-zero instead of printing partial
// output) and prints UTF-8 (process names are not ASCII everywhere). @() makes a list of one
// connection a JSON list too.
const PRELUDE = "$ErrorActionPreference = 'Stop'; [Console]::OutputEncoding = [System.Text.Encoding]::UTF8; ";

/** Connections with owners, bound-only ports included; State comes out as its number. */
export const TCP_SCRIPT =
  PRELUDE +
  'ConvertTo-Json -Compress -InputObject @(Get-NetTCPConnection | Select-Object LocalAddress,LocalPort,RemoteAddress,RemotePort,State,OwningProcess)';

/** Process names by id. */
export const PROCESSES_SCRIPT = PRELUDE + 'ConvertTo-Json -Compress -InputObject @(Get-Process | Select-Object Id,ProcessName)';

/**
 * The latest 50 Tcpip events 4227 and 4231, with their time as epoch ms. Get-WinEvent fails when no event
 * matches; that one error (by its locale-independent id) means an empty list.
 */
export const EVENTS_SCRIPT =
  PRELUDE +
  "$e = @(try { Get-WinEvent -FilterHashtable @{ LogName = 'System'; ProviderName = 'Tcpip'; Id = 4227,4231 } -MaxEvents 50 } " +
  "catch { if ($_.FullyQualifiedErrorId -notlike 'NoMatchingEventsFound*') { throw } }); " +
  "ConvertTo-Json -Compress -InputObject @($e | Select-Object Id, @{ Name = 'TimeMs'; Expression = { [DateTimeOffset]::new($_.TimeCreated).ToUnixTimeMilliseconds() } })";


/** Every command of the Windows backend, with programs under this %SystemRoot%. */
export function win32Commands(systemRoot: string) {
  const sys32 = (exe: string): string => win32.join(systemRoot, 'System32', exe);
  const powershell = win32.join(systemRoot, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
  const ps = (name: string, script: string): CommandSpec => ({
    name,
    file: powershell,
    args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', script],
  });
  const netsh = (name: string, ...args: string[]): CommandSpec => ({ name, file: sys32('netsh.exe'), args });
  return {
    sockets: ps(WIN32_SOURCES.sockets, TCP_SCRIPT),
    processes: ps(WIN32_SOURCES.processes, PROCESSES_SCRIPT),
    events: ps(WIN32_SOURCES.events, EVENTS_SCRIPT),
    dynamicPortV4: netsh(WIN32_SOURCES.dynamicPortV4, 'int', 'ipv4', 'show', 'dynamicport', 'tcp'),
    dynamicPortV6: netsh(WIN32_SOURCES.dynamicPortV6, 'int', 'ipv6', 'show', 'dynamicport', 'tcp'),
    excludedPorts: netsh(WIN32_SOURCES.excludedPorts, 'int', 'ipv4', 'show', 'excludedportrange', 'protocol=tcp'),
    // reg exits 1 when the value is absent (with a translated message): that is "not set", read as empty output.
    timedWaitDelay: {
      name: WIN32_SOURCES.timedWaitDelay,
      file: sys32('reg.exe'),
      args: ['query', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters', '/v', 'TcpTimedWaitDelay'],
      emptyExitCodes: [1],
    } satisfies CommandSpec,
    netstatAnoq: { name: WIN32_SOURCES.netstatAnoq, file: sys32('NETSTAT.EXE'), args: ['-anoq'] } satisfies CommandSpec,
    netstatAno: { name: WIN32_SOURCES.netstatAno, file: sys32('NETSTAT.EXE'), args: ['-ano'] } satisfies CommandSpec,
  };
}

/** The command set as the backend uses it. */
export type Win32Commands = ReturnType<typeof win32Commands>;
