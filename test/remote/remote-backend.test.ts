// The remote backend without ssh: the real script run by the local `sh` (so the real framing of this
// machine's /proc), hand-made lying outputs, and 10,000 fuzzed outputs through the whole pipeline.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_CONFIG } from '../../electron/common/config.js';
import { Analyzer } from '../../electron/node/engine/analyzer.js';
import { createDarwinBackend } from '../../electron/node/platform/darwin/backend.js';
import { parseSnapshot } from '../../electron/node/platform/parse-snapshot.js';
import { createRemoteBackend, unreachableReason, withRemoteStatus } from '../../electron/node/remote/remote-backend.js';
import { decodeRemoteOutput } from '../../electron/node/remote/remote-frames.js';
import { DARWIN_SCRIPT_WORDS, REMOTE_SCRIPT } from '../../electron/node/remote/remote-script.js';
import { expectedFrames, remoteRawSources } from '../../electron/node/remote/remote-sources.js';
import type { SshResult, SshRunner } from '../../electron/node/remote/ssh-command.js';
import { fakeRunner, printed } from '../node/platform/fake-runner.js';

const connection = { target: { host: 'lb1', user: 'ops' }, controlDir: '/tmp/unused' };

/** Runs `sh -s MODE` here with the script on stdin: what the remote side would print on this machine. */
const localShell: SshRunner = (argv, input) =>
  new Promise((resolve) => {
    const mode = argv.at(-1)!;
    const child = spawn('/bin/sh', ['-s', mode], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stdin.end(input);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr: '', exitCode: code }));
  });

const answer = (stdout: string | Buffer, exitCode: number | null = 0, stderr = ''): SshRunner => async () => ({ stdout: Buffer.from(stdout), stderr, exitCode }) satisfies SshResult;

let realOutput: Buffer;
beforeAll(async () => {
  realOutput = (await localShell(['sh', '-s', 'full'], REMOTE_SCRIPT, 10_000)).stdout;
});

describe('remote backend', () => {
  it('turns the real script output of a Linux machine into the same sample the local parsers give', async () => {
    const backend = createRemoteBackend({ connection, runner: localShell });
    const raw = await backend.readAll();
    expect(raw.platform).toBe('linux');
    const snap = parseSnapshot(raw);
    expect(snap.kernel.portRange).not.toBeNull();
    expect(snap.sockets).not.toBeNull();
    expect(snap.hostname).toBe(readFileSync('/proc/sys/kernel/hostname', 'utf8').trim());
    expect(snap.netns).toMatch(/^net:\[\d+\]$/);
    const bad = snap.sources.filter((s) => s.status === 'failed');
    expect(bad).toEqual([]);
    expect(backend.status().state).toBe('connected');
    const tick = await backend.readTick();
    expect(tick.counters.activeOpens).not.toBeNull();
  });

  it('reads a macOS host with the local macOS backend’s commands and parsers (captured outputs)', async () => {
    const netstat = readFileSync(new URL('../fixtures/darwin/netstat-anvl-sequoia.txt', import.meta.url));
    const sysctl = readFileSync(new URL('../fixtures/darwin/sysctl-portrange.txt', import.meta.url));
    const frame = (name: string, data: Buffer | string, exit = 0): string =>
      `@src ${name}\n${data.toString().split('\n').filter((l, i, a) => i < a.length - 1 || l !== '').map((l) => ` ${l}\n`).join('')}@end ${name} ${exit}\n`;
    const out = `@portwatch-remote 1 Darwin\n${frame('netstat-anv-tcp', netstat)}${frame('sysctl-net-inet', sysctl, 1)}${frame('netstat-s-tcp', '')}${frame('ps-processes', '  1 /sbin/launchd\n')}${frame('hostname', 'mac-mini\n')}@done\n`;
    const remote = parseSnapshot(await createRemoteBackend({ connection, runner: answer(out) }).readAll());
    const local = parseSnapshot(
      await createDarwinBackend({
        runner: fakeRunner({
          '/usr/sbin/netstat -anvl -p tcp': printed(netstat),
          [`/usr/sbin/sysctl ${DARWIN_SCRIPT_WORDS.slice(DARWIN_SCRIPT_WORDS.indexOf('/usr/sbin/sysctl') + 1, DARWIN_SCRIPT_WORDS.indexOf('ps-processes')).join(' ')}`]: printed(sysctl, 1),
          '/usr/sbin/netstat -s -p tcp': printed(''),
          '/bin/ps -axo pid=,comm=': printed('  1 /sbin/launchd\n'),
        }),
      }).readAll(),
    );
    expect(remote.platform).toBe('darwin');
    expect(remote.hostname).toBe('mac-mini');
    expect(remote.kernel).toEqual(local.kernel);
    expect(remote.sockets?.count).toBe(local.sockets?.count);
    expect(remote.sockets?.count).toBeGreaterThan(0);
  });

  it('uses only fixed, shell-safe words for the macOS commands', () => {
    for (const w of DARWIN_SCRIPT_WORDS) expect(w).toMatch(/^[A-Za-z0-9._/=,-]+$/);
  });

  it('says which source a lying or broken output spoiled, and never throws', async () => {
    const cases: [string, RegExp][] = [
      ['banner from .bashrc\n@portwatch-remote 1 Linux\n@done\n', /\/proc\/sys\/net\/ipv4\/ip_local_port_range on ops@lb1: not received/],
      ['@portwatch-remote 1 Linux\n@src /proc/net/tcp\n  sl local\n', /output ended inside it|cut short/],
      ['@portwatch-remote 1 Linux\n@src /proc/net/tcp\n x\n@end /proc/net/tcp 0\n@src /proc/net/tcp\n y\n@end /proc/net/tcp 0\n@done\n', /sent twice/],
      ['@portwatch-remote 1 Linux\n@src /etc/shadow\n x\n@end /etc/shadow 0\n@done\n', /unexpected source "\/etc\/shadow"/],
      ['@portwatch-remote 1 Linux\n@src /proc/sys/net/ipv4/ip_local_port_range\n 1 2 3 banana\n@end /proc/sys/net/ipv4/ip_local_port_range 0\n@done\n', /ip_local_port_range/],
      ['@portwatch-remote 1 Linux\n@unreadable /proc/net/tcp\n@done\n', /\/proc\/net\/tcp on ops@lb1: permission denied/],
      ['@portwatch-remote 1 Linux\n@src /proc/net/tcp\n x\n@end /proc/net/tcp zero\n@done\n', /exit status "zero" is not a number/],
      ['@portwatch-remote 1 SunOS\n@unsupported SunOS\n@done\n', /not Linux or macOS/],
      ['@portwatch-remote 2 Linux\n', /framing version "2"/],
      ['\u0000\u0001binary\xff', /no Portwatch header/],
    ];
    for (const [out, want] of cases) {
      const backend = createRemoteBackend({ connection, runner: answer(out) });
      const snap = parseSnapshot(await backend.readAll());
      const errors = snap.sources.map((s) => s.error ?? '').join('\n');
      expect(errors, JSON.stringify(out)).toMatch(want);
      const sample = new Analyzer(DEFAULT_ANALYSIS_CONFIG).analyze(snap, { wallMs: 0, cpuMs: 0 });
      expect(['unknown', 'ok', 'warning', 'critical', 'exhausted']).toContain(sample.severity);
    }
  });

  it('classifies ssh’s own failures; a changed host key is refused with the fix', async () => {
    const changed = '@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n@@@@@@@@@@@\nHost key verification failed.\n';
    const cases: [string, string, RegExp][] = [
      [changed, 'host-key-changed', /ssh-keygen -R lb1`/],
      ['Host key verification failed.\n', 'host-key-unknown', /not known yet/],
      ['ops@lb1: Permission denied (publickey,password).\n', 'needs-login', /log in/],
      ['ssh: connect to host lb1 port 22: Connection refused\n', 'unreachable', /unreachable \(ssh: connect to host lb1 port 22: Connection refused\)/],
      ['ssh: Could not resolve hostname lb1: Name or service not known\n', 'unreachable', /unreachable/],
      ['something odd\u001b[2J\n', 'ssh-failed', /ssh failed \(something odd\?\[2J\)/],
    ];
    for (const [stderr, kind, msg] of cases) {
      const backend = createRemoteBackend({ connection, runner: answer('', 255, stderr) });
      const raw = await backend.readAll();
      expect(backend.status().state).toBe(kind);
      expect(backend.status().message).toMatch(msg);
      expect(backend.status().message).not.toMatch(/\u001b/);
      expect(raw.sources).toEqual([expect.objectContaining({ name: 'ssh', status: 'failed' })]);
    }
  });

  it('an unreachable host is unknown since its first failure, never ok, and connected again after', async () => {
    let fail = true;
    const runner: SshRunner = async (argv, input, t) => (fail ? { stdout: Buffer.alloc(0), stderr: 'ssh: connect to host lb1 port 22: No route to host\n', exitCode: 255 } : localShell(argv, input, t));
    const backend = createRemoteBackend({ connection, runner });
    const analyzer = new Analyzer(DEFAULT_ANALYSIS_CONFIG);
    await backend.readAll();
    const since = backend.status().since;
    await new Promise((r) => setTimeout(r, 5));
    const s = withRemoteStatus(analyzer.analyze(parseSnapshot(await backend.readAll()), { wallMs: 0, cpuMs: 0 }), backend.status());
    expect(s.severity).toBe('unknown');
    expect(s.severityReason).toMatch(/^Unreachable since .* UTC: ops@lb1: unreachable \(ssh: connect to host lb1 port 22: No route to host\)$/);
    expect(backend.status().since).toBe(since);
    fail = false;
    await backend.readAll();
    expect(backend.status().state).toBe('connected');
    expect(unreachableReason(backend.status())).toBeNull();
  });

  it('10,000 fuzzed remote outputs through decoding, parsing and analysis: nothing throws', () => {
    // A small real output (the socket table and owner listing trimmed) mutated in every way fast-check likes.
    // Every frame kept, each cut to its first lines: small enough for 10,000 runs in seconds.
    const base = realOutput.toString('latin1').replace(/(@src (?!\/proc\/net\/snmp)\S+\n(?: .*\n){0,5})(?: .*\n)*/g, '$1');
    const lines = base.split('\n');
    const mutation = fc.oneof(
      fc.tuple(fc.nat(lines.length), fc.string({ maxLength: 40 })).map(([i, s]) => (ls: string[]) => ls.toSpliced(i, 0, s)),
      fc.tuple(fc.nat(lines.length), fc.string({ maxLength: 40 })).map(([i, s]) => (ls: string[]) => ls.toSpliced(i, 1, s)),
      fc.tuple(fc.nat(lines.length), fc.nat(lines.length)).map(([i, n]) => (ls: string[]) => ls.toSpliced(i, Math.min(n, 5))),
      fc.tuple(fc.nat(lines.length), fc.constantFrom('@done', '@src netns', '@end netns 0', '@missing uid', '@end /proc/net/tcp 999', ' ', '@', '@src /proc/net/tcp', '@unsupported X')).map(([i, s]) => (ls: string[]) => ls.toSpliced(i, 0, s)),
      fc.nat(base.length).map((n) => (ls: string[]) => ls.join('\n').slice(0, n).split('\n')),
    );
    const expected = expectedFrames('full');
    const analyzer = new Analyzer(DEFAULT_ANALYSIS_CONFIG);
    let runs = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        const out = Buffer.from(ms.reduce((ls, m) => m(ls), lines).join('\n'), 'latin1');
        const d = decodeRemoteOutput(out, expected);
        const got = remoteRawSources(d, 'full', 'ops@lb1', 1);
        for (const s of got.sources) if (s.status !== 'ok') expect(typeof s.error).toBe('string');
        if (got.platform === null) return;
        const snap = parseSnapshot({ platform: got.platform, time: 0, sources: got.sources });
        // The analysis (a few ms each) on every tenth: the parsers are where malformed input bites.
        if (++runs % 10 === 0) analyzer.analyze(snap, { wallMs: 0, cpuMs: 0 });
      }),
      { numRuns: 10_000 },
    );
  });
});
