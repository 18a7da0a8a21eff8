// `portwatch tune --bundle DIR --dry-run` on a Windows capture (real captured netsh, reg and
// Get-NetTCPConnection outputs, German netsh too), run in-process on this (Linux) machine.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { writeBundle } from '../../../electron/node/capture/bundle.js';
import { runTune } from '../../../electron/cli/tune.js';
import { expectFitted } from './fitted-output.js';
import type { RawSnapshot, RawSource } from '../../../electron/node/platform/types.js';

const root = mkdtempSync(join(tmpdir(), 'pw-tune-win-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fixture = (name: string): Buffer => readFileSync(new URL(`../../fixtures/win32/${name}`, import.meta.url));
const ok = (name: string, data: Buffer | string): RawSource => ({ name, status: 'ok', durationMs: 7, data: Buffer.isBuffer(data) ? data : Buffer.from(data) });

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _e, cb) {
      w.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}

/** The real captures: default range, the real exclusions, TcpTimedWaitDelay 30 s; netsh in English or German. */
function windowsCapture(lang: 'en' | 'de'): RawSnapshot {
  const dyn = fixture(lang === 'en' ? 'netsh-dynamicport-tcp.txt' : 'netsh-dynamicport-tcp-de.txt');
  return {
    platform: 'win32',
    time: 1_763_900_000_000,
    sources: [
      ok('win32-tcp-json', fixture('get-nettcpconnection.json')),
      ok('win32-processes-json', fixture('get-process.json')),
      ok('netsh-dynamicport-tcp-ipv4', dyn),
      ok('netsh-dynamicport-tcp-ipv6', dyn),
      ok('netsh-excludedportrange-tcp-ipv4', fixture(lang === 'en' ? 'netsh-excludedportrange-tcp.txt' : 'netsh-excludedportrange-tcp-de.txt')),
      ok('reg-tcptimedwaitdelay', fixture('reg-tcptimedwaitdelay.txt')),
      ok('hostname', 'WIN-LOAD'),
    ],
  };
}

async function tune(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  const err = sink();
  const code = await runTune(args, { stdout: out, stderr: err });
  return { code, out: out.text, err: err.text };
}

describe('portwatch tune --bundle on a Windows capture', () => {
  it('--dry-run (asked with --force) prints the exact netsh argv, the exclusions and the UAC relaunch', async () => {
    const dir = join(root, 'win');
    await writeBundle(dir, [windowsCapture('en')], 'portwatch test');
    // Read whole (--wide); the default's fit to 80 columns is checked after.
    const r = await tune(['--bundle', dir, '--dry-run', '--force', '--wide']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Planned from the capture .* \(win32, WIN-LOAD, /);
    expect(r.out).toContain('Widen the IPv4 dynamic port range from 49152–65535 to 32768–65535');
    expect(r.out).toContain('Widen the IPv6 dynamic port range from 49152–65535 to 32768–65535');
    expect(r.out).toMatch(/ports of the new range are excluded \(47001, 49673–49772, 50000–50059, 50060–50159; 1 administered\).*move on reboot/);
    expect(r.out).toContain('through a UAC prompt (Windows PowerShell Start-Process -Verb RunAs');
    expect(r.out).toContain('  C:\\Windows\\System32\\netsh.exe int ipv4 set dynamicport tcp start=32768 num=32768\n');
    expect(r.out).toContain('  C:\\Windows\\System32\\netsh.exe int ipv6 set dynamicport tcp start=32768 num=32768\n');
    expect(r.out).toContain('Nothing else is persisted: Windows stores the new values itself');
    expect(r.out).not.toMatch(/Writes made by the helper/);
    expect(r.out).not.toMatch(/tw_recycle|net\.ipv4|sysctl/);
  });

  it('fits its prose to 80 columns without --wide, and prints the commands whole', async () => {
    const dir = join(root, 'win-fit');
    await writeBundle(dir, [windowsCapture('en')], 'portwatch test');
    const fitted = await tune(['--bundle', dir, '--dry-run', '--force']);
    const wide = await tune(['--bundle', dir, '--dry-run', '--force', '--wide']);
    expect(fitted.code, fitted.err).toBe(0);
    expectFitted(fitted.out, wide.out);
    expect(fitted.out).toContain('  C:\\Windows\\System32\\netsh.exe int ipv4 set dynamicport tcp start=32768 num=32768\n');
  });

  it('gives the same plan from German netsh output', async () => {
    const plans: string[] = [];
    for (const lang of ['en', 'de'] as const) {
      const dir = join(root, `win-json-${lang}`);
      await writeBundle(dir, [windowsCapture(lang)], 'portwatch test');
      const r = await tune(['--bundle', dir, '--json', '--force']);
      const p = JSON.parse(r.out) as { helperPlan: unknown };
      plans.push(JSON.stringify(p.helperPlan));
    }
    expect(plans[0]).toBe(plans[1]);
    expect(plans[0]).toContain('"key":"win32.ipv4.dynamicport.tcp","start":32768,"num":32768');
  });

  it('--time-wait 60 on a capture with TcpTimedWaitDelay 30: already shorter, not proposed', async () => {
    const dir = join(root, 'win-tw');
    await writeBundle(dir, [windowsCapture('en')], 'portwatch test');
    const r = await tune(['--bundle', dir, '--time-wait', '60']);
    expect(r.out).toContain('TIME-WAIT is already 30 s here: 60 s would not shorten it.');
    expect(r.out).not.toContain('TcpTimedWaitDelay, after the next reboot');
  });
});
