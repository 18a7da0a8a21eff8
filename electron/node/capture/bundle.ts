// The capture bundle: every raw source exactly as read, for one or more reads, plus a manifest.
// Layout: DIR/manifest.json and DIR/<read index>/<source name>. Reading one back never trusts it:
// names are checked (no paths), sizes bounded, checksums verified, and errors name the culprit.
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isPlatformName } from '../../common/platform.js';
import type { RawSnapshot, RawSource } from '../platform/types.js';

export const CAPTURE_FORMAT = 'portwatch-capture';
export const CAPTURE_VERSION = 1;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/;
const MAX_SOURCE_BYTES = 512 * 1024 * 1024;
const MAX_READS = 100;
/** manifest.json is checked against this before a byte is read (100 reads of a few dozen sources fit easily). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
// Never follow a link: a bundle is someone else's folder, and a link inside it could point anywhere.
// O_NONBLOCK: opening a FIFO planted in a bundle must not hang (it is then refused as not a regular file).
const OPEN_NO_FOLLOW = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const STATUSES = new Set(['ok', 'degraded', 'failed', 'timeout', 'unsupported']);

/** What manifest.json holds for one source. */
export interface ManifestSource {
  name: string;
  status: RawSource['status'];
  error?: string;
  durationMs: number;
  /** Size and sha256 of the saved bytes; absent when nothing was read. */
  bytes?: number;
  sha256?: string;
}

export interface Manifest {
  format: typeof CAPTURE_FORMAT;
  version: typeof CAPTURE_VERSION;
  createdBy: string;
  reads: { platform: RawSnapshot['platform']; time: number; sources: ManifestSource[] }[];
}

export class BundleError extends Error {
  override name = 'BundleError';
}

/** Writes reads into dir (created if needed); returns the manifest written. */
export async function writeBundle(dir: string, reads: RawSnapshot[], createdBy: string): Promise<Manifest> {
  const manifest: Manifest = { format: CAPTURE_FORMAT, version: CAPTURE_VERSION, createdBy, reads: [] };
  for (const [i, read] of reads.entries()) {
    const sub = join(dir, String(i));
    await mkdir(sub, { recursive: true });
    const sources: ManifestSource[] = [];
    for (const s of read.sources) {
      if (!SAFE_NAME.test(s.name)) throw new BundleError(`source name ${JSON.stringify(s.name)} cannot be a file name`);
      const entry: ManifestSource = { name: s.name, status: s.status, durationMs: s.durationMs, ...(s.error ? { error: s.error } : {}) };
      if (s.data) {
        await writeFile(join(sub, s.name), s.data);
        entry.bytes = s.data.length;
        entry.sha256 = createHash('sha256').update(s.data).digest('hex');
      }
      sources.push(entry);
    }
    manifest.reads.push({ platform: read.platform, time: read.time, sources });
  }
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** Reads a bundle back into raw reads; throws BundleError naming the culprit on anything malformed. */
export async function readBundle(dir: string): Promise<RawSnapshot[]> {
  const manifestPath = join(dir, 'manifest.json');
  const text = (await readRegularFile(manifestPath, MAX_MANIFEST_BYTES, `is ${dir} a Portwatch capture?`)).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new BundleError(`${manifestPath}: not valid JSON (${(err as Error).message})`);
  }
  const manifest = checkManifest(json, manifestPath);
  const reads: RawSnapshot[] = [];
  for (const [i, read] of manifest.reads.entries()) {
    const sources: RawSource[] = [];
    let folderChecked = false;
    for (const s of read.sources) {
      const src: RawSource = { name: s.name, status: s.status, durationMs: s.durationMs, ...(s.error ? { error: s.error } : {}) };
      if (s.bytes !== undefined) {
        const folder = join(dir, String(i));
        if (!folderChecked) await checkRealFolder(folder);
        folderChecked = true;
        const file = join(folder, s.name);
        const data = await readRegularFile(file, s.bytes, null);
        const sum = createHash('sha256').update(data).digest('hex');
        if (sum !== s.sha256) throw new BundleError(`${file}: checksum does not match the manifest (file changed after capture)`);
        src.data = data;
      }
      sources.push(src);
    }
    reads.push({ platform: read.platform, time: read.time, sources });
  }
  return reads;
}

/** A read folder must be a folder of the bundle itself, not a link to one elsewhere. */
async function checkRealFolder(folder: string): Promise<void> {
  const st = await lstat(folder).catch((err: NodeJS.ErrnoException) => {
    throw new BundleError(`${folder}: cannot read (${err.code ?? String(err)})`);
  });
  if (st.isSymbolicLink()) throw new BundleError(`${folder}: is a symbolic link; a bundle's folders must be its own`);
  if (!st.isDirectory()) throw new BundleError(`${folder}: is not a folder`);
}

/**
 * Opens path without following a link, accepts only a regular file, and reads it only when its size is
 * right: exactly `size` bytes for a source (from the manifest), at most `size` for the manifest (hint set).
 */
async function readRegularFile(path: string, size: number, manifestHint: string | null): Promise<Buffer> {
  const handle = await open(path, OPEN_NO_FOLLOW).catch((err: NodeJS.ErrnoException) => {
    // ELOOP is what O_NOFOLLOW gives for a link (EMLINK on some BSDs).
    if (err.code === 'ELOOP' || err.code === 'EMLINK') throw new BundleError(`${path}: is a symbolic link; a bundle's files must be its own`);
    if (manifestHint === null && err.code === 'ENOENT') throw new BundleError(`${path}: expected ${size} bytes, found no file`);
    throw new BundleError(`${path}: cannot read (${err.code ?? String(err)})${manifestHint ? `; ${manifestHint}` : ''}`);
  });
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new BundleError(`${path}: is not a regular file`);
    if (manifestHint !== null && st.size > size) throw new BundleError(`${path}: ${st.size} bytes is more than a manifest may hold (${size})`);
    if (manifestHint === null && st.size !== size) throw new BundleError(`${path}: expected ${size} bytes, found ${st.size}`);
    const data = Buffer.alloc(st.size);
    let got = 0;
    while (got < st.size) {
      const { bytesRead } = await handle.read(data, got, st.size - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (got !== st.size) throw new BundleError(`${path}: changed while being read`);
    return data;
  } finally {
    await handle.close();
  }
}

function checkManifest(j: unknown, where: string): Manifest {
  const fail = (path: string, what: string): never => {
    throw new BundleError(`${where}: ${path} ${what}`);
  };
  if (typeof j !== 'object' || j === null) fail('(root)', 'must be an object');
  const m = j as Record<string, unknown>;
  if (m.format !== CAPTURE_FORMAT) fail('format', `must be "${CAPTURE_FORMAT}", got ${JSON.stringify(m.format)}`);
  if (m.version !== CAPTURE_VERSION) fail('version', `must be ${CAPTURE_VERSION}, got ${JSON.stringify(m.version)} (made by a newer Portwatch?)`);
  if (!Array.isArray(m.reads) || m.reads.length === 0 || m.reads.length > MAX_READS) fail('reads', `must be a list of 1..${MAX_READS} reads`);
  const reads = (m.reads as unknown[]).map((r, i) => {
    const p = `reads[${i}]`;
    if (typeof r !== 'object' || r === null) return fail(p, 'must be an object');
    const rr = r as Record<string, unknown>;
    if (typeof rr.platform !== 'string' || !isPlatformName(rr.platform)) fail(`${p}.platform`, `must be linux, darwin or win32, got ${JSON.stringify(rr.platform)}`);
    if (typeof rr.time !== 'number' || !Number.isFinite(rr.time) || rr.time < 0) fail(`${p}.time`, 'must be epoch milliseconds');
    if (!Array.isArray(rr.sources)) fail(`${p}.sources`, 'must be a list');
    const seen = new Set<string>();
    const sources = (rr.sources as unknown[]).map((s, k) => {
      const q = `${p}.sources[${k}]`;
      if (typeof s !== 'object' || s === null) return fail(q, 'must be an object');
      const ss = s as Record<string, unknown>;
      if (typeof ss.name !== 'string' || !SAFE_NAME.test(ss.name)) fail(`${q}.name`, `is not a safe source name: ${JSON.stringify(ss.name)}`);
      if (seen.has(ss.name as string)) fail(`${q}.name`, `repeats ${JSON.stringify(ss.name)}`);
      seen.add(ss.name as string);
      if (typeof ss.status !== 'string' || !STATUSES.has(ss.status)) fail(`${q}.status`, `is not a known status: ${JSON.stringify(ss.status)}`);
      if (typeof ss.durationMs !== 'number' || !Number.isFinite(ss.durationMs)) fail(`${q}.durationMs`, 'must be a number');
      if (ss.error !== undefined && typeof ss.error !== 'string') fail(`${q}.error`, 'must be text');
      if (ss.bytes !== undefined) {
        if (typeof ss.bytes !== 'number' || !Number.isSafeInteger(ss.bytes) || ss.bytes < 0 || ss.bytes > MAX_SOURCE_BYTES) fail(`${q}.bytes`, `must be a size up to ${MAX_SOURCE_BYTES}`);
        if (typeof ss.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(ss.sha256)) fail(`${q}.sha256`, 'must be a sha256 hex digest');
      }
      return ss as unknown as ManifestSource;
    });
    return { platform: rr.platform as RawSnapshot['platform'], time: rr.time as number, sources };
  });
  return { format: CAPTURE_FORMAT, version: CAPTURE_VERSION, createdBy: typeof m.createdBy === 'string' ? m.createdBy : '', reads };
}
