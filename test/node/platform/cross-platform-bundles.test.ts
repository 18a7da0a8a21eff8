// Capture bundles made from macOS and Windows outputs, analysed on this (Linux) machine exactly as
// `portwatch check --bundle` does: written with writeBundle, read back with readBundle, parsed with
// parseSnapshot, analysed with the Analyzer. The exhaustion sets are constructed so the right answer is
// known in advance; the others are the real captures.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type { Sample } from '../../../electron/common/model.js';
import { runCheck } from '../../../electron/cli/check.js';
import { readBundle, writeBundle } from '../../../electron/node/capture/bundle.js';
import { Analyzer } from '../../../electron/node/engine/analyzer.js';
import { parseSnapshot } from '../../../electron/node/platform/parse-snapshot.js';
import type { RawSnapshot, RawSource } from '../../../electron/node/platform/types.js';

const root = mkdtempSync(join(tmpdir(), 'pw-xbundle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fixture = (os: 'darwin' | 'win32', name: string): Buffer => readFileSync(new URL(`../../fixtures/${os}/${name}`, import.meta.url));
const ok = (name: string, data: Buffer | string): RawSource => ({ name, status: 'ok', durationMs: 7, data: Buffer.isBuffer(data) ? data : Buffer.from(data) });
const TIME = 1_763_900_000_000;

/** Writes the read as a bundle, reads it back (checking the bytes survived), parses and analyses it. */
async function analyseBundle(name: string, raw: RawSnapshot): Promise<Sample> {
  const dir = join(root, name);
  await writeBundle(dir, [raw], 'portwatch test');
  const [back] = await readBundle(dir);
  expect(back!.platform).toBe(raw.platform);
  for (const s of raw.sources) expect(back!.sources.find((b) => b.name === s.name)?.data?.equals(s.data ?? Buffer.alloc(0)) ?? !s.data, s.name).toBe(true);
  return new Analyzer().analyze(parseSnapshot(back!), { wallMs: 0, cpuMs: 0 });
}

/** `portwatch check --bundle DIR --json` run in-process: its exit status and the Sample it printed. */
async function checkBundle(dir: string): Promise<{ code: number; sample: Sample }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const code = await runCheck(['--bundle', dir, '--json'], { stdout: out, stderr: err });
  return { code, sample: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Sample };
}

// --- Windows: 200 TIME-WAIT sockets to one destination in a 255-port range with a 55-port exclusion.
function windowsExhausted(): RawSnapshot {
  const conns: object[] = [{ LocalAddress: '0.0.0.0', LocalPort: 5432, RemoteAddress: '0.0.0.0', RemotePort: 0, State: 2, OwningProcess: 3200 }];
  for (let p = 50000; p < 50200; p++) conns.push({ LocalAddress: '10.0.0.5', LocalPort: p, RemoteAddress: '10.1.2.3', RemotePort: 443, State: 11, OwningProcess: 0 });
  for (let p = 50000; p < 50020; p++) conns.push({ LocalAddress: '10.0.0.5', LocalPort: p, RemoteAddress: '10.9.9.9', RemotePort: 80, State: 5, OwningProcess: 4242 });
  return {
    platform: 'win32',
    time: TIME,
    sources: [
      ok('win32-tcp-json', JSON.stringify(conns) + '\r\n'),
      ok('win32-processes-json', '[{"Id":3200,"ProcessName":"postgres"},{"Id":4242,"ProcessName":"loadgen"}]\r\n'),
      ok('netsh-dynamicport-tcp-ipv4', '\r\nProtocol tcp Dynamic Port Range\r\n---------------------------------\r\nStart Port      : 50000\r\nNumber of Ports : 255\r\n\r\n'),
      ok('netsh-dynamicport-tcp-ipv6', fixture('win32', 'netsh-dynamicport-tcp.txt')),
      ok('netsh-excludedportrange-tcp-ipv4', '\r\nProtocol tcp Port Exclusion Ranges\r\n\r\nStart Port    End Port\r\n----------    --------\r\n     50200       50254\r\n\r\n* - Administered port exclusions.\r\n'),
      ok('reg-tcptimedwaitdelay', ''),
      ok('win32-tcpip-events-json', '[{"Id":4231,"TimeMs":1763899990000}]\r\n'),
      ok('hostname', 'WIN-LOAD'),
    ],
  };
}

// --- macOS: 95 of 100 ports toward one destination (60 TIME-WAIT, 35 ESTABLISHED), Sequoia layout.
function macCritical(): RawSnapshot {
  const header = 'Proto Recv-Q Send-Q  Local Address          Foreign Address        (state)        rxbytes    txbytes  rhiwat  shiwat    pid   epid state  options           gencnt    flags   flags1 usecnt rtncnt fltrs';
  const row = (la: string, fa: string, st: string, pid: number) =>
    `tcp4       0      0  ${la.padEnd(22)} ${fa.padEnd(22)} ${st.padEnd(11)}       100        200  131072  131768 ${String(pid).padStart(6)}      0 00102 00000000 0000000000011f1b 00000080 04000900      1      0 000001`;
  const rows = [row('*.8080', '*.*', 'LISTEN', 700)];
  for (let i = 0; i < 95; i++) rows.push(row(`192.168.1.20.${61000 + i}`, '17.253.144.10.443', i < 60 ? 'TIME_WAIT' : 'ESTABLISHED', 612));
  return {
    platform: 'darwin',
    time: TIME,
    sources: [
      ok('netstat-anv-tcp', ['Active Internet connections (including servers)', header, ...rows].join('\n') + '\n'),
      ok('sysctl-net-inet', 'net.inet.ip.portrange.first: 61000\nnet.inet.ip.portrange.last: 61099\nnet.inet.ip.portrange.hifirst: 49152\nnet.inet.ip.portrange.hilast: 65535\nnet.inet.tcp.msl: 15000\n'),
      ok('ps-processes', '  612 /usr/local/bin/loadgen\n  700 /usr/local/bin/node\n'),
      ok('netstat-s-tcp', 'tcp:\n\t4242 connection requests\n\t17 connection accepts\n\t0 listen queue overflows\n'),
      ok('hostname', 'mac-load.local'),
    ],
  };
}

describe('bundles from Windows, analysed on Linux', () => {
  it('find the exhausted destination: usable = 255 − 55 excluded = 200 ports, all in TIME-WAIT toward 10.1.2.3:443', async () => {
    const s = await analyseBundle('win-exhausted', windowsExhausted());
    expect(s.platform).toBe('win32');
    expect(s.severity).toBe('exhausted');
    expect(s.capacity).toEqual({ rangeSize: 255, reserved: 55, heldByListeners: 0, usable: 200 });
    expect(s.worst).toMatchObject({ key: '|10.0.0.5|10.1.2.3|443', inUse: 200, capacity: 200, utilization: 1 });
    expect(s.worst!.states['TIME-WAIT']).toBe(200);
    expect(s.kernel.timeWaitSec).toBe(120);
    expect(s.rates.holdSec).toBe(120);
    expect(s.destinations.find((d) => d.remoteAddress === '10.9.9.9')).toMatchObject({ inUse: 20, utilization: 0.1 });
    expect(s.sources.find((x) => x.name === 'tcp-counters')?.status).toBe('unsupported');
  });

  it('give the same answer through portwatch check --bundle (exit status 2: exhausted)', async () => {
    const dir = join(root, 'win-cli');
    await writeBundle(dir, [windowsExhausted()], 'portwatch test');
    const { code, sample } = await checkBundle(dir);
    expect(code).toBe(2);
    expect(sample.severity).toBe('exhausted');
    expect(sample.worst?.key).toBe('|10.0.0.5|10.1.2.3|443');
  });

  it('analyse the real captures: the default range minus the real exclusions, ok', async () => {
    const s = await analyseBundle('win-real', {
      platform: 'win32',
      time: TIME,
      sources: [
        ok('win32-tcp-json', fixture('win32', 'get-nettcpconnection.json')),
        ok('win32-processes-json', fixture('win32', 'get-process.json')),
        ok('netsh-dynamicport-tcp-ipv4', fixture('win32', 'netsh-dynamicport-tcp.txt')),
        ok('netsh-excludedportrange-tcp-ipv4', fixture('win32', 'netsh-excludedportrange-tcp.txt')),
        ok('reg-tcptimedwaitdelay', fixture('win32', 'reg-tcptimedwaitdelay.txt')),
      ],
    });
    expect(s.severity).toBe('ok');
    // 49152–65535 = 16,384 ports; exclusions inside it: 49673–49772 (100) and 50000–50159 (160).
    expect(s.capacity.rangeSize).toBe(16384);
    expect(s.capacity.reserved).toBe(260);
    expect(s.kernel.timeWaitSec).toBe(30);
    expect(s.states['TIME-WAIT']).toBe(1);
    expect(s.states.BOUND).toBe(1);
  });

  it('analyse the German netstat fallback the same way as the PowerShell table', async () => {
    const s = await analyseBundle('win-de-netstat', {
      platform: 'win32',
      time: TIME,
      sources: [
        { name: 'win32-tcp-json', status: 'failed', error: 'exited with status 1', durationMs: 800 },
        ok('netstat-anoq', fixture('win32', 'netstat-anoq-de.txt')),
        ok('netstat-ano', fixture('win32', 'netstat-ano-de.txt')),
        ok('netsh-dynamicport-tcp-ipv4', fixture('win32', 'netsh-dynamicport-tcp-de.txt')),
        ok('netsh-excludedportrange-tcp-ipv4', fixture('win32', 'netsh-excludedportrange-tcp-de.txt')),
      ],
    });
    expect(s.severity).toBe('ok');
    expect(s.totalSockets).toBe(10);
    expect(s.states).toMatchObject({ LISTEN: 3, ESTABLISHED: 2, 'TIME-WAIT': 1, 'CLOSE-WAIT': 1, 'SYN-SENT': 1, 'FIN-WAIT-2': 1, BOUND: 1 });
    expect(s.capacity.rangeSize).toBe(16384);
  });
});

describe('bundles from macOS, analysed on Linux', () => {
  it('find the critical destination: 95 of 100 ports toward 17.253.144.10:443, TIME-WAIT held 30 s', async () => {
    const s = await analyseBundle('mac-critical', macCritical());
    expect(s.platform).toBe('darwin');
    expect(s.hostname).toBe('mac-load.local');
    expect(s.severity).toBe('critical');
    expect(s.capacity).toEqual({ rangeSize: 100, reserved: 0, heldByListeners: 0, usable: 100 });
    expect(s.worst).toMatchObject({ key: '|192.168.1.20|17.253.144.10|443', inUse: 95, capacity: 100, utilization: 0.95 });
    expect(s.worst!.states).toMatchObject({ 'TIME-WAIT': 60, ESTABLISHED: 35 });
    expect(s.worst!.processes[0]).toMatchObject({ pid: 612, name: 'loadgen' });
    expect(s.rates.holdSec).toBe(30);
    expect(s.counters.activeOpens).toBe(4242);
  });

  it('give the same answer through portwatch check --bundle (exit status 2: critical)', async () => {
    const dir = join(root, 'mac-cli');
    await writeBundle(dir, [macCritical()], 'portwatch test');
    const { code, sample } = await checkBundle(dir);
    expect(code).toBe(2);
    expect(sample.worst?.key).toBe('|192.168.1.20|17.253.144.10|443');
  });

  it('analyse the real Mojave capture: two sockets in the default range, ok', async () => {
    const s = await analyseBundle('mac-real', {
      platform: 'darwin',
      time: TIME,
      sources: [
        ok('netstat-anv-tcp', fixture('darwin', 'netstat-anv-mojave.txt')),
        ok('sysctl-net-inet', Buffer.concat([fixture('darwin', 'sysctl-portrange.txt'), fixture('darwin', 'sysctl-msl.txt')])),
      ],
    });
    expect(s.severity).toBe('ok');
    expect(s.capacity.rangeSize).toBe(16384);
    expect(s.totalSockets).toBe(2);
    expect(s.states).toMatchObject({ ESTABLISHED: 1, 'CLOSE-WAIT': 1 });
    expect(s.destinationCount).toBe(2);
  });
});
