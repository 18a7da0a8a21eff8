// `portwatch tune --bundle DIR --dry-run` on a macOS capture, run in-process on this (Linux) machine:
// the capture is written with writeBundle from captured layouts (the Sequoia netstat header, the real
// sysctl output) and read back like any bundle; the plan and the exact commands are that Mac's.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { writeBundle } from '../../../electron/node/capture/bundle.js';
import { runTune } from '../../../electron/cli/tune.js';
import { expectFitted } from './fitted-output.js';
import type { RawSnapshot, RawSource } from '../../../electron/node/platform/types.js';
import { macSysctlText } from './darwin-plan-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'pw-tune-mac-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const ok = (name: string, data: string): RawSource => ({ name, status: 'ok', durationMs: 7, data: Buffer.from(data) });

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

/** A Mac with first–last 61000–61099, 95 ports toward one destination (60 TIME-WAIT), a listener on 8080 and one on 45000. */
function macCapture(): RawSnapshot {
  const header = readFileSync(new URL('../../fixtures/darwin/netstat-anvl-sequoia.txt', import.meta.url), 'utf8').split('\n').slice(0, 2);
  const row = (la: string, fa: string, st: string, pid: number) =>
    `tcp4       0      0  ${la.padEnd(45)} ${fa.padEnd(45)} ${st.padEnd(11)}       100        200  131072  131768 ${String(pid).padStart(6)}      0 00102 00000000 0000000000011f1b 00000080 04000900      1      0 000001`;
  const rows = [row('*.8080', '*.*', 'LISTEN', 700), row('*.45000', '*.*', 'LISTEN', 701)];
  for (let i = 0; i < 95; i++) rows.push(row(`192.168.1.20.${61000 + i}`, '17.253.144.10.443', i < 60 ? 'TIME_WAIT' : 'ESTABLISHED', 612));
  return {
    platform: 'darwin',
    time: 1_763_900_000_000,
    sources: [
      ok('netstat-anv-tcp', [...header, ...rows].join('\n') + '\n'),
      ok('sysctl-net-inet', macSysctlText({ first: 61000, last: 61099 })),
      ok('ps-processes', '  612 /usr/local/bin/loadgen\n  700 /usr/local/bin/node\n  701 /usr/local/bin/redis\n'),
      ok('hostname', 'mac-load.local'),
    ],
  };
}

async function tune(args: string[], columns?: number): Promise<{ code: number; out: string; err: string }> {
  const out = sink();
  // A terminal of that many columns (as a TTY's stream says of itself).
  if (columns !== undefined) Object.assign(out, { isTTY: true, columns });
  const err = sink();
  const code = await runTune(args, { stdout: out, stderr: err });
  return { code, out: out.text, err: err.text };
}

describe('portwatch tune --bundle on a macOS capture', () => {
  it('--dry-run plans for that Mac and prints the exact sysctl argv, the LaunchDaemon and sudo', async () => {
    const dir = join(root, 'mac');
    await writeBundle(dir, [macCapture()], 'portwatch test');
    // Read whole (--wide); the default's fit to 80 columns is checked after.
    const r = await tune(['--bundle', dir, '--dry-run', '--time-wait', '20', '--wide']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Planned from the capture .* \(darwin, mac-load\.local, read at 2025-11-23T12:13:20Z\)/);
    expect(r.out).toMatch(/What is happening: critical/);
    // The listener on 45000 keeps the new low end above it: 45001, not 32768.
    expect(r.out).toContain('Lower the start of the ephemeral range from 61000 to 45001 (net.inet.ip.portrange.first)');
    expect(r.out).toContain('Raise the end of the ephemeral range from 61099 to 65535 (net.inet.ip.portrange.last)');
    expect(r.out).toContain('Shorten TIME-WAIT from 30 s to 20 s (net.inet.tcp.msl 15000 → 10000 ms), as you asked');
    expect(r.out).toMatch(/Port 45000 is in use by a service .* stops short of it \(45001–65535\)/);
    expect(r.out).toContain("through sudo (an administrator's password; the helper itself runs, no shell)");
    expect(r.out).toContain('  /usr/sbin/sysctl -w net.inet.ip.portrange.first=45001\n');
    expect(r.out).toContain('  /usr/sbin/sysctl -w net.inet.ip.portrange.last=65535\n');
    expect(r.out).toContain('  /usr/sbin/sysctl -w net.inet.tcp.msl=10000\n');
    expect(r.out).toContain('Writes made by the helper, in order');
    expect(r.out).toContain('/Library/LaunchDaemons/io.portwatch.sysctl.plist:');
    expect(r.out).toContain('<string>net.inet.ip.portrange.first=45001</string>');
    // The plist's tabs shown as `cat` shows them (to 8-column stops), in the write and in the diff, not as \x09.
    expect(r.out).toContain('\n            <key>Label</key>\n');
    expect(r.out).toContain('\n  +        <key>Label</key>\n');
    expect(r.out).not.toContain('\\x09');
    expect(r.out).toMatch(/LaunchDaemons of this Mac were not read \(a plan made from a capture\)/);
    expect(r.out).toContain('"settings":[{"key":"net.inet.ip.portrange.first","value":45001},{"key":"net.inet.ip.portrange.last","value":65535},{"key":"net.inet.tcp.msl","value":10000}]');
    expect(r.out).not.toMatch(/tw_recycle|net\.ipv4|sysctl\.d/);
  });

  it('fits its prose to 80 columns without --wide, and prints the commands whole', async () => {
    const dir = join(root, 'mac-fit');
    await writeBundle(dir, [macCapture()], 'portwatch test');
    const fitted = await tune(['--bundle', dir, '--dry-run', '--time-wait', '20']);
    const wide = await tune(['--bundle', dir, '--dry-run', '--time-wait', '20', '--wide']);
    expect(fitted.code, fitted.err).toBe(0);
    expectFitted(fitted.out, wide.out);
    // On a terminal, its own width.
    const narrow = await tune(['--bundle', dir, '--dry-run', '--time-wait', '20'], 60);
    expectFitted(narrow.out, wide.out, 60);
    expect(narrow.out).not.toBe(fitted.out);
    expect(fitted.out).toContain('  /usr/sbin/sysctl -w net.inet.ip.portrange.first=45001\n');
    expect(fitted.out).toContain('  /usr/sbin/sysctl -w net.inet.ip.portrange.last=65535\n');
    expect(fitted.out).toContain('  /usr/sbin/sysctl -w net.inet.tcp.msl=10000\n');
  });

  it('--json --dry-run gives the plan, the review and how that machine elevates', async () => {
    const dir = join(root, 'mac-json');
    await writeBundle(dir, [macCapture()], 'portwatch test');
    const r = await tune(['--bundle', dir, '--dry-run', '--json']);
    const j = JSON.parse(r.out) as { plan: { platform: string; kernel: { key: string }[] }; review: { helperCommands: { argv: string[] }[] }; elevation: string };
    expect(j.plan.platform).toBe('darwin');
    expect(j.review.helperCommands.map((c) => c.argv)).toEqual([
      ['/usr/sbin/sysctl', '-w', 'net.inet.ip.portrange.first=45001'],
      ['/usr/sbin/sysctl', '-w', 'net.inet.ip.portrange.last=65535'],
    ]);
    expect(j.elevation).toMatch(/sudo/);
  });

  it.each([
    [['--bundle', '/nonexistent-bundle', '--dry-run'], /manifest.json: cannot read/],
    [['--bundle', '/x', '--apply', '--yes'], /--bundle plans for the machine a capture was taken on: it cannot --apply/],
    [['--bundle', '/x', '--interval', '2'], /--interval does not apply to --bundle/],
    [['--status', '--bundle', '/x'], /--bundle only applies to a plan, not to --status/],
    [['--time-wait', 'soon'], /--time-wait must be a whole number from 1 to 3600, got "soon"/],
    [['--recover', '--time-wait', '30'], /--time-wait only applies to a plan, not to --recover/],
  ])('refuses %j, naming the culprit', async (args, why) => {
    const r = await tune(args);
    expect(r.code).toBe(64);
    expect(r.err).toMatch(why);
  });
});
