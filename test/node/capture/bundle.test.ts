import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BundleError, MAX_MANIFEST_BYTES, readBundle, writeBundle } from '../../../electron/node/capture/bundle.js';
import type { RawSnapshot } from '../../../electron/node/platform/types.js';

const root = mkdtempSync(join(tmpdir(), 'pw-bundle-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(root, String(n++));

const reads: RawSnapshot[] = [
  {
    platform: 'linux',
    time: 1_700_000_000_000,
    sources: [
      { name: 'net.ipv4.ip_local_port_range', status: 'ok', durationMs: 0.1, data: Buffer.from('40000\t40009\n') },
      { name: 'tcp-diag-inet', status: 'ok', durationMs: 2, data: Buffer.from([0, 1, 2, 255, 0]) },
      { name: 'net.ipv4.tcp_tw_reuse_delay', status: 'unsupported', error: 'not present', durationMs: 0 },
    ],
  },
  { platform: 'linux', time: 1_700_000_001_000, sources: [{ name: 'hostname', status: 'ok', durationMs: 0, data: Buffer.from('h') }] },
];

async function expectBundleError(dir: string, pattern: RegExp): Promise<void> {
  const err = await readBundle(dir).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(BundleError);
  expect((err as Error).message).toMatch(pattern);
}

describe('capture bundles', () => {
  it('give back every source byte for byte, with status and errors', async () => {
    const dir = fresh();
    await writeBundle(dir, reads, 'test');
    expect(await readBundle(dir)).toEqual(reads);
  });

  it('refuse a directory without a manifest, naming it', async () => {
    await expectBundleError(fresh(), /manifest.json: cannot read \(ENOENT\)/);
  });

  it('refuse a file changed after capture', async () => {
    const dir = fresh();
    await writeBundle(dir, reads, 'test');
    writeFileSync(join(dir, '0', 'net.ipv4.ip_local_port_range'), '1024\t65535\n');
    await expectBundleError(dir, /0\/net.ipv4.ip_local_port_range: expected 12 bytes, found 11/);
  });

  it('refuse a source name that is a path (no reading outside the bundle)', async () => {
    const dir = fresh();
    await writeBundle(dir, reads, 'test');
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    m.reads[0].sources[0].name = '../../etc/passwd';
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    await expectBundleError(dir, /reads\[0\].sources\[0\].name is not a safe source name/);
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['a wrong format', JSON.stringify({ format: 'x' }), /format must be "portwatch-capture"/],
    ['a newer version', JSON.stringify({ format: 'portwatch-capture', version: 2 }), /version must be 1, got 2/],
    ['no reads', JSON.stringify({ format: 'portwatch-capture', version: 1, reads: [] }), /reads must be a list/],
    ['a bad platform', JSON.stringify({ format: 'portwatch-capture', version: 1, reads: [{ platform: 'beos', time: 1, sources: [] }] }), /reads\[0\].platform/],
    ['a bad status', JSON.stringify({ format: 'portwatch-capture', version: 1, reads: [{ platform: 'linux', time: 1, sources: [{ name: 'a', status: 'great', durationMs: 1 }] }] }), /status is not a known status/],
    ['a huge size', JSON.stringify({ format: 'portwatch-capture', version: 1, reads: [{ platform: 'linux', time: 1, sources: [{ name: 'a', status: 'ok', durationMs: 1, bytes: 1e15, sha256: 'a'.repeat(64) }] }] }), /bytes must be a size/],
  ])('refuse a manifest with %s', async (_what, text, pattern) => {
    const dir = fresh();
    await writeBundle(dir, reads, 'test');
    writeFileSync(join(dir, 'manifest.json'), text);
    await expectBundleError(dir, pattern);
  });

  describe('never follow a link out of the bundle', () => {
    // A file outside the bundle whose size equals what the manifest claims: a follower would read it.
    const outside = join(root, 'outside-secret');
    writeFileSync(outside, '40000\t40009\n');

    it('refuse a source file that is a symbolic link, without telling anything about its target', async () => {
      const dir = fresh();
      await writeBundle(dir, reads, 'test');
      const f = join(dir, '0', 'net.ipv4.ip_local_port_range');
      unlinkSync(f);
      symlinkSync('/etc/shadow', f);
      await expectBundleError(dir, /0\/net.ipv4.ip_local_port_range: is a symbolic link/);
      unlinkSync(f);
      symlinkSync(outside, f); // same size and content as captured: still refused
      await expectBundleError(dir, /is a symbolic link/);
    });

    it('refuse manifest.json as a symbolic link', async () => {
      const dir = fresh();
      await writeBundle(dir, reads, 'test');
      const other = fresh();
      await writeBundle(other, reads, 'test');
      unlinkSync(join(dir, 'manifest.json'));
      symlinkSync(join(other, 'manifest.json'), join(dir, 'manifest.json'));
      await expectBundleError(dir, /manifest.json: is a symbolic link/);
    });

    it('refuse a read folder that is a symbolic link', async () => {
      const dir = fresh();
      await writeBundle(dir, reads, 'test');
      const elsewhere = fresh();
      renameSync(join(dir, '0'), elsewhere);
      symlinkSync(elsewhere, join(dir, '0'));
      await expectBundleError(dir, /\/0: is a symbolic link/);
    });

    it('refuse a FIFO or a folder where a file should be, without hanging', async () => {
      const dir = fresh();
      await writeBundle(dir, reads, 'test');
      const f = join(dir, '0', 'net.ipv4.ip_local_port_range');
      unlinkSync(f);
      execFileSync('mkfifo', [f]);
      await expectBundleError(dir, /net.ipv4.ip_local_port_range: is not a regular file/);
      unlinkSync(f);
      mkdirSync(f);
      await expectBundleError(dir, /net.ipv4.ip_local_port_range: is not a regular file/);
    });
  });

  it('refuse a manifest larger than the cap before reading it (a 300 MB sparse file)', async () => {
    const dir = fresh();
    await writeBundle(dir, reads, 'test');
    truncateSync(join(dir, 'manifest.json'), 300 * 1024 * 1024);
    await expectBundleError(dir, new RegExp(`manifest.json: 314572800 bytes is more than a manifest may hold \\(${MAX_MANIFEST_BYTES}\\)`));
  });
});
