// Durable file replacement: write a temporary file in the same directory, fsync it, rename it over the
// target, fsync the directory. A crash leaves either the old file or the new one, never a mix; a
// leftover temporary file is recognisable by its name and removed by `recover`.
import { constants } from 'node:fs';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Steps a caller may observe (the kill-at-step tests stop the helper exactly there). */
export type AtomicStep = 'temp-written' | 'renamed' | 'removed';

/** The prefix of temporary files for `target` (".NAME.portwatch-tmp-"). */
export function tempPrefix(target: string): string {
  return `.${basename(target)}.portwatch-tmp-`;
}

/** fsyncs a directory so that a rename or unlink inside it survives a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  // Windows cannot open a directory as a file (NTFS journals the rename itself); there is nothing to sync.
  if (process.platform === 'win32') return;
  const fh = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Replaces `target` with `data` durably (see the file comment). */
export async function writeFileAtomic(target: string, data: string, mode: number, onStep: (s: AtomicStep) => void = () => {}): Promise<void> {
  const dir = dirname(target);
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const tmp = join(dir, `${tempPrefix(target)}${process.pid}-${randomBytes(4).toString('hex')}`);
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  try {
    await fh.writeFile(data, 'utf8');
    await fh.chmod(mode);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fh.close();
  onStep('temp-written');
  await rename(tmp, target);
  onStep('renamed');
  await fsyncDir(dir);
}

/** Removes `target` durably; absent already is fine. */
export async function removeFileDurably(target: string, onStep: (s: AtomicStep) => void = () => {}): Promise<void> {
  try {
    await unlink(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return;
  }
  onStep('removed');
  await fsyncDir(dirname(target));
}

/** Deletes temporary files left next to `target` by an interrupted write; returns their names. */
export async function removeStaleTemps(target: string): Promise<string[]> {
  const dir = dirname(target);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const stale = names.filter((n) => n.startsWith(tempPrefix(target)));
  for (const n of stale) await unlink(join(dir, n)).catch(() => undefined);
  if (stale.length) await fsyncDir(dir);
  return stale;
}
