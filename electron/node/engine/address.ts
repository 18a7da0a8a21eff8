// Textual IP addresses as the parsers write them ("127.0.0.1", "::1", "::ffff:127.0.0.1").

/** True for 127.0.0.0/8, ::1 and IPv4-mapped 127.x addresses (what tcp_tw_reuse=2 calls loopback). */
export function isLoopbackAddress(addr: string): boolean {
  // Fast path (called once per address of tables that can hold 100,000 of them): an IPv4 address is
  // loopback only when it starts with "127.".
  if (!addr.includes(':')) return addr.startsWith('127.') && isLoopbackV4(addr.trim());
  const a = addr.trim().toLowerCase().replace(/%.*$/, ''); // drop an IPv6 zone ("::1%lo")
  const g = parseIPv6Groups(a);
  if (!g) return false;
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return true;
  // ::ffff:a.b.c.d (IPv4-mapped): loopback when a is 127
  return g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff && g[6]! >> 8 === 127;
}

function isLoopbackV4(a: string): boolean {
  const parts = a.split('.');
  return parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** The eight 16-bit groups of an IPv6 address (with an embedded IPv4 tail), or null when malformed. */
function parseIPv6Groups(a: string): number[] | null {
  let tail: number[] = [];
  let head = a;
  const lastColon = a.lastIndexOf(':');
  if (a.slice(lastColon + 1).includes('.')) {
    const v4 = a.slice(lastColon + 1).split('.');
    if (v4.length !== 4 || !v4.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
    const n = v4.map(Number);
    tail = [(n[0]! << 8) | n[1]!, (n[2]! << 8) | n[3]!];
    head = a.slice(0, lastColon + 1);
    if (!head.endsWith('::')) head = head.slice(0, -1); // keep "::" whole, drop a single separator
  }
  const want = 8 - tail.length;
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const p of s.split(':')) {
      if (!/^[0-9a-f]{1,4}$/.test(p)) return null;
      out.push(parseInt(p, 16));
    }
    return out;
  };
  const left = parse(halves[0]!);
  if (!left) return null;
  if (halves.length === 1) return left.length === want ? [...left, ...tail] : null;
  const right = parse(halves[1]!);
  if (!right || left.length + right.length > want - 1) return null;
  return [...left, ...new Array<number>(want - left.length - right.length).fill(0), ...right, ...tail];
}

/**
 * A text that sorts addresses as numbers: IPv4 first, then IPv6, each by value ("10.0.0.9" before
 * "10.0.0.10"); an address that does not parse sorts last, by its text.
 */
export function addressSortKey(addr: string): string {
  const a = addr.trim().toLowerCase().replace(/%.*$/, '');
  if (!a.includes(':')) {
    const parts = a.split('.');
    if (parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return `4${parts.map((p) => Number(p).toString(16).padStart(2, '0')).join('')}`;
    return `9${a}`;
  }
  const g = parseIPv6Groups(a);
  return g ? `6${g.map((x) => x.toString(16).padStart(4, '0')).join('')}` : `9${a}`;
}

/** "10.0.0.2:80" or "[::1]:80". */
export function formatEndpoint(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** "10.0.0.1 → 10.0.0.2:80": one destination as users read it (source address → destination). */
export function formatDestination(localAddr: string, remoteAddr: string, remotePort: number): string {
  return `${localAddr} → ${formatEndpoint(remoteAddr, remotePort)}`;
}
