// Files that survive a crash: whole-file replacement by write + fsync + rename (+ fsync of the folder),
// appends that are fsynced, and setting a corrupt file aside under a timestamped name. Never throws for a
// file that is merely missing or corrupt; real I/O errors (disk full, no permission) are returned.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Makes the folder (and parents), private to the user. */
export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Replaces `path` atomically: a crash leaves the old or the new content, never a mix. */
export function writeAtomic(path: string, data: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  syncDir(dirname(path));
}

/** Appends and fsyncs (one record is one line; a crash may leave only a torn last line). */
export function appendDurable(path: string, data: string): void {
  const fd = openSync(path, 'a', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The file's text, or null when it does not exist. */
export function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Renames a corrupt file to `<path>.corrupt-<ISO time>` so nothing is lost and the next start is clean; returns the new name. */
export function setAside(path: string, now = new Date()): string {
  const aside = `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, aside);
  return aside;
}

function syncDir(dir: string): void {
  // Makes the rename itself durable; not possible on every platform (Windows), where it is skipped.
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
