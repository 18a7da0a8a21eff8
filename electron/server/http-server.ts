// The headless dashboard server: the built renderer, the contract over a WebSocket at /ws, and /metrics.
// One chokepoint checks every request: the Host header (DNS rebinding), the method (GET and HEAD only: no
// HTTP request changes anything), no body, the token (everything but a public /metrics), and the Origin of
// WebSocket handshakes. State-changing contract requests (the tuning wizard's apply, keep, revert) travel
// only over a WebSocket, and only on one opened with this server's own Origin and the token while
// --allow-apply is on; every other connection is read-only. Every answer carries the security headers.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { MonitorEndpoint } from '../common/contract.js';
import { cookieName, hasPageCredential, isAuthorized, newToken, pageCookie, presentedToken, sameSecret } from './auth.js';
import { ConnectionGuard, DEFAULT_GUARD_LIMITS, type ConnectionGuardLimits } from './connection-guard.js';
import { setSecurityHeaders } from './headers.js';
import { allowedHosts, hostAllowed, originAllowed } from './origin-check.js';
import type { StaticFile } from './static-files.js';
import { WebSocketBridge, type BridgeLimits } from './ws-bridge.js';

export interface DashboardServerOptions {
  endpoint: MonitorEndpoint;
  /** The metrics text of the latest sample. */
  metrics: () => string;
  token: string;
  /** Address the server will listen on (for the Host allow-list). */
  host: string;
  /** More Host names to answer to. */
  allowHosts?: readonly string[];
  /** Serve /metrics without the token. */
  metricsPublic: boolean;
  /** Let WebSockets opened by a page of this server (own Origin, token, page credential) send state-changing requests. */
  allowApply?: boolean;
  /** The launch key of the printed URL (`&page=`), exchanged once per browser for the page credential cookie. */
  launchKey?: string;
  /** Slowloris limits (header deadline, per-peer and total caps, slots for proven clients). */
  guardLimits?: ConnectionGuardLimits;
  /** The built renderer (null: not built; the page says how to build it). */
  files: Map<string, StaticFile> | null;
  maxConnections?: number;
  maxWebSockets?: number;
  /** Largest WebSocket message accepted from a client. */
  maxMessageBytes?: number;
  bridgeLimits?: BridgeLimits;
  /** The monitors of every host one dashboard shows (serve --ssh a --ssh b): `/ws?host=N` talks to the Nth. Absent: /ws only. */
  hostEndpoints?: () => readonly MonitorEndpoint[];
}

/** A running dashboard server. */
export interface DashboardServer {
  server: Server;
  bridge: WebSocketBridge;
  guard: ConnectionGuard;
  /** Starts listening; resolves to the bound port. */
  listen(port: number): Promise<number>;
  close(): Promise<void>;
}

const NOT_BUILT = '<!doctype html><title>Portwatch</title><p>The dashboard is not built. Run <code>npm run build:renderer</code> and restart <code>portwatch serve</code>. /metrics works meanwhile.</p>';

/** Creates (without starting) the dashboard server. */
export function createDashboardServer(o: DashboardServerOptions): DashboardServer {
  let port = 0;
  let allowed = new Set<string>();
  const maxWebSockets = o.maxWebSockets ?? 16;
  const wss = new WebSocketServer({ noServer: true, maxPayload: o.maxMessageBytes ?? 64 * 1024, perMessageDeflate: false, clientTracking: false });
  const bridge = new WebSocketBridge(o.endpoint, o.bridgeLimits);
  // One bridge per other host a page of this server switched to, made on first use.
  const hostBridges = new Map<number, WebSocketBridge>();
  const socketCount = (): number => [...hostBridges.values()].reduce((n, b) => n + b.size, bridge.size);
  /** The bridge for `?host=N`, or null when there is no such host here. */
  const bridgeFor = (scope: string | null): WebSocketBridge | null => {
    if (scope === null) return bridge;
    if (!/^\d{1,2}$/.test(scope)) return null;
    const i = Number(scope);
    const endpoint = o.hostEndpoints?.()[i];
    if (!endpoint) return null;
    let b = hostBridges.get(i);
    if (!b) hostBridges.set(i, (b = new WebSocketBridge(endpoint, o.bridgeLimits)));
    return b;
  };
  const guard = new ConnectionGuard(o.guardLimits ?? DEFAULT_GUARD_LIMITS);
  // The page credential's value never appears in a URL, a file or a log: the launch key is traded for it.
  const pageSecret = newToken();

  const answer = (res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void => {
    res.statusCode = status;
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(res.req.method === 'HEAD' ? undefined : body);
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const host = req.headers.host;
    setSecurityHeaders(res, hostAllowed(host, allowed) ? host : undefined);
    if (!hostAllowed(host, allowed)) return answer(res, 403, 'Forbidden: unknown Host header (this server answers only to its own address)\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return answer(res, 405, 'Method Not Allowed: this server is read-only\n');
    }
    const hasBody = (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
    if (hasBody) {
      res.setHeader('Connection', 'close');
      return answer(res, 413, 'Payload Too Large: requests here carry no body\n');
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${host}`);
    } catch {
      return answer(res, 400, 'Bad Request: unreadable URL\n');
    }
    if (url.pathname === '/metrics') {
      const ok = isAuthorized(req, url, port, o.token);
      if (ok) guard.prove(req.socket);
      if (!o.metricsPublic && !ok) return unauthorized(res);
      return answer(res, 200, o.metrics(), 'text/plain; version=0.0.4; charset=utf-8');
    }
    const presented = presentedToken(req, url, port);
    if (!presented || !sameSecret(presented.token, o.token)) return unauthorized(res);
    guard.prove(req.socket);
    if (presented.via === 'query') {
      // Trade the token in the address bar for a cookie, and take it out of the address bar and history;
      // with the launch key too, the page credential as well.
      const cookies = [`${cookieName(port)}=${o.token}; HttpOnly; SameSite=Strict; Path=/`];
      const key = url.searchParams.get('page');
      if (o.allowApply === true && o.launchKey !== undefined && key !== null && sameSecret(key, o.launchKey)) cookies.push(pageCookie(port, pageSecret));
      res.setHeader('Set-Cookie', cookies);
      res.setHeader('Location', url.pathname);
      return answer(res, 303, 'See Other\n');
    }
    if (!o.files) return answer(res, 503, NOT_BUILT, 'text/html; charset=utf-8');
    const f = o.files.get(url.pathname === '/' ? '/index.html' : url.pathname);
    if (!f) return answer(res, 404, 'Not Found\n');
    res.statusCode = 200;
    res.setHeader('Content-Type', f.type);
    res.setHeader('Content-Length', f.body.length);
    res.end(req.method === 'HEAD' ? undefined : f.body);
  };

  const unauthorized = (res: ServerResponse): void =>
    answer(res, 401, 'Unauthorized: open the URL that `portwatch serve` printed (it carries the token), or send Authorization: Bearer <token>\n');

  const rejectUpgrade = (socket: Duplex, status: number, text: string): void => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length + 1}\r\n\r\n${text}\n`);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    if (!hostAllowed(req.headers.host, allowed)) return rejectUpgrade(socket, 403, 'Forbidden');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    } catch {
      return rejectUpgrade(socket, 400, 'Bad Request');
    }
    if (url.pathname !== '/ws') return rejectUpgrade(socket, 404, 'Not Found');
    // Browsers always send Origin; a page of another site (or a rebinding name) is refused. Non-browser
    // clients may omit it but still need the token.
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, allowed)) return rejectUpgrade(socket, 403, 'Forbidden');
    if (!isAuthorized(req, url, port, o.token)) return rejectUpgrade(socket, 401, 'Unauthorized');
    const target = bridgeFor(url.searchParams.get('host'));
    if (!target) return rejectUpgrade(socket, 404, 'Not Found');
    if (socketCount() >= maxWebSockets) return rejectUpgrade(socket, 503, 'Service Unavailable');
    // Changes only from the dashboard page of this server: its Origin and its page credential cookie. The
    // token alone (a Prometheus bearer token, say), with any Origin, stays read-only.
    const mayChange = o.allowApply === true && origin !== undefined && originAllowed(origin, allowed) && hasPageCredential(req, port, pageSecret);
    wss.handleUpgrade(req, socket, head, (ws) => target.accept(ws, { mayChange }));
  };

  const server = createServer({ requestTimeout: 10_000, headersTimeout: 5_000, maxHeaderSize: 16 * 1024 });
  // The guard first: it sees the end of the headers before the handler may prove the token.
  guard.attach(server);
  server.on('request', onRequest);
  // A backstop only: the guard keeps the count far below (a full Node cap would refuse the real client).
  server.maxConnections = o.maxConnections ?? 1024;
  server.keepAliveTimeout = 5_000;
  server.on('upgrade', onUpgrade);
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  return {
    server,
    bridge,
    guard,
    listen: (p) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(p, o.host, () => {
          server.off('error', reject);
          const addr = server.address();
          port = typeof addr === 'object' && addr ? addr.port : p;
          allowed = allowedHosts(o.host, port, o.allowHosts ?? []);
          resolve(port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        bridge.close();
        for (const b of hostBridges.values()) b.close();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
