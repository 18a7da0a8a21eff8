// Parses the socket-owner text that sock_diag.c's scanSocketOwners produces (one line per process:
// "pid\tcomm\tinode inode ...\n") and joins it to a socket table by inode. Pure and total.
import type { SocketTable } from '../types.js';
import { ProblemLog } from './problem-log.js';

/** Which process holds which socket inode, and the processes' names. */
export interface SocketOwners {
  /** Socket inode to pid (a socket shared by several processes, e.g. after fork, keeps the first pid listed). */
  byInode: Map<number, number>;
  /** pid to process name (comm). */
  names: Map<number, string>;
}

/** Parses the owner text; lines that cannot be read are reported by number and skipped. */
export function parseSocketOwners(data: Uint8Array | string, source = 'socket-owners'): { owners: SocketOwners; problems: string[] } {
  const text = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  const owners: SocketOwners = { byInode: new Map(), names: new Map() };
  const problems: string[] = [];
  const log = new ProblemLog(source, problems);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const firstTab = line.indexOf('\t');
    const lastTab = line.lastIndexOf('\t');
    if (firstTab <= 0 || lastTab === firstTab) {
      log.add(`line ${i + 1}: expected "pid<TAB>name<TAB>inodes"`);
      continue;
    }
    const pidText = line.slice(0, firstTab);
    const pid = /^\d{1,10}$/.test(pidText) ? Number(pidText) : -1;
    if (pid <= 0 || pid > 0x7fffffff) {
      log.add(`line ${i + 1}: ${JSON.stringify(pidText.slice(0, 20))} is not a process id`);
      continue;
    }
    owners.names.set(pid, line.slice(firstTab + 1, lastTab));
    let bad = 0;
    for (const word of line.slice(lastTab + 1).split(' ')) {
      const inode = /^\d{1,10}$/.test(word) ? Number(word) : -1;
      if (inode <= 0 || inode > 0xffffffff) {
        bad++;
        continue;
      }
      if (!owners.byInode.has(inode)) owners.byInode.set(inode, pid);
    }
    if (bad > 0) log.add(`line ${i + 1}: ${bad} unreadable socket inode${bad === 1 ? '' : 's'} for pid ${pid}`);
  }
  log.finish();
  return { owners, problems };
}

/** Fills table.pid in place for every socket whose inode has a known owner; returns how many got one. */
export function attachOwners(table: SocketTable, owners: SocketOwners): number {
  let attached = 0;
  const { inode, pid } = table;
  const byInode = owners.byInode;
  for (let i = 0; i < table.count; i++) {
    const ino = inode[i]!;
    if (ino === 0) continue; // TIME-WAIT and request sockets have no inode, and no owner
    const p = byInode.get(ino);
    if (p !== undefined) {
      pid[i] = p;
      attached++;
    }
  }
  return attached;
}
