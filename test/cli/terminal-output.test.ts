// Hostile capture bundles through `portwatch check --bundle` (the human report and --json): every string
// a bundle can carry into the output — host name, process names, remote addresses, source errors,
// the manifest's own fields — is filled with terminal control sequences, and no control character
// other than our own line feeds reaches the output; the report keeps the same lines as a benign bundle.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/portwatch.js';
import { writeBundle } from '../../electron/node/capture/bundle.js';
import type { RawSnapshot, RawSource } from '../../electron/node/platform/types.js';
import { hasTerminalControl } from '../../electron/common/terminal-text.js';

const root = mkdtempSync(join(tmpdir(), 'pw-hostile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const ok = (name: string, data: string): RawSource => ({ name, status: 'ok', durationMs: 1, data: Buffer.from(data) });

const PIECES = ['\x1b]0;pwned\x07', '\x1b[2J', '\x1b[31mFAKE: all ok', '\r', '\n', '\r\n', '\x9b2J', '\x9d0;t\x9c', '\x7f', '\u202e', '\u2066', '\u200f', '\u2028', '\x00', '\b', '\t', '\x1bP', 'web', '·', '🙂', ' ', 'Severity: OK'];

/** A seeded generator (xorshift) so a failure can be replayed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function hostile(r: () => number): string {
  let s = '';
  for (let i = 0, n = 1 + Math.floor(r() * 6); i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)];
  return s;
}

/** A Windows read (its sources are JSON and text, so any string fits) with text strings in every field. */
function windowsRead(t: { host: string; procA: string; procB: string; remote: string; error: string }): RawSnapshot {
  const conns: object[] = [];
  for (let p = 50000; p < 50150; p++) conns.push({ LocalAddress: '10.0.0.5', LocalPort: p, RemoteAddress: '10.1.2.3', RemotePort: 443, State: 11, OwningProcess: 0 });
  for (let p = 50150; p < 50200; p++) conns.push({ LocalAddress: '10.0.0.5', LocalPort: p, RemoteAddress: '10.1.2.3', RemotePort: 443, State: 5, OwningProcess: 4242 });
  conns.push({ LocalAddress: '10.0.0.5', LocalPort: 50201, RemoteAddress: '10.9.9.9', RemotePort: 80, State: 5, OwningProcess: 3200 });
  conns.push({ LocalAddress: '10.0.0.5', LocalPort: 50202, RemoteAddress: t.remote, RemotePort: 80, State: 5, OwningProcess: 3200 });
  return {
    platform: 'win32',
    time: 1_763_900_000_000,
    sources: [
      ok('win32-tcp-json', JSON.stringify(conns)),
      ok('win32-processes-json', JSON.stringify([{ Id: 3200, ProcessName: t.procA }, { Id: 4242, ProcessName: t.procB }])),
      ok('netsh-dynamicport-tcp-ipv4', '\r\nProtocol tcp Dynamic Port Range\r\n---------------------------------\r\nStart Port      : 50000\r\nNumber of Ports : 255\r\n\r\n'),
      { name: 'reg-tcptimedwaitdelay', status: 'degraded', durationMs: 1, error: t.error },
      ok('hostname', t.host),
    ],
  };
}

async function check(dir: string, json: boolean): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  out.on('data', (c: Buffer) => o.push(c));
  err.on('data', (c: Buffer) => e.push(c));
  // --wide: every line whole, so the line count shows any injected line break (at 80 columns, longer
  // escaped text legitimately wraps onto more lines).
  const code = await main(['check', '--bundle', dir, ...(json ? ['--json'] : ['--wide'])], { stdout: out, stderr: err });
  return { code, out: Buffer.concat(o).toString('utf8'), err: Buffer.concat(e).toString('utf8') };
}

let n = 0;
async function bundle(read: RawSnapshot, createdBy = 'portwatch test'): Promise<string> {
  const dir = join(root, String(n++));
  await writeBundle(dir, [read], createdBy);
  return dir;
}

describe('check --bundle with hostile strings in every field', () => {
  it('prints no control character but its own line feeds, with the same lines as a benign bundle, and --json keeps the strings exactly', async () => {
    const benign = await check(await bundle(windowsRead({ host: 'WIN-LOAD', procA: 'postgres', procB: 'loadgen', remote: 'not-an-address', error: 'not readable' })), false);
    expect(benign.code).toBeGreaterThan(0);
    const benignLines = benign.out.split('\n').length;
    const r = rng(14);
    for (let i = 0; i < 40; i++) {
      const t = { host: hostile(r), procA: hostile(r), procB: hostile(r), remote: hostile(r), error: hostile(r) };
      const dir = await bundle(windowsRead(t), hostile(r));
      const human = await check(dir, false);
      expect(hasTerminalControl(human.out + human.err, true), JSON.stringify(human.out)).toBe(false);
      expect(human.out.split('\n').length, JSON.stringify(t)).toBe(benignLines);
      expect(human.code).toBe(benign.code);
      const json = await check(dir, true);
      expect(hasTerminalControl(json.out + json.err, true), JSON.stringify(json.out)).toBe(false);
      const sample = JSON.parse(json.out) as { hostname: string; processes: { name: string }[]; sources: { name: string; error?: string }[] };
      expect(sample.hostname).toBe(t.host.trim());
      expect(sample.processes.map((p) => p.name)).toContain(t.procB);
      expect(sample.sources.find((s) => s.name === 'reg-tcptimedwaitdelay')?.error).toContain(t.error);
    }
  });

  it('shows the escape in the report as visible text instead of obeying it', async () => {
    const host = 'h\x1b]0;title\x07\x1b[2J\x1b[31mFAKE: all ok';
    const { out } = await check(await bundle(windowsRead({ host, procA: 'a', procB: 'b\u202eevil', remote: '10.8.8.8', error: 'e' })), false);
    expect(out).toContain('h\\x1b]0;title\\x07\\x1b[2J\\x1b[31mFAKE: all ok');
    expect(out).toContain('b\\u202eevil');
  });

  it('cleans a BundleError that quotes a hostile manifest field on stderr', async () => {
    const dir = await bundle(windowsRead({ host: 'h', procA: 'a', procB: 'b', remote: '10.8.8.8', error: 'e' }));
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    m.reads[0].platform = 'linux\x9b2J\u202e';
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    const { code, err } = await check(dir, false);
    expect(code).toBe(3);
    expect(err).toMatch(/platform must be linux, darwin or win32/);
    expect(hasTerminalControl(err, true)).toBe(false);
  });
});
