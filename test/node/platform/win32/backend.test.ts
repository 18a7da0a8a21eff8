import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../../../electron/node/platform/parse-snapshot.js';
import { EVENTS_SCRIPT, PROCESSES_SCRIPT, TCP_SCRIPT } from '../../../../electron/node/platform/win32/commands.js';
import { systemRootOf } from '../../../../electron/common/win32-paths.js';
import { createWin32Backend } from '../../../../electron/node/platform/win32/backend.js';
import type { Win32Snapshot } from '../../../../electron/node/platform/win32/snapshot.js';
import { fakeRunner, printed, type FakeAnswer } from '../fake-runner.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../../fixtures/win32/${name}`, import.meta.url));
const ROOT = 'D:\\Win';
const PS = 'D:\\Win\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const ps = (script: string) => [PS, '-NoLogo', '-NoProfile', '-NonInteractive', '-Command', script].join(' ');
const NETSH = 'D:\\Win\\System32\\netsh.exe';
const REG = 'D:\\Win\\System32\\reg.exe query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters /v TcpTimedWaitDelay';
const NETSTAT = 'D:\\Win\\System32\\NETSTAT.EXE';

function answers(over: Record<string, FakeAnswer> = {}): Record<string, FakeAnswer> {
  return {
    [ps(TCP_SCRIPT)]: printed(fixture('get-nettcpconnection.json')),
    [ps(PROCESSES_SCRIPT)]: printed(fixture('get-process.json')),
    [ps(EVENTS_SCRIPT)]: printed(fixture('tcpip-events.json')),
    [`${NETSH} int ipv4 show dynamicport tcp`]: printed(fixture('netsh-dynamicport-tcp.txt')),
    [`${NETSH} int ipv6 show dynamicport tcp`]: printed(fixture('netsh-dynamicport-tcp.txt')),
    [`${NETSH} int ipv4 show excludedportrange protocol=tcp`]: printed(fixture('netsh-excludedportrange-tcp.txt')),
    [REG]: printed(fixture('reg-tcptimedwaitdelay.txt')),
    ...over,
  };
}

describe('the Windows backend', () => {
  it('runs PowerShell, netsh and reg as argv arrays under %SystemRoot%, never netstat when PowerShell answered', async () => {
    const runner = fakeRunner(answers());
    const raw = await createWin32Backend({ runner, systemRoot: ROOT }).readAll();
    expect(runner.calls).toHaveLength(7);
    expect(runner.calls).toContainEqual({ file: PS, args: ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', TCP_SCRIPT] });
    expect(runner.calls).toContainEqual({ file: NETSH, args: ['int', 'ipv4', 'show', 'excludedportrange', 'protocol=tcp'] });
    expect(runner.calls).toContainEqual({
      file: 'D:\\Win\\System32\\reg.exe',
      args: ['query', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters', '/v', 'TcpTimedWaitDelay'],
    });
    expect(runner.calls.some((c) => c.file === NETSTAT)).toBe(false);
    expect(raw.sources.find((s) => s.name === 'win32-tcp-json')!.data!.equals(fixture('get-nettcpconnection.json'))).toBe(true);

    const snap = parseSnapshot(raw) as Win32Snapshot;
    expect(snap.kernel.portRange).toEqual({ low: 49152, high: 65535 });
    expect(snap.kernel.timeWaitSec).toBe(30);
    expect(snap.sockets?.count).toBe(16);
    expect(snap.processNames.get(44328)).toBe('Größenrechner');
    expect(snap.portExhaustionEvents).toEqual({ total: 3, byId: { 4227: 1, 4231: 2 }, latestMs: 1763900000000 });
  });

  it('asks PowerShell for UTF-8 JSON, stops it at the first error, and makes a single connection a list', () => {
    for (const script of [TCP_SCRIPT, PROCESSES_SCRIPT, EVENTS_SCRIPT]) {
      expect(script).toContain("$ErrorActionPreference = 'Stop'");
      expect(script).toContain('[Console]::OutputEncoding = [System.Text.Encoding]::UTF8');
      expect(script).toMatch(/ConvertTo-Json -Compress -InputObject @\(/);
    }
    expect(TCP_SCRIPT).toContain('Select-Object LocalAddress,LocalPort,RemoteAddress,RemotePort,State,OwningProcess');
    expect(EVENTS_SCRIPT).toContain("ProviderName = 'Tcpip'; Id = 4227,4231");
    expect(EVENTS_SCRIPT).toContain("FullyQualifiedErrorId -notlike 'NoMatchingEventsFound*'");
  });

  it('reads TcpTimedWaitDelay as not set when reg exits 1 (no such value), and then uses the 120 s default', async () => {
    const runner = fakeRunner(answers({ [REG]: printed('', 1, 'FEHLER: Der angegebene Registrierungsschlüssel bzw. Wert wurde nicht gefunden.') }));
    const raw = await createWin32Backend({ runner, systemRoot: ROOT }).readAll();
    expect(raw.sources.find((s) => s.name === 'reg-tcptimedwaitdelay')).toMatchObject({ status: 'ok', data: Buffer.alloc(0) });
    expect(parseSnapshot(raw).kernel).toMatchObject({ timeWaitSec: 120, timeWaitSource: expect.stringMatching(/^TcpTimedWaitDelay not set: Windows default 120 s/) });
  });

  it('falls back to netstat -anoq and -ano when PowerShell cannot list connections', async () => {
    const runner = fakeRunner(
      answers({
        [ps(TCP_SCRIPT)]: printed('', 1, 'Get-NetTCPConnection : Zugriff verweigert'),
        [`${NETSTAT} -anoq`]: printed(fixture('netstat-anoq-de.txt')),
        [`${NETSTAT} -ano`]: printed(fixture('netstat-ano-de.txt')),
      }),
    );
    const raw = await createWin32Backend({ runner, systemRoot: ROOT }).readAll();
    expect(runner.calls).toContainEqual({ file: NETSTAT, args: ['-anoq'] });
    expect(runner.calls).toContainEqual({ file: NETSTAT, args: ['-ano'] });
    const snap = parseSnapshot(raw);
    expect(snap.sockets?.count).toBe(10);
    const byName = Object.fromEntries(snap.sources.map((s) => [s.name, s]));
    expect(byName['win32-tcp-json']).toMatchObject({ status: 'failed', error: expect.stringContaining('exited with status 1: Get-NetTCPConnection : Zugriff verweigert') });
    expect(byName['netstat-anoq']!.status).toBe('degraded'); // the unknown BOUND word, read by shape
  });

  it('has no cheap counters: the tick says so and reports null, never zero', async () => {
    const runner = fakeRunner({});
    const tick = await createWin32Backend({ runner, systemRoot: ROOT }).readTick();
    expect(runner.calls).toEqual([]);
    expect(Object.values(tick.counters).every((v) => v === null)).toBe(true);
    expect(tick.sources).toEqual([expect.objectContaining({ name: 'tcp-counters', status: 'unsupported' })]);
  });
});

describe('systemRootOf', () => {
  it('takes %SystemRoot% only when it is a plain absolute path', () => {
    expect(systemRootOf({ SystemRoot: 'E:\\Windows' })).toBe('E:\\Windows');
    expect(systemRootOf({})).toBe('C:\\Windows');
    expect(systemRootOf({ SystemRoot: '\\\\server\\share' })).toBe('C:\\Windows');
    expect(systemRootOf({ SystemRoot: 'C:\\Win" & calc' })).toBe('C:\\Windows');
  });
});
