// `check`'s human output: 80 columns (every line, the long ones wrapped), --wide whole lines, --short one
// line, thousands separators, and no colour when the output is not a terminal.
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { main } from '../../electron/cli/portwatch.js';
import { reportLines, renderReport, shortLine } from '../../electron/cli/report.js';
import { colorWanted, fitWidth, outputColumns, plainText, wrapLine, span } from '../../electron/cli/paint.js';
import { fitScreen } from '../../electron/cli/watch-screen.js';
import { makeDestination, makeSample } from '../node/service/make-sample.js';
import { Analyzer } from '../../electron/node/engine/analyzer.js';
import { linuxKernel, outbound, snapshotOf } from '../node/engine/engine-fixtures.js';

const longSample = () => {
  const worst = makeDestination(22_000, 28_232, {
    remoteAddress: '2001:db8:85a3::8a2e:370:7334',
    remotePort: 443,
    states: { ESTABLISHED: 8_800, 'TIME-WAIT': 13_200 },
    processes: [
      { pid: 31210, name: 'api-gateway-with-a-very-long-name', sockets: 17_600 },
      { pid: 33070, name: 'worker', sockets: 4_400 },
    ],
    timeToExhaustionSec: 7_500,
    severity: 'warning',
  });
  return makeSample(1_700_000_000_000, 22_000, {
    severity: 'warning',
    severityReason: 'the worst destination [2001:db8:85a3::8a2e:370:7334]:443 uses 78 % of usable ports and runs out in about 2 h 5 min at the current rate',
    worst,
    destinations: [worst],
    timeToExhaustionSec: 7_500,
    diagnoses: [
      {
        id: 'time-wait-churn',
        severity: 'warning',
        title: 'Short-lived connections fill the range with TIME-WAIT',
        summary: 'api-gateway opens a new connection per request to [2001:db8:85a3::8a2e:370:7334]:443; each leaves a TIME-WAIT socket holding its port for 60 s, which is what fills the range.',
        evidence: ['13,200 TIME-WAIT sockets toward [2001:db8:85a3::8a2e:370:7334]:443'],
        recommendations: [{ kind: 'application', text: 'Reuse connections: enable HTTP keep-alive or a connection pool in api-gateway-with-a-very-long-name.' }],
      },
    ],
  });
};

describe('check report width', () => {
  it('fits every line in 80 columns, the severity reason and the diagnosis wrapped whole', () => {
    const text = renderReport(longSample());
    const lines = text.trimEnd().split('\n');
    expect(lines.filter((l) => [...l].length > 80)).toEqual([]);
    expect(lines.filter((l) => l !== l.trimEnd())).toEqual([]);
    // Nothing lost: the words of the long reason and summary are all there, in order.
    expect(text.replace(/\s+/g, ' ')).toContain('runs out in about 2 h 5 min at the current rate');
    expect(text.replace(/\s+/g, ' ')).toContain('which is what fills the range.');
    expect(text).toContain('22,000/28,232');
    expect(text).toContain('2 h 5 min');
  });

  it('keeps every line whole with --wide', () => {
    const lines = plainText(reportLines(longSample(), null)).trimEnd().split('\n');
    expect(lines.some((l) => [...l].length > 80)).toBe(true);
    expect(lines.find((l) => l.startsWith('Severity:'))).toContain('at the current rate');
  });

  it('says the sockets are unknown when no socket table was read, never "no outbound connection"', () => {
    const unread = makeSample(1_700_000_000_000, 0, {
      severity: 'unknown',
      severityReason: 'No socket source could be read (see the sources for why), so nothing can be said about port use.',
      socketTableRead: false,
      totalSockets: 0,
      rates: { newConnectionsPerSec: 5, holdSec: 60, sustainablePerDestinationPerSec: 28232 / 60, headroomPerSec: null },
      worst: null,
      destinations: [],
      destinationCount: 0,
      processes: [],
      sources: [{ name: 'sockets', status: 'failed', error: 'netlink: permission denied', durationMs: 1 }, { name: 'net.ipv4.ip_local_port_range', status: 'ok', durationMs: 1 }],
    });
    const text = plainText(reportLines(unread, null));
    expect(text).toContain('− held by listeners unknown = usable at most 28,232');
    expect(text).toMatch(/sustainable per destination at most \S+\/s \(hold \d+ s\) · headroom —/);
    expect(text).toContain('Time to exhaustion: unknown (it rests on the socket table)');
    expect(text).toContain('Sockets: unknown. No socket source could be read (see the sources below), so nothing is known of destinations, states or processes.');
    expect(text).not.toContain('No outbound connection');
    expect(text).not.toContain('States (');
    expect(text).toContain('sockets failed (netlink: permission denied)');
    expect(plainText([shortLine(unread)])).toBe('UNKNOWN · sockets unknown (no socket source could be read)\n');
  });

  it('says the outbound connections are unknown when the range is, never "no outbound connection", yet gives the states', () => {
    const analyze = (portRange: { low: number; high: number } | null) =>
      new Analyzer().analyze(snapshotOf(outbound(3, { remote: '10.0.0.2', port: 80 }), { kernel: linuxKernel({ portRange }) }), { wallMs: 1, cpuMs: 1 });
    const noRange = analyze(null);
    const text = plainText(reportLines(noRange, null));
    expect(text).toContain('Ephemeral range: unknown (the range could not be read)');
    expect(text).toContain('Outbound connections: unknown. The ephemeral port range is unknown, and an outbound connection is one whose local port is inside it.');
    expect(text).toContain('Time to exhaustion: unknown (it rests on the ephemeral port range)');
    expect(text).toContain('States (3 sockets): ESTABLISHED 3');
    expect(text).not.toContain('No outbound connection');
    expect(plainText([shortLine(noRange)])).toBe('UNKNOWN · outbound connections unknown (the ephemeral port range is unknown)\n');
    const invalid = plainText(reportLines(analyze({ low: 5000, high: 4000 }), null));
    expect(invalid).toContain('Ephemeral range 5000–4000: not a valid range, so capacity is unknown');
    expect(invalid).not.toContain('reserved 0');
  });

  it('says only that nothing was read, and why, for a host that did not answer', () => {
    const nothing = makeSample(1_700_000_000_000, 0, {
      severity: 'unknown',
      severityReason: 'Unreachable since 2023-11-14 22:13:20 UTC: lb-1: unreachable (ssh: connect to host lb-1 port 22: Connection refused)',
      socketTableRead: false,
      worst: null,
      destinations: [],
      destinationCount: 0,
      processes: [],
      sources: [{ name: 'ssh', status: 'failed', error: 'lb-1: unreachable', durationMs: 5 }],
    });
    const lines = plainText(reportLines(nothing, null)).trimEnd().split('\n');
    expect(lines.slice(1)).toEqual([
      'Severity: UNKNOWN — Unreachable since 2023-11-14 22:13:20 UTC: lb-1: unreachable (ssh: connect to host lb-1 port 22: Connection refused)',
      '',
      "Nothing could be read, so nothing is known of this host's ports: see the sources below.",
      '',
      expect.stringMatching(/^Sources: 0 ok; ssh failed \(lb-1: unreachable\) · sample cost/),
    ]);
  });

  it('says that a hold shorter than TIME-WAIT (reuse) rests on the peer echoing TCP timestamps, except on loopback', () => {
    const reuse = { newConnectionsPerSec: 5, holdSec: 1, sustainablePerDestinationPerSec: 28232, headroomPerSec: 28227 };
    const remote = makeDestination(100, 28_232, { remoteAddress: '10.0.0.9', remotePort: 443 });
    const text = plainText(reportLines(makeSample(1_700_000_000_000, 100, { worst: remote, destinations: [remote], rates: reuse }), null));
    expect(text).toContain('sustainable per destination 28,232/s (hold 1 s if the peer echoes TCP timestamps, else 60 s)');
    const loop = makeDestination(100, 28_232, { localAddress: '127.0.0.1', remoteAddress: '127.0.0.1', remotePort: 8080 });
    const loopText = plainText(reportLines(makeSample(1_700_000_000_000, 100, { worst: loop, destinations: [loop], rates: reuse }), null));
    expect(loopText).toContain('sustainable per destination 28,232/s (hold 1 s) ·');
  });

  it('counts one socket in the singular', () => {
    expect(plainText(reportLines(makeSample(1_700_000_000_000, 0), 80))).toContain('States (1 socket): LISTEN 1\n');
    expect(plainText(reportLines(makeSample(1_700_000_000_000, 2), 80))).toContain('States (3 sockets): ESTABLISHED 2 · LISTEN 1\n');
  });

  it('says it on one line with --short', () => {
    expect(plainText([shortLine(longSample())])).toBe('WARNING · [2001:db8:85a3::8a2e:370:7334]:443 · use 78 % (22,000/28,232) · 2 h 5 min left\n');
  });

  it('wraps a word longer than the width by cutting it', () => {
    const out = wrapLine([span('x'.repeat(50))], 20, 2);
    expect(out.map((l) => l.map((s) => s.text).join('').length).every((n) => n <= 20)).toBe(true);
    expect(out.map((l) => l.map((s) => s.text).join('').trim()).join('')).toBe('x'.repeat(50));
  });

  it('cuts a screen to its height keeping the severity line', () => {
    const lines = reportLines(longSample(), 80);
    const screen = fitScreen(lines, 6, 80, 1);
    expect(screen).toHaveLength(6);
    expect(screen[1]!.map((s) => s.text).join('')).toMatch(/^Severity: WARNING/);
    expect(screen[5]!.map((s) => s.text).join('')).toMatch(/more lines/);
    expect(fitScreen(lines, 1, 30, 1)[0]!.map((s) => s.text).join('')).toMatch(/^Severity: WARNING/);
  });
});

describe('width', () => {
  it("is a terminal's own width, 80 for a pipe or a terminal that reports none; never under 40; none with --wide", () => {
    expect(outputColumns(Object.assign(new PassThrough(), { isTTY: true, columns: 132 }))).toBe(132);
    expect(outputColumns(Object.assign(new PassThrough(), { isTTY: true, columns: 0 }))).toBe(80);
    expect(outputColumns(Object.assign(new PassThrough(), { columns: 132 }))).toBe(80);
    expect(fitWidth(132, false)).toBe(132);
    expect(fitWidth(20, false)).toBe(40);
    expect(fitWidth(132, true)).toBeNull();
  });
});

describe('colour', () => {
  const tty = Object.assign(new PassThrough(), { isTTY: true });
  it('is on for a terminal, off with NO_COLOR, --no-color, or no terminal', () => {
    expect(colorWanted(tty, false, {})).toBe(true);
    expect(colorWanted(tty, false, { NO_COLOR: '1' })).toBe(false);
    expect(colorWanted(tty, true, {})).toBe(false);
    expect(colorWanted(new PassThrough(), false, {})).toBe(false);
  });

  it('never reaches a pipe', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await main(['check', '--interval', '0', '--no-owners', '--netns', 'self', '--short'], { stdout: out, stderr: new PassThrough() });
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(1);
    expect(text).not.toContain('\x1b');
  });

  it('refuses --short with --json, naming both (exit 3)', async () => {
    const err = new PassThrough();
    const chunks: Buffer[] = [];
    err.on('data', (c: Buffer) => chunks.push(c));
    expect(await main(['check', '--json', '--short'], { stdout: new PassThrough(), stderr: err })).toBe(3);
    expect(Buffer.concat(chunks).toString('utf8')).toContain('--short is for the human report');
  });
});
