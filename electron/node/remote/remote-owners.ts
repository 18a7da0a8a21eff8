// Turns the remote `ls -lq /proc/[0-9]*/fd/` and `head -n 1 /proc/[0-9]*/comm` outputs into the
// socket-owner text the local sock_diag addon produces ("pid<TAB>comm<TAB>inode inode…"), so the very
// same parser (parse/socket-owners.ts) joins sockets to processes. Pure and total: a line it cannot
// read is counted, never trusted.

/** The owner text and what could not be read. */
export interface RemoteOwners {
  /** "pid\tname\tinode inode…\n" per process holding at least one socket. */
  text: string;
  processes: number;
  problems: string[];
}

const FD_DIR = /^\/proc\/(\d{1,10})\/fd\/?:$/;
const COMM_HEADER = /^==> \/proc\/(\d{1,10})\/comm <==$/;
const SOCKET_TARGET = /^socket:\[(\d{1,10})\]$/;
const LINK = ' -> ';

/** Reads both listings; either may be partial (processes come and go between the two commands). */
export function remoteOwnersText(fdLinks: string, comm: string): RemoteOwners {
  const problems: string[] = [];
  const names = parseComm(comm);
  const inodesByPid = new Map<number, number[]>();
  let pid = -1;
  let unreadable = 0;
  for (const line of fdLinks.split('\n')) {
    const dir = FD_DIR.exec(line);
    if (dir) {
      pid = Number(dir[1]);
      continue;
    }
    const at = line.indexOf(LINK);
    if (at < 0 || pid <= 0) continue; // "total 0", blank lines, /dev/null, non-link entries
    // The first " -> " follows the fd number, so the whole rest must be exactly socket:[N]: a file
    // named "x -> socket:[9]" cannot pass for a socket.
    if (!/ \d{1,10}$/.test(line.slice(0, at))) {
      unreadable++;
      continue;
    }
    const m = SOCKET_TARGET.exec(line.slice(at + LINK.length));
    if (!m) continue;
    const list = inodesByPid.get(pid) ?? [];
    list.push(Number(m[1]));
    inodesByPid.set(pid, list);
  }
  if (unreadable > 0) problems.push(`fd-links: ${unreadable} line${unreadable === 1 ? '' : 's'} not of the form "... FD -> TARGET"`);
  let text = '';
  for (const [p, inodes] of inodesByPid) {
    // Tabs and newlines would break the owner text's own framing.
    const name = (names.get(p) ?? '').replace(/[\t\n\r]/g, ' ');
    text += `${p}\t${name}\t${inodes.join(' ')}\n`;
  }
  return { text, processes: inodesByPid.size, problems };
}

function parseComm(comm: string): Map<number, string> {
  const names = new Map<number, string>();
  const lines = comm.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = COMM_HEADER.exec(lines[i]!);
    // comm is at most 15 bytes, too short to forge a 20-character header line
    if (m && i + 1 < lines.length) names.set(Number(m[1]), lines[i + 1]!.slice(0, 64));
  }
  return names;
}
