// The private directory that holds ssh's ControlMaster sockets. Anyone who can open such a socket rides
// the user's authenticated connection, so the directory must be ours alone: created 0700, and refused
// when it is a symlink, owned by someone else, or open to group/others.
import { lstatSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The control directory is unsafe or cannot be made. */
export class ControlDirError extends Error {
  override name = 'ControlDirError';
}

/** Where Portwatch keeps its ssh control sockets by default ($XDG_RUNTIME_DIR, else the temp dir). */
export function defaultControlDir(env: NodeJS.ProcessEnv = process.env): string {
  const uid = process.getuid?.() ?? 0;
  const base = env.XDG_RUNTIME_DIR && env.XDG_RUNTIME_DIR.startsWith('/') ? env.XDG_RUNTIME_DIR : tmpdir();
  return join(base, `portwatch-ssh-${uid}`);
}

/** Makes (if needed) and checks the control directory; returns its path or throws ControlDirError. */
export function ensureControlDir(dir: string): string {
  // ssh expands % and ~ in ControlPath: a directory whose name holds them would point elsewhere.
  if (/[%~\s]/.test(dir) || !dir.startsWith('/')) throw new ControlDirError(`${JSON.stringify(dir)}: control directory must be an absolute path without %, ~ or spaces`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new ControlDirError(`${dir}: cannot create the ssh control directory (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const st = lstatSync(dir);
  if (st.isSymbolicLink() || !st.isDirectory()) throw new ControlDirError(`${dir}: is not a plain directory (a symlink?); remove it so Portwatch can make its own`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw new ControlDirError(`${dir}: belongs to uid ${st.uid}, not to you (uid ${uid}); remove it`);
  if ((st.mode & 0o077) !== 0) throw new ControlDirError(`${dir}: is open to other users (mode ${(st.mode & 0o777).toString(8)}); it must be 700`);
  return dir;
}
