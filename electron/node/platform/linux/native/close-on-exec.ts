// node-pty 1.1 opens a session's pty master without FD_CLOEXEC (forkpty cannot set it), so every child
// this process starts afterwards inherits it: an ssh ControlPersist master or a tracer could keep the root
// helper's terminal open, and write to it, long after the session. The addon sets the flag on Linux.
import { cloexecAddon, loadSockDiag } from './load.js';

/** What node-pty's UnixTerminal keeps of its master (not in its typings; absent on Windows). */
interface PtyWithFd {
  _fd?: unknown;
}

/** Marks the pty's master close-on-exec; returns why not when it cannot (not Linux, no addon, no fd). */
export function ptyMasterCloseOnExec(pty: object): string | null {
  const fd = (pty as PtyWithFd)._fd;
  if (typeof fd !== 'number') return 'this node-pty keeps no master descriptor';
  const addon = loadSockDiag();
  if ('unavailable' in addon) return addon.unavailable;
  const set = cloexecAddon(addon);
  if (!set) return 'this build of the addon has no setCloexec (rebuild it)';
  try {
    set(fd);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
