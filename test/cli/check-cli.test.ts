import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The CLI as a user runs it (a real process on this machine), for what the namespace scenarios do not
// cover: --watch, argument errors and capture's refusals.
const CLI = ['--import', 'tsx', 'electron/cli/portwatch.ts'];
const run = (...args: string[]) => spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('portwatch check', () => {
  it('refreshes with --watch (one JSON document per line with --json) until interrupted', async () => {
    const child = spawn(process.execPath, [...CLI, 'check', '--watch', '--json', '--no-owners'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const end = Date.now() + 30_000;
    while (out.split('\n').filter(Boolean).length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    const docs = out.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(docs.length).toBeGreaterThanOrEqual(2);
    expect(docs[1].time).toBeGreaterThan(docs[0].time);
    expect(docs.every((d) => d.schema === 1)).toBe(true);
    expect([0, 1, 2]).toContain(code);
  });

  it.each([
    [['check', '--warning', 'lots'], /^portwatch check: --warning must be a ratio above 0 and at most 1, such as 0\.8 \(80 % of usable ports\), got "lots"\n$/],
    [['check', '--critical', '0'], /^portwatch check: --critical must be a ratio above 0 and at most 1, .*, got "0"\n$/],
    [['check', '--warning=-1'], /^portwatch check: --warning must be a ratio above 0 and at most 1, .*, got "-1"\n$/],
    // The command refuses in the words of its flags, naming a default it compared against, and falls back to nothing.
    [['check', '--warning', '0.9', '--critical', '0.5'], /^portwatch check: --warning \(0\.9\) must be below --critical \(0\.5\)\n$/],
    [['check', '--warning', '0.95'], /^portwatch check: --warning \(0\.95\) must be below --critical \(0\.9, the default\)\n$/],
    [['check', '--warning', '0.01'], /^portwatch check: --warning \(0\.01\) must be above 0\.05: a warning ends only when use falls 0\.05 below it\n$/],
    [['check', '--interval=-1'], /--interval must be a number of seconds from 0 to 3600, got "-1"/],
    [['check', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['check', '--watch', '--bundle', '/nonexistent'], /--watch cannot be combined with --bundle/],
  ])('exits 3 (unknown) and names the culprit for %j', (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });
});

const tracerOf = (json: string) =>
  (JSON.parse(json) as { sources: { name: string; status: string; error?: string }[] }).sources.find((s) => s.name === 'connect-tracer');

describe.runIf(process.platform === 'linux')('the connect-failure tracer in a one-shot check', () => {
  it('is not started for an instant (--interval 0), and says so with the fix', () => {
    const r = run('check', '--interval', '0', '--netns', 'self', '--no-owners', '--json');
    expect([0, 1, 2]).toContain(r.status);
    expect(tracerOf(r.stdout)).toMatchObject({ status: 'unsupported', error: expect.stringMatching(/not run: --interval 0 .*fix: check --interval 5/) });
  });

  it('runs for a check with an interval (or names why it cannot)', () => {
    const r = run('check', '--interval', '1', '--netns', 'self', '--no-owners', '--json');
    expect([0, 1, 2]).toContain(r.status);
    const t = tracerOf(r.stdout)!;
    expect(t.error ?? '').not.toMatch(/not run: --interval 0/);
    // As root with bpftrace (CI installs it) it ran: ok, or still attaching its probes on a loaded machine.
    if (process.getuid?.() === 0 && process.env.CI === 'true') expect(['ok', 'degraded']).toContain(t.status);
  });
});

describe('portwatch capture', () => {
  it('requires --out and refuses a directory that is not empty', () => {
    const missing = run('capture');
    expect(missing.status).toBe(64);
    expect(missing.stderr).toMatch(/--out DIR is required/);
    const dir = mkdtempSync(join(tmpdir(), 'pw-cap-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    const full = run('capture', '--out', dir);
    expect(full.status).toBe(64);
    expect(full.stderr).toMatch(/is not empty/);
  });

  it('writes a bundle that check --bundle reads back', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pw-cap-')), 'bundle');
    dirs.push(dir);
    const cap = run('capture', '--out', dir, '--reads', '2', '--interval', '0.2', '--no-owners');
    expect(cap.status).toBe(0);
    expect(cap.stdout).toMatch(/Captured 2 read\(s\)/);
    const check = run('check', '--bundle', dir, '--json');
    expect([0, 1, 2]).toContain(check.status);
    const sample = JSON.parse(check.stdout);
    expect(sample.kernel.portRange).not.toBeNull();
    expect(sample.sources.find((s: { name: string }) => s.name === 'tcp-diag-inet').status).toBe('ok');
  });
});

describe('portwatch', () => {
  it('prints usage and names an unknown command', () => {
    expect(run('--help').stdout).toMatch(/Usage: portwatch <command>/);
    const r = run('frob');
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/unknown command "frob"/);
  });
});

describe('output to a reader that went away (portwatch check | head)', () => {
  it.each([
    [['check', '--interval', '0', '--netns', 'self', '--no-owners']],
    [['check', '--interval', '0', '--netns', 'self', '--no-owners', '--json']],
    // every namespace (the default as root): its own report path
    [['check', '--interval', '0', '--no-owners']],
    [['--help']],
    // --watch would go on for ever: it ends as on Ctrl-C once its reader has gone.
    [['check', '--watch', '--json', '--interval', '1', '--netns', 'self', '--no-owners']],
  ])('%j finishes with its own status, no crash, nothing on stderr', async (args) => {
    const child = spawn(process.execPath, [...CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The read end closes before anything is written: every write of the report fails with EPIPE.
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.once('exit', (c, s) => r([c, s])));
    expect(signal).toBeNull();
    expect(err).toBe('');
    expect(args[0] === 'check' ? [0, 1, 2] : [0]).toContain(code);
  });
});

describe.runIf(process.platform === 'linux')('output that cannot be written (a full disk)', () => {
  it('names the failure and exits 3: a status whose report nobody got is not ok', () => {
    const r = spawnSync('sh', ['-c', `exec "$0" "$@" > /dev/full`, process.execPath, ...CLI, 'check', '--interval', '0', '--netns', 'self', '--no-owners'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('portwatch: cannot write to stdout: ENOSPC: no space left on device, write\n');
    expect(r.status).toBe(3);
  });

  it('keeps the status of a command whose status says what it did (here --help: 0), naming the failure', () => {
    const r = spawnSync('sh', ['-c', `exec "$0" "$@" > /dev/full`, process.execPath, ...CLI, '--help'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('portwatch: cannot write to stdout: ENOSPC: no space left on device, write\n');
    expect(r.status).toBe(0);
  });
});
