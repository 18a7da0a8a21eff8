// The connection list's place in the URL: `#connections` opens every socket, `#connections?destination=…`
// (and address, port, process, pid, state, local, namespace, text) opens it filtered, so a click on a
// destination, a process or a namespace anywhere is a plain link. Pure.
import { ALL_TCP_STATES, type TcpStateName } from '../../../electron/common/tcp-state.js';
import type { ConnectionFilter } from '../../../electron/common/connections.js';

const TEXT_KEYS = ['text', 'address', 'process', 'destination', 'localAddress', 'namespace'] as const;

/** The fragment that opens the list with this filter. */
export function connectionsHash(filter: ConnectionFilter = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `#connections?${s}` : '#connections';
}

/** The filter a `connections?…` fragment (without "#") asks for; unknown or malformed fields are left out. */
export function parseConnectionsHash(h: string): ConnectionFilter | null {
  if (h !== 'connections' && !h.startsWith('connections?')) return null;
  const q = new URLSearchParams(h.slice('connections'.length + 1));
  const f: ConnectionFilter = {};
  for (const k of TEXT_KEYS) {
    const v = q.get(k);
    if (v !== null && v.length > 0 && v.length <= 200) f[k] = v;
  }
  const port = q.get('port');
  if (port !== null && /^\d{1,5}$/.test(port) && Number(port) <= 65535) f.port = Number(port);
  const pid = q.get('pid');
  if (pid !== null && /^\d{1,10}$/.test(pid) && Number(pid) < 2 ** 31) f.pid = Number(pid);
  const state = q.get('state');
  if (state !== null && (ALL_TCP_STATES as readonly string[]).includes(state)) f.state = state as TcpStateName;
  return f;
}
