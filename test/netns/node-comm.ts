// The name the kernel gives a process running this Node (/proc/PID/comm, what ss -p and ps show and
// what Portwatch reports): "node" up to Node 22, "MainThread" from Node 24, which names its main thread.
import { readFileSync } from 'node:fs';

function ownComm(): string {
  try {
    return readFileSync('/proc/self/comm', 'utf8').trim();
  } catch {
    return 'node';
  }
}

/** The comm of a process started from process.execPath. */
export const NODE_COMM = ownComm();
