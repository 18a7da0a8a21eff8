// The independent witness: `ss -tanH` (iproute2) inside a namespace, parsed into sockets, so that
// scenario tests can compare what Portwatch reports with what ss sees on the same sockets.
import type { TcpStateName } from '../../electron/common/tcp-state.js';
import type { Namespace } from './netns.js';

/** One TCP socket as ss prints it. */
export interface SsSocket {
  /** State in Portwatch's spelling (ss's ESTAB → ESTABLISHED, UNCONN → CLOSE); ss's own word when unknown. */
  state: TcpStateName | string;
  local: string;
  localPort: number;
  remote: string;
  remotePort: number;
  /** Owning pids (only with `ss -p`; TIME-WAIT never has one). */
  pids: number[];
}

/** Sockets read from ss output, and the lines that could not be read. */
export interface SsParseResult {
  sockets: SsSocket[];
  /** One entry per unreadable line, naming the line number and its text. */
  problems: string[];
}

const STATE_NAMES: Record<string, TcpStateName> = {
  ESTAB: 'ESTABLISHED',
  'SYN-SENT': 'SYN-SENT',
  'SYN-RECV': 'SYN-RECV',
  'FIN-WAIT-1': 'FIN-WAIT-1',
  'FIN-WAIT-2': 'FIN-WAIT-2',
  'TIME-WAIT': 'TIME-WAIT',
  UNCONN: 'CLOSE',
  'CLOSE-WAIT': 'CLOSE-WAIT',
  'LAST-ACK': 'LAST-ACK',
  LISTEN: 'LISTEN',
  CLOSING: 'CLOSING',
  'BOUND-INACTIVE': 'BOUND',
};

/** Parses `ss -tanH` (optionally with -p) output; never throws. */
export function parseSs(text: string): SsParseResult {
  const sockets: SsSocket[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    // State Recv-Q Send-Q Local:Port Peer:Port [users:((...))] — the process part may contain spaces.
    const fields = line.trim().split(/\s+/);
    const local = fields.length >= 5 ? splitEndpoint(fields[3]!) : undefined;
    const remote = fields.length >= 5 ? splitEndpoint(fields[4]!) : undefined;
    if (!local || !remote) {
      problems.push(`ss output line ${i + 1}: cannot read ${JSON.stringify(line)}`);
      return;
    }
    const raw = fields[0]!;
    const rest = fields.slice(5).join(' ');
    sockets.push({
      state: STATE_NAMES[raw] ?? raw,
      local: local.addr,
      localPort: local.port,
      remote: remote.addr,
      remotePort: remote.port,
      pids: [...rest.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])),
    });
  });
  return { sockets, problems };
}

/** "127.0.0.1:8080", "[::1]:8080", "127.0.0.1%lo:8080", "*:*" → address and port (0 for "*"). */
function splitEndpoint(text: string): { addr: string; port: number } | undefined {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return undefined;
  let addr = text.slice(0, colon);
  const portText = text.slice(colon + 1);
  const port = portText === '*' ? 0 : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  if (addr.startsWith('[') && addr.endsWith(']')) addr = addr.slice(1, -1);
  const pct = addr.indexOf('%');
  if (pct > 0) addr = addr.slice(0, pct);
  return { addr, port };
}

/** Every TCP socket in the namespace, as `ss -tanH` (plus -p when processes is true) sees it. */
export async function ssSockets(ns: Namespace, opts: { processes?: boolean } = {}): Promise<SsSocket[]> {
  const { stdout } = await ns.execOrThrow(['ss', opts.processes ? '-tanHp' : '-tanH']);
  const { sockets, problems } = parseSs(stdout);
  if (problems.length > 0) throw new Error(`${ns.name}: ${problems.join('; ')}`);
  return sockets;
}

/** Sockets per state. */
export function countStates(sockets: readonly SsSocket[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of sockets) counts[s.state] = (counts[s.state] ?? 0) + 1;
  return counts;
}

/** Number of sockets matching every given field. */
export function countWhere(sockets: readonly SsSocket[], where: Partial<Omit<SsSocket, 'pids'>>): number {
  const keys = Object.keys(where) as (keyof typeof where)[];
  return sockets.filter((s) => keys.every((k) => s[k] === where[k])).length;
}

/**
 * Reads ss every 100 ms until `settled` holds or timeoutMs has passed (bounded), and returns the last
 * reading either way, so that the caller's assertion shows what was there.
 */
export async function ssUntil(ns: Namespace, settled: (sockets: readonly SsSocket[]) => boolean, timeoutMs = 20_000): Promise<SsSocket[]> {
  const deadline = Date.now() + timeoutMs;
  let sockets = await ssSockets(ns);
  while (!settled(sockets) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    sockets = await ssSockets(ns);
  }
  return sockets;
}

// The kernel's counts of connections that ended without a TIME-WAIT: resets, aborts, TIME-WAIT overflow.
const CLOSE_COUNTER = /^(TcpExt\.(TW\w*|TCPAbort\w*|TCPTimeWaitOverflow|EmbryonicRsts|ListenOverflows|ListenDrops)|Tcp\.(EstabResets|AttemptFails|OutRsts))$/;

/**
 * The namespace's non-zero counters of connections closed without TIME-WAIT (from /proc/net/netstat and
 * /proc/net/snmp), as "name=value" text: what a failed TIME-WAIT count is to be read against.
 */
export async function closeCounters(ns: Namespace): Promise<string> {
  const { stdout } = await ns.execOrThrow(['cat', '/proc/net/netstat', '/proc/net/snmp']);
  const lines = stdout.split('\n');
  const found: string[] = [];
  // Each group is a header line ("TcpExt: A B …") followed by its values line ("TcpExt: 1 2 …").
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const [group, ...names] = lines[i].trim().split(/\s+/);
    const [valueGroup, ...values] = lines[i + 1].trim().split(/\s+/);
    if (!group || group !== valueGroup) continue;
    names.forEach((name, k) => {
      const key = `${group.replace(/:$/, '')}.${name}`;
      if (CLOSE_COUNTER.test(key) && values[k] !== '0') found.push(`${key}=${values[k]}`);
    });
  }
  return found.length > 0 ? found.join(' ') : 'no reset, abort or TIME-WAIT overflow counted';
}

/**
 * Reads ss (bounded, as ssUntil) until no client socket toward `remotePort` is still closing: each has
 * become TIME-WAIT or is gone, so a TIME-WAIT count no longer waits on a late FIN from the server.
 */
export function ssUntilClosedToward(ns: Namespace, remotePort: number, timeoutMs?: number): Promise<SsSocket[]> {
  return ssUntil(ns, (all) => !all.some((s) => s.remotePort === remotePort && s.state !== 'TIME-WAIT'), timeoutMs);
}
