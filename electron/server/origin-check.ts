// DNS-rebinding and cross-site defences: a request must name this server in its Host header, and a
// WebSocket handshake must come from a page of this server (its Origin).

/** The Host header values this server answers to. */
export function allowedHosts(boundHost: string, port: number, extra: readonly string[] = []): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  for (const h of [boundHost, ...extra]) names.add(h.includes(':') && !h.startsWith('[') ? `[${h}]` : h);
  const out = new Set<string>();
  for (const n of names) {
    out.add(`${n}:${port}`.toLowerCase());
  }
  return out;
}

/** True when the Host header names this server. */
export function hostAllowed(host: string | undefined, allowed: Set<string>): boolean {
  return typeof host === 'string' && host.length < 300 && allowed.has(host.toLowerCase());
}

/** True when a WebSocket Origin is a page of this server (http://<an allowed host>). */
export function originAllowed(origin: string | undefined, allowed: Set<string>): boolean {
  if (typeof origin !== 'string' || origin.length > 300) return false;
  const m = /^http:\/\/([^/]+)$/i.exec(origin);
  return m !== null && allowed.has(m[1]!.toLowerCase());
}

/** True for loopback addresses (what serve binds without --allow-remote). */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
