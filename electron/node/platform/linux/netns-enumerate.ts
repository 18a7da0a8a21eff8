// Every network namespace of the host: the named ones (/run/netns, `ip netns add`) and every distinct
// /proc/<pid>/ns/net, by inode, with the processes in each. The process walk is native (scanNetns).
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** One namespace as found: its inode, a path to enter it by, its ip-netns names, its processes. */
export interface NetnsEntry {
  inode: number;
  /** Paths that open it, best first: /run/netns/NAME, then /proc/<pid>/ns/net of its processes. */
  paths: string[];
  names: string[];
  /** Lowest pid first. */
  pids: { pid: number; name: string }[];
}

/** Where to look; tests point runNetns at their own folder. */
export interface NetnsRoots {
  proc: string;
  runNetns: string;
}

export const DEFAULT_NETNS_ROOTS: NetnsRoots = { proc: '/proc', runNetns: '/run/netns' };

/** What enumeration found: every namespace, and which are Portwatch's own and the host's (pid 1's). */
export interface NetnsList {
  entries: NetnsEntry[];
  selfInode: number;
  hostInode: number | null;
  /** Lines of the process scan that could not be read (named by line number). */
  problems: string[];
  /** Processes whose namespace the kernel would not show this process (another user's, without CAP_SYS_PTRACE). */
  refused: RefusedProcess[];
}

/** A process whose network namespace could not be seen, and the errno that refused it. */
export interface RefusedProcess {
  pid: number;
  name: string;
  errno: number;
}

// A path to a namespace is tried in order; a few suffice (a process that exits takes one away).
const MAX_PATHS = 4;

/** Parses scanNetns output ("pid\tcomm\tinode\n", or "-errno" for a refused one) into pid lists per namespace inode. */
export function parseNetnsScan(text: string): { byInode: Map<number, { pid: number; name: string }[]>; problems: string[]; refused: RefusedProcess[] } {
  const byInode = new Map<number, { pid: number; name: string }[]>();
  const problems: string[] = [];
  const refused: RefusedProcess[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const first = line.indexOf('\t');
    const last = line.lastIndexOf('\t');
    const pid = Number(line.slice(0, first));
    const inode = Number(line.slice(last + 1));
    if (first > 0 && last > first && Number.isInteger(pid) && pid > 0 && /^-\d{1,4}$/.test(line.slice(last + 1))) {
      refused.push({ pid, name: line.slice(first + 1, last), errno: -inode });
      continue;
    }
    if (first <= 0 || last === first || !Number.isInteger(pid) || pid <= 0 || !Number.isInteger(inode) || inode <= 0) {
      if (problems.length < 5) problems.push(`netns scan line ${i + 1}: expected "pid<TAB>name<TAB>inode"`);
      continue;
    }
    let list = byInode.get(inode);
    if (!list) byInode.set(inode, (list = []));
    list.push({ pid, name: line.slice(first + 1, last) });
  }
  for (const list of byInode.values()) list.sort((a, b) => a.pid - b.pid);
  return { byInode, problems, refused };
}

/** Joins the process scan with the named namespaces. */
export async function enumerateNamespaces(scan: Buffer, roots: NetnsRoots = DEFAULT_NETNS_ROOTS): Promise<NetnsList> {
  const { byInode, problems, refused } = parseNetnsScan(scan.toString('utf8'));
  const self = await stat(join(roots.proc, 'self', 'ns', 'net'));
  const named = new Map<number, string[]>();
  let names: string[] = [];
  try {
    names = (await readdir(roots.runNetns)).sort();
  } catch {
    // no /run/netns: nothing named
  }
  await Promise.all(
    names.map(async (name) => {
      try {
        const st = await stat(join(roots.runNetns, name));
        // a namespace file lives on nsfs; a name whose bind mount is gone is a plain file on /run's tmpfs
        if (st.dev !== self.dev) return;
        const inode = st.ino;
        const list = named.get(inode) ?? [];
        list.push(name);
        named.set(inode, list);
      } catch {
        // deleted meanwhile
      }
    }),
  );
  const inodes = new Set([...byInode.keys(), ...named.keys()]);
  const entries: NetnsEntry[] = [...inodes].sort((a, b) => a - b).map((inode) => {
    const pids = byInode.get(inode) ?? [];
    const nameList = (named.get(inode) ?? []).sort();
    return {
      inode,
      names: nameList,
      pids,
      paths: [...nameList.map((n) => join(roots.runNetns, n)), ...pids.map((p) => join(roots.proc, String(p.pid), 'ns', 'net'))].slice(0, MAX_PATHS),
    };
  });
  const selfInode = self.ino;
  const hostInode = await hostNamespaceInode(roots.proc);
  return { entries, selfInode, hostInode, problems, refused };
}

/**
 * The host's namespace: pid 1's, or (where pid 1 is hidden, as in some sandboxes) kthreadd's: kernel
 * threads always live in the initial network namespace.
 */
export async function hostNamespaceInode(proc = DEFAULT_NETNS_ROOTS.proc): Promise<number | null> {
  for (const pid of ['1', '2']) {
    try {
      return (await stat(join(proc, pid, 'ns', 'net'))).ino;
    } catch {
      // not readable here: try the next
    }
  }
  return null;
}
