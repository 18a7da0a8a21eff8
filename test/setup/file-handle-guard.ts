// Every FileHandle a test file opens (directly or through the code under test) must be closed by the
// time the file's tests end. One left to the garbage collector makes Node print "Closing file descriptor
// N on garbage collection" (a future Node throws instead), and it is a real leak in the code or the test:
// this guard fails the test file and names where each leaked handle was opened.
import fs from 'node:fs';
import fsPromises, { type FileHandle } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { afterAll } from 'vitest';

const open = new Map<FileHandle, string>();
const realOpen = fsPromises.open;

/** The first stack frame outside node: and this guard: the code that asked for the handle. */
function opener(): string {
  const frames = (new Error().stack ?? '').split('\n').slice(1).map((l) => l.trim());
  const own = frames.filter((f) => !f.includes('node:') && !f.includes('file-handle-guard'));
  return own.slice(0, 3).join(' <- ') || frames[0] || 'unknown';
}

async function trackedOpen(...args: Parameters<typeof realOpen>): Promise<FileHandle> {
  const where = `${String(args[0])} opened at ${opener()}`;
  const fh = await realOpen(...args);
  open.set(fh, where);
  const realClose = fh.close.bind(fh);
  fh.close = () => {
    open.delete(fh);
    return realClose();
  };
  return fh;
}

fsPromises.open = trackedOpen;
fs.promises.open = trackedOpen;
syncBuiltinESMExports();

afterAll(async () => {
  // Registered first, so (hooks run as a stack) it runs after the test file's own afterAll hooks.
  const leaked = [...open.entries()];
  await Promise.all(leaked.map(([fh]) => fh.close().catch(() => undefined)));
  if (leaked.length > 0) {
    throw new Error(`${leaked.length} file handle(s) left open by this test file:\n  ${leaked.map(([, w]) => w).join('\n  ')}`);
  }
});
